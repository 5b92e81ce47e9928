package herd.engine.io;

import herd.engine.Party;
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
 * One TCP connection as bytes and lines: its framer, its party for the log, and the bytes
 * waiting to go out, with the ways to close it. What the connection means (a client with
 * its replies, or a peer with its handshake) is kept beside it by the server and peer
 * packages. The framer and {@link #inputDone} belong to the session's I/O thread; the
 * outgoing bytes are guarded by their own lock, so any thread may {@link #write}; the
 * rest is volatile.
 */
public final class Connection {

    private static final AttributeKey KEY = new AttributeKey(Connection.class, "connection");
    private static final byte[] NEWLINE = {'\n'};

    public final IoSession session;
    public final LineFramer framer;
    private volatile Party party;
    /** True once the connection carries (or tries to carry) a peer link; its bytes go out first. */
    private volatile boolean peer;
    /** Why this server closed the connection, for the CLOSE log line; null if the remote did. */
    private volatile String closeReason;
    /** Set once the remote's end of input has been handled (I/O thread only). */
    public boolean inputDone;
    /** The newest bytes handed to MINA, so a graceful close can wait for them. */
    private volatile WriteFuture lastWrite;
    /** Bytes written but not yet handed to MINA (see {@link WriteBatch}); guarded by itself. */
    private final OutgoingBytes outgoing = new OutgoingBytes();

    /** A growable byte buffer; a plain class so that its monitor guards exactly it. */
    private static final class OutgoingBytes {
        byte[] bytes = new byte[256];
        int length;
    }

    private Connection(IoSession session, Party party, boolean peer, int maxLineBytes) {
        this.session = session;
        this.party = party;
        this.peer = peer;
        this.framer = new LineFramer(maxLineBytes);
    }

    /** The connection of an accepted session: a client until its first line says otherwise. */
    public static Connection accepted(IoSession session, int maxLineBytes) {
        return attach(session, new Connection(session, Party.client(address(session.getRemoteAddress())), false,
                maxLineBytes));
    }

    /** The connection of a session this server dialled to reach {@code peerName}. */
    public static Connection dialled(IoSession session, String peerName, int maxLineBytes) {
        Connection c = new Connection(session, Party.peer(peerName), true, maxLineBytes);
        c.framer.skipOverlongLines();
        return attach(session, c);
    }

    private static Connection attach(IoSession session, Connection c) {
        session.setAttribute(KEY, c);
        return c;
    }

    /** The connection of {@code session}; null for a session the engine did not set up. */
    public static Connection of(IoSession session) {
        return (Connection) session.getAttribute(KEY);
    }

    public Party party() {
        return party;
    }

    /**
     * From now on the connection carries a link to {@code peerName}: logged and flushed as a
     * peer, and an overlong line skipped rather than ending the connection. I/O thread only
     * (the framer's).
     */
    public void becomePeer(String peerName) {
        party = Party.peer(peerName);
        peer = true;
        framer.skipOverlongLines();
    }

    public boolean isPeer() {
        return peer;
    }

    /** Why this server closed it; null when the remote closed it. */
    public String closeReason() {
        return closeReason;
    }

    /** Bytes MINA still has to send. */
    public long queuedBytes() {
        return session.getScheduledWriteBytes();
    }

    public String remoteAddress() {
        return address(session.getRemoteAddress());
    }

    /**
     * Writes {@code bytes} after everything written before: at the end of the current
     * {@link WriteBatch} when this thread is in one, else at once.
     */
    public void write(byte[] bytes) {
        synchronized (outgoing) {
            append(bytes, bytes.length);
        }
        if (!WriteBatch.defer(this)) {
            flush();
        }
    }

    /** {@link #write} of {@code line} and a {@code \n}, without joining them first. */
    public void writeLine(byte[] line) {
        synchronized (outgoing) {
            append(line, line.length);
            append(NEWLINE, 1);
        }
        if (!WriteBatch.defer(this)) {
            flush();
        }
    }

    private void append(byte[] bytes, int length) {
        int need = outgoing.length + length;
        if (need > outgoing.bytes.length) {
            outgoing.bytes = Arrays.copyOf(outgoing.bytes, Math.max(need, outgoing.bytes.length * 2));
        }
        System.arraycopy(bytes, 0, outgoing.bytes, outgoing.length, length);
        outgoing.length = need;
    }

    /** Hands every byte written so far to MINA as one write (one system call when it is sent). */
    public void flush() {
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

    private synchronized void noteCloseReason(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    /** Closes at once, remembering why for the log. */
    public void close(String reason) {
        noteCloseReason(reason);
        session.closeNow();
    }

    /** Closes once everything written so far has been sent. */
    public void closeAfterFlush(String reason) {
        noteCloseReason(reason);
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
    public void closeGracefully(String reason, ScheduledExecutorService timer, long lingerMs) {
        noteCloseReason(reason);
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
     * itself. Returns false when the session had closed already. Harmless if it did close.
     */
    public boolean abandon() {
        if (!session.isConnected() && !session.isClosing()) {
            return false;
        }
        try {
            ((NioSession) session).getChannel().close();
        } catch (IOException | ClassCastException e) {
            // nothing more can be done for this socket
        }
        return true;
    }

    public static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() + ":" + inet.getPort()
                    : inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(a);
    }
}
