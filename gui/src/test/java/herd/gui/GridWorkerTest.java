package herd.gui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the grid is worked out again off the JavaFX thread: only when a server's counters or
 * the learn times moved, one frame at a time; on a real in-process herd, without a window.
 */
class GridWorkerTest {

    @TempDir
    Path logs;

    /** Far enough ahead that the pacer's rest after any frame here is over. */
    private static long later() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    }

    private static GridWorker.Frame frame(GridWorker worker) {
        AtomicReference<GridWorker.Frame> out = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            out.set(worker.take());
            return out.get() != null;
        });
        return out.get();
    }

    @Test
    void aFrameIsAskedForOnlyWhenTheCountersOrTheLearnTimesMoved() throws Exception {
        try (TestHerd herd = TestHerd.start(logs);
             GridWorker worker = new GridWorker(herd.herd, herd.experiment.learns())) {
            HerdSnapshot quiet = HerdSnapshot.countersOnly(herd.herd);
            assertTrue(worker.request(quiet, 0, later()), "the first frame");
            assertFalse(worker.request(quiet, 0, later()), "one frame at a time, and the one done not yet taken");
            GridWorker.Frame first = frame(worker);
            assertEquals(0, first.rows().size());
            assertFalse(worker.request(quiet, 0, later()), "nothing moved");

            assertTrue(worker.request(quiet, 1, later()), "only the learn times moved: a LEARNED may trail its table's change");
            frame(worker);

            herd.send("Welsh", "IAMAT worker.client +1+1 5\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.request(HerdSnapshot.countersOnly(herd.herd), 1, later()));
            GridWorker.Frame report = frame(worker);
            assertNotNull(report);
            assertEquals(1, report.rows().size());
            assertEquals("worker.client", report.rows().get(0).clientId());
        }
    }
}
