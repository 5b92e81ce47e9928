package herd.engine.peer;

import herd.engine.protocol.ClientTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/**
 * The updates one link still owes its peer, at most one per client: newest wins, so a
 * newer update replaces an older one still waiting (and keeps its place in line), and an
 * older one never replaces a newer. The backlog is therefore bounded by the number of
 * clients, never by time: a slow peer receives the newest state, not seconds of history.
 * Clients leave in the order they first became pending.
 *
 * <p>Not thread-safe: its {@link PeerLink} guards it.
 */
final class PendingUpdates {

    private record Update(ClientTime time, byte[] line) {}

    private final LinkedHashMap<String, Update> byClient = new LinkedHashMap<>();
    private long bytes;

    /** Adds {@code clientId}'s update unless one at least as new is already waiting. */
    void put(String clientId, ClientTime time, byte[] line) {
        Update old = byClient.get(clientId);
        if (old == null) {
            byClient.put(clientId, new Update(time, line));
            bytes += line.length + 1;
        } else if (time.isAfter(old.time())) {
            byClient.put(clientId, new Update(time, line)); // a LinkedHashMap keeps the key's place
            bytes += line.length - old.line().length;
        }
    }

    /**
     * Hands waiting lines to {@code out}, oldest client first, until about {@code maxBytes}
     * have gone (at least one, if any waits); returns how many went.
     */
    int drain(long maxBytes, Consumer<byte[]> out) {
        int n = 0;
        long sent = 0;
        Iterator<Update> it = byClient.values().iterator();
        while (it.hasNext() && (n == 0 || sent < maxBytes)) {
            byte[] line = it.next().line();
            it.remove();
            bytes -= line.length + 1;
            sent += line.length + 1;
            out.accept(line);
            n++;
        }
        return n;
    }

    boolean isEmpty() {
        return byClient.isEmpty();
    }

    int size() {
        return byClient.size();
    }

    /** The waiting lines' bytes, newlines included. */
    long bytes() {
        return bytes;
    }

    void clear() {
        byClient.clear();
        bytes = 0;
    }
}
