package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/** What simulators built on Jetty's core handlers do to a connection that is to fail. */
public final class JettyConnections {

    private JettyConnections() {
    }

    /**
     * Drops the request's connection; with SO_LINGER 0 the close sends a TCP RST rather
     * than a FIN.
     */
    public static void reset(Request request, Callback callback) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint.getTransport() instanceof SocketChannel channel) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            catch (IOException alreadyClosed) {
                // The close below still ends the connection, with a FIN instead of a RST.
            }
        }
        endPoint.close();
        callback.failed(new EofException("connection reset by the simulator"));
    }

}
