package com.loyaltybridge.tagsync.support;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy in front of a server (s3proxy) that misbehaves when told to, the way
 * S3 and the network in front of it do: it answers {@code 503 SlowDown} instead of
 * passing a request on, cuts connections in the middle of a response, and runs an action
 * when a chosen request goes by (to delete an object between listing and reading, say).
 * Request bodies are passed on by their {@code Content-Length}; a chunked one ends the
 * inspection of its connection, whose bytes then flow through untouched.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private static final byte[] SLOW_DOWN_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message><RequestId>fault-injecting-proxy</RequestId></Error>")
        .getBytes(UTF_8);

    private static final byte[] SLOW_DOWN = ("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
            + SLOW_DOWN_BODY.length + "\r\nConnection: close\r\n\r\n")
        .getBytes(ISO_8859_1);

    private static final int MAX_HEAD_SIZE = 64 * 1024;

    private final ServerSocket listener;

    private final URI target;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private final AtomicInteger cutsLeft = new AtomicInteger();

    private final AtomicInteger slowDownsLeft = new AtomicInteger();

    private final AtomicInteger cutsMade = new AtomicInteger();

    private final AtomicInteger slowDownsSent = new AtomicInteger();

    private final List<Trigger> triggers = new CopyOnWriteArrayList<>();

    private volatile long cutAfterBytes;

    public FaultInjectingProxy(URI target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept", this::accept);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /**
     * From now on, cuts the next {@code times} connections that carry responses, each
     * after {@code afterBytes} bytes of them.
     */
    public void cutResponses(int times, long afterBytes) {
        cutAfterBytes = afterBytes;
        cutsLeft.set(times);
    }

    /**
     * Answers the next {@code times} requests {@code 503 SlowDown}, as S3 does when asked
     * too fast, without passing them on.
     */
    public void slowDown(int times) {
        slowDownsLeft.set(times);
    }

    /**
     * Runs {@code action} once, just before the first request whose request line
     * ({@code GET /bucket/key HTTP/1.1}) matches.
     */
    public void beforeRequest(Predicate<String> requestLine, Runnable action) {
        triggers.add(new Trigger(requestLine, action, new AtomicBoolean()));
    }

    public int cutsMade() {
        return cutsMade.get();
    }

    public int slowDownsSent() {
        return slowDownsSent.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                daemon("proxy-up", () -> forwardRequests(client, server));
                daemon("proxy-down", () -> forwardResponses(server, client));
            }
            catch (IOException e) {
                // The listener was closed, or one connection failed to open: the client
                // sees a refused connection.
            }
        }
    }

    /**
     * Client to server, one request at a time: HTTP/1.1 clients send the next request
     * only once the last is answered.
     */
    private void forwardRequests(Socket client, Socket server) {
        try (InputStream in = new BufferedInputStream(client.getInputStream());
                OutputStream out = server.getOutputStream()) {
            for (byte[] head = readHead(in); head != null; head = readHead(in)) {
                String text = new String(head, ISO_8859_1);
                String requestLine = text.substring(0, text.indexOf("\r\n"));
                triggers.forEach(trigger -> trigger.fireIfMatches(requestLine));
                if (slowDownsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    OutputStream toClient = client.getOutputStream();
                    toClient.write(SLOW_DOWN);
                    toClient.write(SLOW_DOWN_BODY);
                    toClient.flush();
                    slowDownsSent.incrementAndGet();
                    return;
                }
                out.write(head);
                String headers = text.toLowerCase(Locale.ROOT);
                if (headers.contains("\r\ntransfer-encoding: chunked")) {
                    in.transferTo(out);
                    return;
                }
                copy(in, out, contentLength(headers));
                out.flush();
            }
        }
        catch (IOException e) {
            // The other direction closed the connection.
        }
        finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private void forwardResponses(Socket server, Socket client) {
        byte[] buffer = new byte[8192];
        long bytesWhileArmed = 0;
        try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (cutsLeft.get() > 0) {
                    long allowed = cutAfterBytes - bytesWhileArmed;
                    if (read >= allowed) {
                        out.write(buffer, 0, (int) allowed);
                        out.flush();
                        cutsLeft.decrementAndGet();
                        cutsMade.incrementAndGet();
                        break;
                    }
                    bytesWhileArmed += read;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (IOException e) {
            // The other direction closed the connection.
        }
        finally {
            closeQuietly(server);
            closeQuietly(client);
        }
    }

    /**
     * The request line and headers up to the blank line, or null when the client closed
     * the connection first.
     */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
            if (head.size() > MAX_HEAD_SIZE) {
                throw new IOException("request head larger than " + MAX_HEAD_SIZE + " bytes");
            }
        }
        return null;
    }

    /**
     * Passes exactly {@code length} bytes on: a request body, not the request behind it.
     */
    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[8192];
        for (long left = length; left > 0;) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the request body ended early");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static long contentLength(String headers) {
        int at = headers.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int start = at + "\r\ncontent-length:".length();
        return Long.parseLong(headers.substring(start, headers.indexOf("\r\n", start)).trim());
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException e) {
            // Closing anyway.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(FaultInjectingProxy::closeQuietly);
    }

    private record Trigger(Predicate<String> requestLine, Runnable action, AtomicBoolean fired) {

        void fireIfMatches(String line) {
            if (requestLine.test(line) && fired.compareAndSet(false, true)) {
                action.run();
            }
        }
    }

}
