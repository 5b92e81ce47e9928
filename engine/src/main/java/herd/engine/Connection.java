package herd.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * What a server knows about one TCP connection, kept on its {@link IoSession} instead of
 * loose attributes. Touched only by that session's I/O thread, except {@link #replies},
 * which is thread-safe, {@link #party}, which is volatile for event emitters, and the
 * outgoing bytes ({@link #write}, {@link #flush}), which any thread may write.
 */
final class Connection {

    private static final AttributeKey KEY = new AttributeKey(Connection.class, "connection");

    /** What the connection turned out to be. */
    enum Role {
        /** Accepted, no line yet: a client, unless its first line is a peer handshake. */
        NEW,
        CLIENT,
        /** Dialled by this server; waiting for the peer's handshake answer. */
        DIALING,
        /** Accepted, claims to be a peer; waiting for its proof of the shared secret. */
        AUTHENTICATING,
        PEER
    }

    final IoSession session;
    final LineFramer framer;
    final ReplySequencer replies;
    volatile Party party;
    Role role;
    /** The link this connection serves or tries to serve; null for clients. */
    PeerLink link;
    /** Why this server closed the connection, for the CLOSE log line; null if the remote did. */
    volatile String closeReason;
    boolean inputDone;
    /** This side's and the other side's handshake nonces (with a shared secret only). */
    String nonce;
    String peerNonce;
    boolean helloSent;
    /** The newest reply written, so a graceful close can wait for it. */
    volatile WriteFuture lastWrite;
    /** Bytes written but not yet handed to MINA (see {@link WriteBatch}); guarded by itself. */
    private final OutgoingBytes outgoing = new OutgoingBytes();

    /** A growable byte buffer; a plain class so that its monitor guards exactly it. */
    private static final class OutgoingBytes {
        byte[] bytes = new byte[256];
        int length;
    }

    private Connection(IoSession session, Party party, Role role, PeerLink link, int maxLineBytes,
                       ReplySequencer replies) {
        this.session = session;
        this.party = party;
        this.role = role;
        this.link = link;
        this.framer = new LineFramer(maxLineBytes);
        this.replies = replies;
    }

    static Connection accepted(IoSession session, int maxLineBytes, ReplySequencer replies) {
        Connection c = new Connection(session, Party.client(address(session.getRemoteAddress())), Role.NEW, null,
                maxLineBytes, replies);
        session.setAttribute(KEY, c);
        return c;
    }

    static Connection dialled(IoSession session, PeerLink link, int maxLineBytes) {
        PeerLink.watch(session);
        Connection c = new Connection(session, Party.peer(link.peer), Role.DIALING, link, maxLineBytes, null);
        session.setAttribute(KEY, c);
        return c;
    }

    static Connection of(IoSession session) {
        return (Connection) session.getAttribute(KEY);
    }

    boolean isClient() {
        return role == Role.NEW || role == Role.CLIENT;
    }

    /**
     * Writes {@code bytes} after everything written before: at the end of the current
     * {@link WriteBatch} when this thread is in one, else at once.
     */
    void write(byte[] bytes) {
        synchronized (outgoing) {
            int need = outgoing.length + bytes.length;
            if (need > outgoing.bytes.length) {
                outgoing.bytes = Arrays.copyOf(outgoing.bytes, Math.max(need, outgoing.bytes.length * 2));
            }
            System.arraycopy(bytes, 0, outgoing.bytes, outgoing.length, bytes.length);
            outgoing.length = need;
        }
        if (!WriteBatch.defer(this)) {
            flush();
        }
    }

    /** Hands every byte written so far to MINA as one write (one system call when it is sent). */
    void flush() {
        synchronized (outgoing) {
            if (outgoing.length == 0) {
                return;
            }
            // Under the lock: two threads flushing must hand their bytes over in order.
            lastWrite = session.write(IoBuffer.wrap(Arrays.copyOf(outgoing.bytes, outgoing.length)));
            outgoing.length = 0;
            if (outgoing.bytes.length > 64 * 1024) {
                outgoing.bytes = new byte[256]; // one table exchange must not pin a big buffer
            }
        }
    }

    /** Closes at once, remembering why for the log. */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        session.closeNow();
    }

    /** Closes once everything written so far has been sent. */
    void closeAfterFlush(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        flush();
        session.closeOnFlush();
    }

    /**
     * Closes without losing the last reply to a reset: once that reply is sent, shuts down
     * the sending side (the client reads its end of input), keeps reading and discarding
     * what the client still sends, and closes when the client does or after
     * {@code lingerMs}. Closing a socket with unread input would make the kernel send a
     * reset that can destroy the reply in flight.
     */
    void closeGracefully(String reason, ScheduledExecutorService timer, long lingerMs) {
        if (closeReason == null) {
            closeReason = reason;
        }
        Runnable finish = () -> {
            try {
                ((SocketChannel) ((NioSession) session).getChannel()).shutdownOutput();
                timer.schedule(() -> {
                    session.closeNow();
                }, lingerMs, TimeUnit.MILLISECONDS);
            } catch (IOException | ClassCastException | java.util.concurrent.RejectedExecutionException e) {
                session.closeNow();
            }
        };
        flush();
        WriteFuture last = lastWrite;
        if (last == null) {
            finish.run();
        } else {
            last.addListener(f -> finish.run());
        }
    }

    /**
     * Last resort for a session that MINA no longer closes (seen after a failed TLS
     * handshake: the TLS filter has shut its side and swallows the close): closes the socket
     * itself and tells the link, so that the dialer redials. Harmless if the session did close.
     */
    void abandon(String reason) {
        if (!session.isConnected() && !session.isClosing()) {
            return;
        }
        try {
            ((NioSession) session).getChannel().close();
        } catch (IOException | ClassCastException e) {
            // nothing more can be done for this socket
        }
        if (link != null) {
            link.closed(session, reason);
        }
    }

    static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() + ":" + inet.getPort()
                    : inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(a);
    }
}
