package herd.engine.node;

import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import herd.engine.Party;
import herd.engine.protocol.AtLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What one server reports, one method per kind of event: each writes its line to the
 * server's {@link ServerLog}, and makes a {@link HerdEvent} only while someone listens (the
 * monitor, a test), so a headless server allocates no event objects. Each line's kind,
 * party and payload are those of the matching {@code HerdEvent} (README "Log format").
 * Lines given as bytes reach people, events and the log alike, as text: decoded as UTF-8,
 * malformed bytes shown as U+FFFD. That is a rendering only, chosen so that a log and the
 * monitor stay readable text; the protocol keeps every byte (a client id is its bytes, see
 * {@link herd.engine.protocol.ClientId}).
 * Thread-safe: called on I/O threads and the timer; never blocks.
 */
public final class NodeEvents {

    private final String server;
    private final ServerLog log;
    private final HerdListener listeners;
    private final BooleanSupplier listening;

    /**
     * @param listeners gets a {@code HerdEvent} for every line while {@code listening} is true
     */
    public NodeEvents(String server, ServerLog log, HerdListener listeners, BooleanSupplier listening) {
        this.server = server;
        this.log = log;
        this.listeners = listeners;
        this.listening = listening;
    }

    /** A connection was accepted or dialled. */
    public void opened(Instant at, Party remote) {
        log.append(at, "OPEN", remote, "");
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.ConnectionOpened(at, server, remote));
        }
    }

    public void closed(Instant at, Party remote, String reason) {
        log.append(at, "CLOSE", remote, reason);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.ConnectionClosed(at, server, remote, reason));
        }
    }

    /** A line arrived from a client ({@code IN}) or a peer ({@code PEER_IN}). */
    public void lineIn(Instant at, Party from, String line) {
        log.append(at, from.isPeer() ? "PEER_IN" : "IN", from, line);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.LineIn(at, server, from, line));
        }
    }

    /** {@link #lineIn(Instant, Party, String)} for the line in {@code b[0, length)}, as received. */
    public void lineIn(Instant at, Party from, byte[] b, int length) {
        log.append(at, from.isPeer() ? "PEER_IN" : "IN", from, b, length, false);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.LineIn(at, server, from, new String(b, 0, length, StandardCharsets.UTF_8)));
        }
    }

    /** {@link #lineOut(Instant, Party, String)} for {@code line}, as sent (no terminator), never changed after. */
    public void lineOut(Instant at, Party to, byte[] line) {
        log.append(at, to.isPeer() ? "PEER_OUT" : "OUT", to, line, line.length, true);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.LineOut(at, server, to, new String(line, StandardCharsets.UTF_8)));
        }
    }

    /** A reply ({@code OUT}) or a peer line ({@code PEER_OUT}) was sent. */
    public void lineOut(Instant at, Party to, String line) {
        log.append(at, to.isPeer() ? "PEER_OUT" : "OUT", to, line);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.LineOut(at, server, to, line));
        }
    }

    public void linkUp(Instant at, String peer, String address) {
        log.append(at, "PEER_UP", Party.peer(peer), "via " + address);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.LinkUp(at, server, peer, address));
        }
    }

    public void linkDown(Instant at, String peer, String reason) {
        log.append(at, "PEER_DOWN", Party.peer(peer), reason);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.LinkDown(at, server, peer, reason));
        }
    }

    /** A newer report was stored: its AT line, as stored and flooded. */
    public void learned(Instant at, byte[] atLine, Party from) {
        log.append(at, "LEARNED", from, atLine, atLine.length, true);
        if (listening.getAsBoolean()) {
            AtLine.parse(atLine, atLine.length).ifPresent(
                    report -> listeners.onEvent(new HerdEvent.LocationLearned(at, server, report, from)));
        }
    }

    /** The server started listening ({@code up}) or was taken down. */
    public void serverState(Instant at, boolean up, String detail) {
        log.append(at, up ? "SERVER_UP" : "SERVER_DOWN", null, detail);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.ServerState(at, server, up, detail));
        }
    }

    /** The server applied a changed config; {@code summary} says what changed for it. */
    public void configReloaded(Instant at, String summary) {
        log.append(at, "CONFIG_RELOADED", null, summary);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.ConfigReloaded(at, server, summary));
        }
    }

    /** A notice for people: {@code INFO}, or {@code ERROR} for trouble. */
    public void notice(Instant at, boolean error, String text) {
        log.append(at, error ? "ERROR" : "INFO", null, text);
        if (listening.getAsBoolean()) {
            listeners.onEvent(new HerdEvent.Notice(at, server, error, text));
        }
    }
}
