package herd.engine;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keeps a client's replies in the order of its commands: each command reserves a slot, and
 * a slot's reply is sent only when every earlier slot has been. A WHATSAT waiting on Places
 * therefore holds back a later IAMAT's reply. Thread-safe: slots are filled from I/O
 * threads and HTTP threads; sending happens under the sequencer's lock, in order.
 */
final class ReplySequencer {

    /** A reserved place in the reply order. */
    static final class Slot {
        private Reply reply;
    }

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final Consumer<Reply> send;
    private Runnable whenDrained;

    ReplySequencer(Consumer<Reply> send) {
        this.send = send;
    }

    synchronized Slot reserve() {
        Slot slot = new Slot();
        slots.addLast(slot);
        return slot;
    }

    /** Fills {@code slot} and sends every reply that is now at the head of the order. */
    synchronized void complete(Slot slot, Reply reply) {
        slot.reply = reply;
        while (!slots.isEmpty() && slots.peekFirst().reply != null) {
            send.accept(slots.removeFirst().reply);
        }
        runIfDrained();
    }

    /** Sends {@code reply} in order after everything reserved so far. */
    void reply(Reply reply) {
        complete(reserve(), reply);
    }

    /** Runs {@code action} once every reserved slot has been sent (now, if none is pending). */
    synchronized void whenDrained(Runnable action) {
        whenDrained = action;
        runIfDrained();
    }

    private void runIfDrained() {
        if (slots.isEmpty() && whenDrained != null) {
            Runnable action = whenDrained;
            whenDrained = null;
            action.run();
        }
    }
}
