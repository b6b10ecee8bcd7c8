package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port that counts the connections made to it and closes each at once: where a test
 * must prove that nothing connected (to PostgreSQL, say) without a client ever waiting on
 * it.
 */
public final class CountingServer implements AutoCloseable {

    private final ServerSocket listener;

    private final AtomicInteger connections = new AtomicInteger();

    public CountingServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "counting-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try (Socket ignored = listener.accept()) {
                connections.incrementAndGet();
            }
            catch (IOException e) {
                // Closed: the test is over.
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

}
