package dev.crossprop.sources.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1, found by binding port 0 and reading the port the operating system
 * assigned.
 *
 * <p>The sockets are closed before the caller binds the ports again, so another process can take a
 * port in between. Callers that bind later retry once with fresh ports when they hit a {@link
 * BindException}, which {@link #isBindFailure} recognises in a cause chain.
 */
final class LoopbackPorts {

    private LoopbackPorts() {}

    /**
     * Finds {@code count} distinct free ports on 127.0.0.1.
     *
     * @throws UncheckedIOException when the operating system cannot bind a loopback socket
     */
    static int[] findFree(int count) {
        if (count < 1) {
            throw new IllegalArgumentException(
                    "count is " + count + ", but at least 1 port must be requested");
        }
        // All sockets stay open until every port is known, so the ports are distinct.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, loopback());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to bind a free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // The port was only probed, so a failed close loses nothing.
                }
            }
        }
    }

    /** Returns true when {@code error} or one of its causes is a {@link BindException}. */
    static boolean isBindFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Returns 127.0.0.1 itself, not the IPv6 loopback that some JVM settings prefer. */
    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("A 4-byte address is always valid", e);
        }
    }
}
