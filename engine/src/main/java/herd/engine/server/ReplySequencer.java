package herd.engine.server;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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

    /**
     * Fills {@code slot} with the reply {@code build} makes, or, if building it throws, with
     * the reply {@code onFailure} makes of the exception: a slot is always answered, never
     * left to hold back every later reply of its connection.
     */
    void complete(Slot slot, Supplier<Reply> build, Function<RuntimeException, Reply> onFailure) {
        Reply reply;
        try {
            reply = build.get();
        } catch (RuntimeException e) {
            reply = onFailure.apply(e);
        }
        complete(slot, reply);
    }

    /** Sends {@code reply} in order after everything reserved so far. */
    synchronized void reply(Reply reply) {
        if (slots.isEmpty()) {
            send.accept(reply); // nothing ahead of it: no slot to reserve (every IAMAT of a client that waits on nothing)
            runIfDrained();
            return;
        }
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
