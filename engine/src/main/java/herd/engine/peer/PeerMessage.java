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
    String DIGEST = "HERD-DIGEST";
    String DIGEST_END = "HERD-DIGEST-END";
    String REPAIR = "HERD-REPAIR";
    String REPAIR_ACK = "HERD-REPAIR-ACK";
    String REPAIR_DONE = "HERD-REPAIR-DONE";

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

    /**
     * Part of a table digest (README "Table repair"): {@code bucket:sum} pairs, the sum in
     * hex, for buckets that hold anything; buckets not named are empty.
     */
    record Digest(int[] buckets, long[] sums) implements PeerMessage {
        public String line() {
            StringBuilder b = new StringBuilder(DIGEST);
            for (int i = 0; i < buckets.length; i++) {
                b.append(' ').append(buckets[i]).append(':').append(Long.toHexString(sums[i]));
            }
            return b.toString();
        }
    }

    /**
     * The end of a digest: its bucket count (the same on both ends, else every bucket
     * differs), how many clients it covers, and whether the other end should answer with its
     * own digest ({@code reply}: a server that learned from a repair asking for another round).
     */
    record DigestEnd(int buckets, int clients, boolean reply) implements PeerMessage {
        public String line() { return DIGEST_END + " " + buckets + " " + clients + (reply ? " reply" : " final"); }
    }

    /** Repair: the next {@code count} AT lines are batch {@code batch} of the table repair. */
    record RepairBatch(int batch, int count) implements PeerMessage {
        public String line() { return REPAIR + " " + batch + " " + count; }
    }

    /** Repair: every batch up to {@code batch} has been taken; the sender may send more. */
    record RepairAck(int batch) implements PeerMessage {
        public String line() { return REPAIR_ACK + " " + batch; }
    }

    /** Repair: the answer to a digest is complete, {@code records} records in {@code buckets} buckets. */
    record RepairDone(int records, int buckets) implements PeerMessage {
        public String line() { return REPAIR_DONE + " " + records + " " + buckets; }
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
            case DIGEST -> digest(f);
            case DIGEST_END -> n == 4 && counts(f, 1, 2) && (f.get(3).equals("reply") || f.get(3).equals("final"))
                    ? new DigestEnd(number(f.get(1)), number(f.get(2)), f.get(3).equals("reply")) : null;
            case REPAIR -> n == 3 && counts(f, 1, 2) ? new RepairBatch(number(f.get(1)), number(f.get(2))) : null;
            case REPAIR_ACK -> n == 2 && counts(f, 1, 1) ? new RepairAck(number(f.get(1))) : null;
            case REPAIR_DONE -> n == 3 && counts(f, 1, 2) ? new RepairDone(number(f.get(1)), number(f.get(2))) : null;
            default -> null;
        };
        return Optional.ofNullable(m);
    }

    /** A digest line's pairs; null when one is malformed. */
    private static Digest digest(List<String> f) {
        int n = f.size() - 1;
        int[] buckets = new int[n];
        long[] sums = new long[n];
        for (int i = 0; i < n; i++) {
            String pair = f.get(i + 1);
            int colon = pair.indexOf(':');
            if (colon < 1 || colon == pair.length() - 1 || pair.length() - colon - 1 > 16) {
                return null;
            }
            try {
                buckets[i] = Integer.parseInt(pair, 0, colon, 10);
                sums[i] = Long.parseUnsignedLong(pair, colon + 1, pair.length(), 16);
            } catch (NumberFormatException e) {
                return null;
            }
            if (buckets[i] < 0) {
                return null;
            }
        }
        return new Digest(buckets, sums);
    }

    /** True when fields {@code from} to {@code to} are counts ({@link #number}). */
    private static boolean counts(List<String> f, int from, int to) {
        for (int i = from; i <= to; i++) {
            if (number(f.get(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A non-negative decimal count, or {@code Integer.MIN_VALUE} for anything else (the
     * message then fails its checks).
     */
    private static int number(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return Integer.MIN_VALUE;
        }
        int v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Integer.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
