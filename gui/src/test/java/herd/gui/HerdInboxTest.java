package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.HerdEvent;
import herd.engine.Party;
import herd.engine.config.HerdConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HerdInboxTest {

    private static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void peerLinesSentAreCountedPerDirection() {
        HerdInbox inbox = new HerdInbox(HerdConfig.defaults(), 100);
        inbox.onEvent(new HerdEvent.LineOut(T, "Holiday", Party.peer("Welsh"), "AT ..."));
        inbox.onEvent(new HerdEvent.LineOut(T, "Holiday", Party.peer("Welsh"), "AT ..."));
        inbox.onEvent(new HerdEvent.LineOut(T, "Welsh", Party.peer("Holiday"), "AT ..."));
        inbox.onEvent(new HerdEvent.LineOut(T, "Welsh", Party.client("127.0.0.1:5"), "AT ..."));
        inbox.onEvent(new HerdEvent.LineIn(T, "Welsh", Party.peer("Holiday"), "AT ..."));
        assertEquals(Map.of(new HerdInbox.Crossing("Holiday", "Welsh"), 2L, new HerdInbox.Crossing("Welsh", "Holiday"), 1L),
                inbox.takeCrossings());
        assertEquals(Map.of(), inbox.takeCrossings(), "counts restart after each take");
        Map<String, List<HerdEvent>> events = inbox.drainEvents();
        assertEquals(2, events.get("Holiday").size());
        assertEquals(3, events.get("Welsh").size());
    }

    @Test
    void aFloodFromManyThreadsKeepsTheNewestEventsAndCountsTheSkippedOnes() throws Exception {
        HerdInbox inbox = new HerdInbox(HerdConfig.defaults(), 1000);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(threads.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    inbox.onEvent(new HerdEvent.LineOut(T, "Goloman", Party.peer("Hands"), "AT " + i));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        threads.shutdown();
        List<HerdEvent> kept = inbox.drainEvents().get("Goloman");
        assertEquals(1000, kept.size());
        assertTrue(kept.stream().filter(e -> e.payload().equals("AT 9999")).count() >= 1, "the last lines are kept");
        assertEquals(Map.of("Goloman", 39_000L), inbox.takeSkipped());
        assertEquals(Map.of(new HerdInbox.Crossing("Goloman", "Hands"), 40_000L), inbox.takeCrossings(),
                "the graph's traffic counts are never skipped");
    }

    @Test
    void aServerTheHerdAddsLaterIsQueuedFromItsFirstEvent() {
        HerdInbox inbox = new HerdInbox(HerdConfig.defaults(), 100);
        inbox.onEvent(new HerdEvent.Notice(T, "Hilo", false, "config test; added to a running herd"));
        inbox.onEvent(new HerdEvent.LineOut(T, "Hilo", Party.peer("Welsh"), "AT ..."));
        inbox.onEvent(new HerdEvent.LineOut(T, "Welsh", Party.peer("Hilo"), "AT ..."));
        assertEquals(Map.of(new HerdInbox.Crossing("Hilo", "Welsh"), 1L, new HerdInbox.Crossing("Welsh", "Hilo"), 1L),
                inbox.takeCrossings());
        assertEquals(List.of("config test; added to a running herd", "AT ..."),
                inbox.drainEvents().get("Hilo").stream().map(HerdEvent::payload).toList());
    }
}
