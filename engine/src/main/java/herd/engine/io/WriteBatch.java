package herd.engine.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces the writes an I/O thread makes while it handles one read: everything written
 * to the same connection leaves as one buffer, in one write, once the read has been
 * handled, instead of one write (one system call, and on loopback the receiver's TCP work
 * too) per line. Under load one read carries many commands or updates, and per-line
 * writes were half of a flooding server's CPU time (bench scenario 2: Holiday made eleven
 * writes per read). Peer connections are flushed before clients, so an IAMAT's update
 * still leaves before its reply.
 *
 * <p>Thread confinement: a batch belongs to the thread running {@link #during}. A write
 * from any other thread (a Places answer, a timer) goes out at once, after any bytes of
 * that connection still waiting in a batch ({@link Connection#write} keeps the order).
 */
public final class WriteBatch {

    private static final ThreadLocal<WriteBatch> CURRENT = ThreadLocal.withInitial(WriteBatch::new);

    private final List<Connection> touched = new ArrayList<>();
    private boolean active;

    private WriteBatch() {
    }

    /** Runs {@code work}, then flushes every connection it wrote to. */
    public static void during(Runnable work) {
        WriteBatch b = CURRENT.get();
        if (b.active) {
            work.run();
            return;
        }
        b.active = true;
        try {
            work.run();
        } finally {
            b.active = false;
            b.flushAll();
        }
    }

    /** True when {@code c}'s bytes wait for the end of this thread's batch; false outside one. */
    static boolean defer(Connection c) {
        WriteBatch b = CURRENT.get();
        if (!b.active) {
            return false;
        }
        if (!b.touched.contains(c)) { // a handful of connections per read: a list is enough
            b.touched.add(c);
        }
        return true;
    }

    private void flushAll() {
        try {
            for (Connection c : touched) {
                if (c.isPeer()) {
                    c.flush();
                }
            }
            for (Connection c : touched) {
                if (!c.isPeer()) {
                    c.flush();
                }
            }
        } finally {
            touched.clear();
        }
    }
}
