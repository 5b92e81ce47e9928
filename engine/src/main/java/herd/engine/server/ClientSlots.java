package herd.engine.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one owner of a server's client-connection count ({@code limits.maxClients}). Every
 * accepted connection takes a slot when it opens, since a neighbour looks like a client
 * until its first line; it gives the slot back when it closes, or as soon as it turns out
 * to be a peer. Each {@link ClientSession} holds at most one slot, so no path can count a
 * connection twice or free a slot twice. Thread-safe.
 */
final class ClientSlots {

    private final AtomicInteger open = new AtomicInteger();
    private final int maxClients;
    private final int neighbours;

    ClientSlots(int maxClients, int neighbours) {
        this.maxClients = maxClients;
        this.neighbours = neighbours;
    }

    /**
     * Takes a slot for a newly accepted connection; false when even the headroom for the
     * neighbours is used up, and the connection is to be refused at once.
     */
    boolean take(ClientSession s) {
        if (!s.holdsSlot) {
            s.holdsSlot = true;
            return open.incrementAndGet() <= maxClients + neighbours;
        }
        return true;
    }

    /** True when a connection's first command may be served: the cap itself is not exceeded. */
    boolean withinCap() {
        return open.get() <= maxClients;
    }

    /** Gives back {@code s}'s slot, if it holds one. */
    void release(ClientSession s) {
        if (s.holdsSlot) {
            s.holdsSlot = false;
            open.decrementAndGet();
        }
    }

    int open() {
        return open.get();
    }

    String refusal() {
        return "refused: " + maxClients + " client connections already open (limits.maxClients)";
    }
}
