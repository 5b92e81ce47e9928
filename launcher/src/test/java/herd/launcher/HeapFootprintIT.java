package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started as {@code java -jar launcher.jar Welsh} gives back heap it does not need
 * (HeapFootprint): G1's free-heap ratios and periodic collection are set once it answers,
 * read back from the running JVM with {@code jcmd PID VM.flags}; a ratio given on the command
 * line is left as given.
 */
class HeapFootprintIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static String flags(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "VM.flags").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return out;
    }

    @Test
    void aServerLowersG1sFreeHeapUnlessTheCommandLineSetIt() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(5);
        Files.writeString(dir.resolve("herd.json"), HerdProcess.config(ports));
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), List.of("-XX:+UseG1GC"), "Welsh", "--config", "herd.json")) {
            await().atMost(LIMIT).until(() -> HerdProcess.accepts(ports.get(3)));
            await().atMost(LIMIT).until(() -> flags(p.process.pid()).contains("-XX:MaxHeapFreeRatio=30"));
            String f = flags(p.process.pid());
            assertTrue(f.contains("-XX:MinHeapFreeRatio=10") && f.contains("-XX:G1PeriodicGCInterval=30000"), f);
        }
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), List.of("-XX:+UseG1GC", "-XX:MaxHeapFreeRatio=50"),
                "Welsh", "--config", "herd.json")) {
            await().atMost(LIMIT).until(() -> HerdProcess.accepts(ports.get(3)));
            await().atMost(LIMIT).until(() -> flags(p.process.pid()).contains("-XX:G1PeriodicGCInterval=30000"));
            String f = flags(p.process.pid());
            assertTrue(f.contains("-XX:MaxHeapFreeRatio=50"), "the operator's ratio stays: " + f);
        }
    }
}
