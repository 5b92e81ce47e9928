package herd.engine;

import herd.engine.config.Link;
import herd.engine.config.ServerSpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;

/**
 * One server's end of one configured link. The end whose name sorts first dials and
 * redials with capped exponential backoff ({@link RedialBackoff}); the other
 * end waits to be dialled. At most one connection carries the link at a time: a newer
 * handshake from the same peer replaces an older connection.
 *
 * <p>Thread-safety: the up session is volatile and read by any I/O thread that floods;
 * dialling state is guarded by this object's lock and driven by the herd's timer thread
 * and MINA's connect callbacks. No method blocks.
 */
final class PeerLink {

    static final String HELLO = "HERD-PEER";
    static final String WELCOME = "HERD-PEER-OK";
    /** Sent on a link after a second with nothing else to send; never logged. */
    static final String HEARTBEAT = "HERD-ALIVE";
    static final int HEARTBEAT_SECONDS = 1;
    /** A link (or a handshake) that hears nothing for this long is dead: dropped and redialled. */
    static final int SILENCE_SECONDS = 5;

    final HerdServer server;
    final String peer;
    final boolean dials;
    private final ServerSpec peerSpec;
    private volatile IoSession session;
    private volatile boolean cut;
    private int failures;
    private ScheduledFuture<?> redial;
    private ConnectFuture connecting;

    PeerLink(HerdServer server, ServerSpec peerSpec) {
        this.server = server;
        this.peerSpec = peerSpec;
        this.peer = peerSpec.name();
        this.dials = Link.between(server.name(), peer).dialer().equals(server.name());
    }

    LinkState state() {
        if (!server.isUp()) {
            return LinkState.OFFLINE;
        }
        if (cut) {
            return LinkState.CUT;
        }
        if (session != null) {
            return LinkState.UP;
        }
        return dials ? LinkState.DIALING : LinkState.WAITING;
    }

    boolean isCut() {
        return cut;
    }

    /** Sends one line if the link is up; drops the link if the peer has stopped reading. */
    void send(String line) {
        IoSession s = session;
        if (s == null) {
            return;
        }
        if (s.getScheduledWriteBytes() > server.context().limits().peerQueueBytes()) {
            Connection.of(s).close("peer " + peer + " is not reading: more than "
                    + server.context().limits().peerQueueBytes() + " bytes queued");
            return;
        }
        // an update: batched with the rest of this read's output (WriteBatch)
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        Connection c = Connection.of(s);
        if (c != null) {
            c.write(bytes);
        } else {
            s.write(IoBuffer.wrap(bytes));
        }
        counted(line);
    }

