package herd.engine;

import java.time.Instant;

/**
 * Something that happened on one server of a herd. Every event names its server and its
 * time; {@link #kind()}, {@link #party()} and {@link #payload()} are the fields of the
 * server's event log line (see the README's "Log format").
 */
public sealed interface HerdEvent {

    Instant at();

    /** The server the event happened on. */
    String server();

    /** The log's event kind, e.g. {@code IN} or {@code PEER_UP}. */
    String kind();

    /** The other party, e.g. {@code client/127.0.0.1:50412}, {@code peer/Holiday}, or {@code -}. */
    String party();

    /** The rest of the log line; may be empty. */
    String payload();

    /** A client or peer connection was opened (accepted or dialled). */
    record ConnectionOpened(Instant at, String server, Party remote) implements HerdEvent {
        public String kind() { return "OPEN"; }
        public String party() { return remote.toString(); }
        public String payload() { return ""; }
    }

    /** A client or peer connection was closed, by either side. */
    record ConnectionClosed(Instant at, String server, Party remote, String reason) implements HerdEvent {
        public String kind() { return "CLOSE"; }
        public String party() { return remote.toString(); }
        public String payload() { return reason; }
    }

    /**
     * A line arrived from a client or a peer. Lines are text for people: the bytes decoded as
     * UTF-8, malformed ones shown as U+FFFD; the herd itself keeps and echoes the bytes.
     */
    record LineIn(Instant at, String server, Party remote, String line) implements HerdEvent {
        public String kind() { return remote.isPeer() ? "PEER_IN" : "IN"; }
        public String party() { return remote.toString(); }
        public String payload() { return line; }
    }

    /**
     * A reply or peer message was sent, as text (UTF-8, as in {@link LineIn}). A WHATSAT reply
     * is summarised as its AT line plus {@code [json N bytes, M results]}.
     */
    record LineOut(Instant at, String server, Party remote, String line) implements HerdEvent {
        public String kind() { return remote.isPeer() ? "PEER_OUT" : "OUT"; }
        public String party() { return remote.toString(); }
        public String payload() { return line; }
    }

    /** The peer link to {@code peer} is up over the connection with {@code address}; tables are exchanged next. */
    record LinkUp(Instant at, String server, String peer, String address) implements HerdEvent {
        public String kind() { return "PEER_UP"; }
        public String party() { return "peer/" + peer; }
        public String payload() { return "via " + address; }
    }

    /** The peer link to {@code peer} went down; {@code reason} says why. */
    record LinkDown(Instant at, String server, String peer, String reason) implements HerdEvent {
        public String kind() { return "PEER_DOWN"; }
        public String party() { return "peer/" + peer; }
        public String payload() { return reason; }
    }

    /**
     * The server stored a report newer than any it had for that client; {@code from} is the
     * client address or the peer it came through.
     */
    record LocationLearned(Instant at, String server, LocationReport report, Party from) implements HerdEvent {
        public String kind() { return "LEARNED"; }
        public String party() { return from.toString(); }
        public String payload() { return report.atLine(); }
    }

    /** The server started listening ({@code up}) or was taken down. */
    record ServerState(Instant at, String server, boolean up, String detail) implements HerdEvent {
        public String kind() { return up ? "SERVER_UP" : "SERVER_DOWN"; }
        public String party() { return "-"; }
        public String payload() { return detail; }
    }

    /**
     * The server applied a changed config while running ({@link Herd#reconfigure}): {@code summary}
     * says what changed for it, e.g. {@code links +Wilkes -Hands; limits changed}.
     */
    record ConfigReloaded(Instant at, String server, String summary) implements HerdEvent {
        public String kind() { return "CONFIG_RELOADED"; }
        public String party() { return "-"; }
        public String payload() { return summary; }
    }

    /** A notice for people: start-up choices ({@code INFO}) or trouble ({@code ERROR}). */
    record Notice(Instant at, String server, boolean error, String text) implements HerdEvent {
        public String kind() { return error ? "ERROR" : "INFO"; }
        public String party() { return "-"; }
        public String payload() { return text; }
    }
}
