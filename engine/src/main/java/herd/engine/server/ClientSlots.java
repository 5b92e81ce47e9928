package herd.engine.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The one owner of a server's client-connection count ({@code limits.maxClients}). Every
 * accepted connection takes a slot when it opens, since a neighbour looks like a client
 * until its first line; it gives the slot back when it closes, or as soon as it turns out
 * to be a peer. Each {@link ClientSession} holds at most one slot, so no path can count a
 * connection twice or free a slot twice. Thread-safe.
 */
final class ClientSlots {

    private final AtomicInteger open = new AtomicInteger();
    /** The cap in force ({@code limits.maxClients}, read per connection: a config reload may change it). */
    private final IntSupplier maxClients;
    /** Headroom for the neighbours' links; a config reload may change how many there are. */
    private volatile int neighbours;

    ClientSlots(IntSupplier maxClients, int neighbours) {
        this.maxClients = maxClients;
        this.neighbours = neighbours;
    }

    /** The server now has {@code n} neighbours (a config reload added or removed links). */
    void neighbours(int n) {
        neighbours = n;
    }

    /**
     * Takes a slot for a newly accepted connection; false when even the headroom for the
     * neighbours is used up, and the connection is to be refused at once.
     */
    boolean take(ClientSession s) {
        if (!s.holdsSlot) {
            s.holdsSlot = true;
            return open.incrementAndGet() <= maxClients.getAsInt() + neighbours;
        }
        return true;
    }

    /** True when a connection's first command may be served: the cap itself is not exceeded. */
    boolean withinCap() {
        return open.get() <= maxClients.getAsInt();
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
        return "refused: " + maxClients.getAsInt() + " client connections already open (limits.maxClients)";
    }
}
