package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A link removed from the config (a reload) is closed for good: nothing redials it. */
class RetiredLinkTest {

    @Test
    void aRetiredLinkNeverDialsAgain() {
        ManualTimer timer = new ManualTimer();
        TestNode goloman = new TestNode("Goloman", timer); // Goloman sorts first: it dials Hands
        AtomicInteger dials = new AtomicInteger();
        PeerLink link = goloman.link("Hands", (l, address, attempt) -> {
            dials.incrementAndGet();
            l.connectDone(attempt, false); // nothing listens
        });
        link.start();
        for (int i = 0; i < 5; i++) {
            timer.runNext(); // each failure schedules the next try
        }
        assertEquals(6, dials.get(), "the announcement and five redials");

        link.retire();
        assertTrue(timer.pending().isEmpty(), "the pending redial is cancelled: " + timer.pending());
        link.closed(null, "a late close of a connection it had");
        assertTrue(timer.pending().isEmpty(), "nothing scheduled after the link was removed");
        assertEquals(6, dials.get());
    }
}
