package herd.engine.server;

import herd.engine.config.Limits;
import herd.engine.io.Connection;
import herd.engine.protocol.ReportParser;
import java.util.function.BiConsumer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * What the server keeps for an accepted connection while it is (or may be) a client: its
 * replies in command order, whether it has sent a command yet, and its client slot.
 * Touched by the connection's I/O thread, except {@link #replies}, which is thread-safe.
 */
final class ClientSession {

    private static final AttributeKey KEY = new AttributeKey(ClientSession.class, "client");

    final Connection connection;
    final ReplySequencer replies;
    /** Reads this client's IAMATs on their bytes (the I/O thread only). */
    final ReportParser reports;
    /** False until the first command: until then the connection may still turn out to be a peer. */
    boolean commanded;
    /** When the line this client has begun and not finished began ({@link System#nanoTime()}), else {@link LineDeadline#NONE}. */
    volatile long lineStartedNanos = LineDeadline.NONE;
    /** Guarded by the I/O thread and {@link ClientSlots}. */
    volatile boolean holdsSlot;

    private ClientSession(Connection connection, Limits limits, BiConsumer<ClientSession, Reply> send) {
        this.connection = connection;
        this.reports = new ReportParser(limits);
        this.replies = new ReplySequencer(reply -> send.accept(this, reply));
    }

    /** Keeps a client session on {@code session}, its IAMATs read within {@code limits}; its replies, in order, go to {@code send}. */
    static ClientSession attach(IoSession session, Connection connection, Limits limits,
                                BiConsumer<ClientSession, Reply> send) {
        ClientSession s = new ClientSession(connection, limits, send);
        session.setAttribute(KEY, s);
        return s;
    }

    static ClientSession of(IoSession session) {
        return (ClientSession) session.getAttribute(KEY);
    }
}
