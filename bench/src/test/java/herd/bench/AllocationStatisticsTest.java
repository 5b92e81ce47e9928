package herd.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JFR reader, on recordings made in this JVM with the settings the benchmark hands the servers. */
class AllocationStatisticsTest {

    private static final int MB = 1024 * 1024;

    /** Keeps the allocations observable, so the JIT compiler cannot leave them out. */
    private static volatile Object sink;

    @TempDir
    Path dir;

    private static void allocate(int megabytes) {
        for (int i = 0; i < megabytes * 16; i++) {
            sink = new byte[64 * 1024];
        }
    }

    @Test
    void whatAThreadAllocatesWhileRecordingIsCounted() throws Exception {
        Path jfr = dir.resolve("alloc.jfr");
        try (Recording r = new Recording(Configuration.create(new StringReader(AllocationStatistics.SETTINGS)))) {
            r.start();
            allocate(16);
            r.stop();
            r.dump(jfr);
        }
        long bytes = AllocationStatistics.bytesAllocated(jfr);
        assertTrue(bytes >= 16L * MB, "16 MB allocated on this thread, the recording says " + bytes);
        assertTrue(bytes < 1024L * MB, "only what was allocated during the recording counts, not " + bytes);
    }

    @Test
    void aThreadBornDuringTheRecordingCountsInFull() throws Exception {
        Path jfr = dir.resolve("born.jfr");
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread born = new Thread(() -> {
            allocate(24);
            allocated.countDown();
            try {
                stopped.await(); // alive when the recording stops, so its total is in the last events
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "born-meanwhile");
        try (Recording r = new Recording(Configuration.create(new StringReader(AllocationStatistics.SETTINGS)))) {
            r.start();
            born.start();
            allocated.await();
            r.stop();
            r.dump(jfr);
        } finally {
            stopped.countDown();
            born.join();
        }
        long bytes = AllocationStatistics.bytesAllocated(jfr);
        assertTrue(bytes >= 24L * MB, "24 MB allocated by a thread born after the start, the recording says " + bytes);
    }
}