    /**
     * Writes now, without the queue check, after anything still batched for this connection;
     * for the handshake, the TLS switch (whose listener needs the future) and the table
     * exchange.
     */
    WriteFuture write(IoSession s, String line) {
        Connection c = Connection.of(s);
        if (c != null) {
            c.flush();
        }
        WriteFuture f = s.write(IoBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        counted(line);
        return f;
    }

    private void counted(String line) {
        server.stats.peerLinesOut.increment();
        server.emit(new HerdEvent.LineOut(now(), server.name(), Party.peer(peer), line));
    }

    /**
     * Watches a peer connection for silence: a heartbeat goes out after a quiet second, and
     * a connection that hears nothing for {@link #SILENCE_SECONDS} is closed. A link cut by
     * a dead network (no FIN, no RST) is otherwise noticed only when TCP gives up, which on
     * Linux can take a quarter of an hour.
     */
    static void watch(IoSession s) {
        s.getConfig().setIdleTime(org.apache.mina.core.session.IdleStatus.BOTH_IDLE, 0);
        s.getConfig().setIdleTime(org.apache.mina.core.session.IdleStatus.WRITER_IDLE, HEARTBEAT_SECONDS);
        s.getConfig().setIdleTime(org.apache.mina.core.session.IdleStatus.READER_IDLE, SILENCE_SECONDS);
    }

    /** Sends a heartbeat if the link is up on {@code s}; not logged, not counted. */
    void heartbeat(IoSession s) {
        if (session == s) {
            s.write(IoBuffer.wrap((HEARTBEAT + "\n").getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The handshake finished on {@code s}: it now carries the link. */
    void attach(IoSession s) {
        IoSession older;
        synchronized (this) {
            older = session;
            session = s;
            failures = 0;
        }
        if (older != null && older != s) {
            Connection.of(older).close("replaced by a newer connection from " + peer);
        }
        server.emit(new HerdEvent.LinkUp(now(), server.name(), peer,
                Connection.address(s.getRemoteAddress()) + (PeerTls.isOn(s) ? " over TLS" : "")));
        // Attach before sending the table: anything stored from here on is also flooded here.
        for (LocationReport r : server.table.snapshot()) {
            write(s, r.atLine());
        }
    }

    /** {@code s} closed; if it carried the link, the link is down. Redials when this end dials. */
    void closed(IoSession s, String reason) {
        boolean wasUp;
        synchronized (this) {
            wasUp = session == s;
            if (wasUp) {
                session = null;
            } else {
                failures++;
                // connectDone runs on the dialling thread, which can lag behind the I/O thread:
                // the attempt's session may be refused and closed before it reports. Its close
                // ends the attempt here, or nobody would ever redial.
                if (connecting != null && connecting.isConnected() && connecting.getSession() == s) {
                    connecting = null;
                }
            }
        }
        if (wasUp) {
            server.emit(new HerdEvent.LinkDown(now(), server.name(), peer, reason));
        }
        scheduleRedial();
    }

    /** Starts dialling if this end dials and may. */
    void start() {
        synchronized (this) {
            failures = 0;
        }
        dialNow();
    }

    /** Stops dialling and drops the connection (server going down). */
    void stop(String reason) {
        IoSession s;
        synchronized (this) {
            cancelRedial();
            // An attempt in flight is left to finish: connectDone closes what it brings. Never
            // ConnectFuture.cancel(): if the attempt fails at the same moment, MINA 2.2 counts
            // the request twice and its connector thread then spins forever.
            s = session;
        }
        if (s != null) {
            Connection.of(s).close(reason);
        }
    }

    void cut() {
        cut = true;
        stop("link cut by operator");
    }

    void restore() {
        cut = false;
        start();
    }

    private boolean shouldDial() {
        return dials && !cut && server.isUp();
    }

    private void dialNow() {
        ConnectFuture attempt;
        synchronized (this) {
            if (!shouldDial() || session != null || connecting != null || redial != null) {
                return;
            }
            attempt = server.connector().connect(new InetSocketAddress(peerSpec.host(), peerSpec.port()),
                    (s, f) -> Connection.dialled(s, this, server.context().limits().maxLineBytes()));
            connecting = attempt;
        }
        attempt.addListener(f -> connectDone((ConnectFuture) f));
    }

    private void connectDone(ConnectFuture f) {
        synchronized (this) {
            if (connecting == f) {
                connecting = null;
            }
            if (f.isConnected()) {
                if (!shouldDial()) {
                    Connection.of(f.getSession()).close("link no longer wanted");
                }
                return; // the handshake decides from here
            }
            failures++;
        }
        scheduleRedial();
    }

    private void scheduleRedial() {
        synchronized (this) {
            if (!shouldDial() || session != null || connecting != null || redial != null) {
                return;
            }
            long delay = RedialBackoff.delayMillis(failures, ThreadLocalRandom.current());
            redial = server.context().timer().schedule(() -> {
                synchronized (this) {
                    redial = null;
                }
                dialNow();
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelRedial() {
        if (redial != null) {
            redial.cancel(false);
            redial = null;
        }
    }

    private Instant now() {
        return server.context().clock().instant();
    }
}
