package herd.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @TempDir
    Path dir;

    @Test
    void everyChartRendersHeadlessEvenWithMissingFigures() throws Exception {
        List<HerdRun> runs = new ArrayList<>();
        for (String herd : List.of("java", "asyncio", "node")) {
            HerdRun r = new HerdRun(herd, 1);
            double f = herd.equals("java") ? 1 : herd.equals("asyncio") ? 2 : 1.5;
            for (Metric m : Metric.values()) {
                if (m != Metric.WS_OFFLINE_RATE || herd.equals("java")) {
                    r.put(m, 100 * f + m.ordinal());
                }
            }
            r.roundTrip = new Histogram(3);
            for (int i = 1; i <= 10_000; i++) {
                r.roundTrip.recordValue((long) (i * 10 * f));
            }
            runs.add(r);
        }
        Charts.write(dir, new Summary(runs, "java", "asyncio", "node"), "Herd (Java/MINA)", "asyncio", "Node.js");
        for (String png : List.of("throughput.png", "latency.png", "memory.png", "startup.png",
                "roundtrip-percentiles.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }
}
