package herd.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies in command order, whatever order they are ready in; a failed slot is answered, not lost. */
class ReplySequencerTest {

    final List<String> sent = new ArrayList<>();
    final ReplySequencer replies = new ReplySequencer(r -> sent.add(r.logText()));

    @Test
    void aLaterReplyWaitsForAnEarlierSlot() {
        ReplySequencer.Slot whatsat = replies.reserve();
        replies.reply(Reply.line("AT iamat"));
        assertEquals(List.of(), sent);
        replies.complete(whatsat, Reply.line("AT whatsat"));
        assertEquals(List.of("AT whatsat", "AT iamat"), sent);
    }

    @Test
    void aReplyThatFailsToBuildIsAnsweredWithTheFallbackAndTheOrderGoesOn() {
        ReplySequencer.Slot slot = replies.reserve();
        replies.reply(Reply.line("AT later"));
        replies.complete(slot, () -> {
            throw new IllegalStateException("broken JSON");
        }, e -> Reply.line("fallback: " + e.getMessage()));
        assertEquals(List.of("fallback: broken JSON", "AT later"), sent);
    }

    @Test
    void whenDrainedRunsOnceEveryReservedSlotIsSent() {
        List<String> done = new ArrayList<>();
        ReplySequencer.Slot slot = replies.reserve();
        replies.whenDrained(() -> done.add("closed"));
        assertEquals(List.of(), done);
        replies.complete(slot, Reply.line("AT x"));
        assertEquals(List.of("closed"), done);
        replies.whenDrained(() -> done.add("again"));
        assertEquals(List.of("closed", "again"), done, "nothing pending: at once");
    }
}
