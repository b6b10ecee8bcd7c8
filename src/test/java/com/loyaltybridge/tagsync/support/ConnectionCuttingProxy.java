package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server that, when told to, cuts connections in the middle of a response:
 * the way to prove that a reader survives a connection dropped mid-body against a real server.
 */
public final class ConnectionCuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final URI target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile long cutAfterBytes;

    public ConnectionCuttingProxy(URI target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept", this::accept);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** From now on, cuts the next {@code times} connections that carry responses, each after {@code afterBytes} bytes of them. */
    public void cutResponses(int times, long afterBytes) {
        cutAfterBytes = afterBytes;
        cutsLeft.set(times);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                daemon("proxy-up", () -> pump(client, server, false));
                daemon("proxy-down", () -> pump(server, client, true));
            } catch (IOException e) {
                // The listener was closed, or one connection failed to open: the client sees a refused connection.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean response) {
        byte[] buffer = new byte[8192];
        long bytesWhileArmed = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (response && cutsLeft.get() > 0) {
                    long allowed = cutAfterBytes - bytesWhileArmed;
                    if (read >= allowed) {
                        out.write(buffer, 0, (int) allowed);
                        out.flush();
                        cutsLeft.decrementAndGet();
                        break;
                    }
                    bytesWhileArmed += read;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // The other direction closed the connection.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(ConnectionCuttingProxy::closeQuietly);
    }
}
