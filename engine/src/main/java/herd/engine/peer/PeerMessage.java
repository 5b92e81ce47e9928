package herd.engine.peer;

import herd.engine.LocationReport;
import herd.engine.protocol.AtLine;
import herd.engine.protocol.Fields;
import java.util.List;
import java.util.Optional;

/**
 * Every line servers say to each other (README "Flooding between servers"), as a type, with
 * a pure parser and formatter. {@link #parse} checks the shape (word and field count); who
 * may say what, and when, is {@link PeerHandshake}'s. The client port carries these too:
 * a peer's first line is {@link TlsRequest} or {@link Hello}.
 */
public sealed interface PeerMessage {

    String TLS_REQUEST = "HERD-PEER-TLS";
    String TLS_ACCEPT = "HERD-PEER-TLS-OK";
    String TLS_READY = "HERD-PEER-TLS-READY";
    String HELLO = "HERD-PEER";
    String CHALLENGE = "HERD-PEER-CHALLENGE";
    String PROOF = "HERD-PEER-PROOF";
    String WELCOME = "HERD-PEER-OK";
    String HEARTBEAT = "HERD-ALIVE";

    /** The line, without a terminator. */
    String line();

    /** Dialer, first line when TLS is configured: switch this connection to TLS. */
    record TlsRequest(String dialer, String acceptor) implements PeerMessage {
        public String line() { return TLS_REQUEST + " " + dialer + " " + acceptor; }
    }

    /** Acceptor, in plain text: agreed; TLS starts after this line. */
    record TlsAccept(String acceptor) implements PeerMessage {
        public String line() { return TLS_ACCEPT + " " + acceptor; }
    }

    /** Acceptor, inside TLS: the dialer may go on (MINA 2.2 workaround, see PeerHandshake). */
    record TlsReady(String acceptor) implements PeerMessage {
        public String line() { return TLS_READY + " " + acceptor; }
    }

    /** Dialer: who it is and whom it wants; {@code nonce} is null without a shared secret. */
    record Hello(String dialer, String acceptor, String nonce) implements PeerMessage {
        public String line() { return HELLO + " " + dialer + " " + acceptor + (nonce == null ? "" : " " + nonce); }
    }

    /** Acceptor, with a shared secret: its nonce and its proof. */
    record Challenge(String acceptor, String nonce, String proof) implements PeerMessage {
        public String line() { return CHALLENGE + " " + acceptor + " " + nonce + " " + proof; }
    }

    /** Dialer, with a shared secret: its proof. */
    record Proof(String dialer, String proof) implements PeerMessage {
        public String line() { return PROOF + " " + dialer + " " + proof; }
    }

    /** Acceptor: the link is up. */
    record Welcome(String acceptor) implements PeerMessage {
        public String line() { return WELCOME + " " + acceptor; }
    }

    /** Either end, after a quiet second on an up link; never logged. */
    record Heartbeat() implements PeerMessage {
        public String line() { return HEARTBEAT; }
    }

    /** A location report being flooded: the AT line. */
    record Update(LocationReport report) implements PeerMessage {
        public String line() { return report.atLine(); }
    }

    /** The message on {@code line}; empty when it is none of the above. */
    static Optional<PeerMessage> parse(String line) {
        if (line.equals(HEARTBEAT)) {
            return Optional.of(new Heartbeat());
        }
        List<String> f = Fields.split(line);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        int n = f.size();
        PeerMessage m = switch (f.get(0)) {
            case TLS_REQUEST -> n == 3 ? new TlsRequest(f.get(1), f.get(2)) : null;
            case TLS_ACCEPT -> n == 2 ? new TlsAccept(f.get(1)) : null;
            case TLS_READY -> n == 2 ? new TlsReady(f.get(1)) : null;
            case HELLO -> n == 3 || n == 4 ? new Hello(f.get(1), f.get(2), n == 4 ? f.get(3) : null) : null;
            case CHALLENGE -> n == 4 ? new Challenge(f.get(1), f.get(2), f.get(3)) : null;
            case PROOF -> n == 3 ? new Proof(f.get(1), f.get(2)) : null;
            case WELCOME -> n == 2 ? new Welcome(f.get(1)) : null;
            case "AT" -> AtLine.parse(line).map(Update::new).orElse(null);
            default -> null;
        };
        return Optional.ofNullable(m);
    }
}
