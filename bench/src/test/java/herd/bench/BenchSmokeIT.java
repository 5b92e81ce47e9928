package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bench.jar compare --smoke} as a real process against the three real herds
 * (launcher.jar, the asyncio server.py and the Node.js server.js): every scenario for about a second at tiny
 * sizes, so the tool cannot rot. Asserts that it ran clean (no error, no lost update, no
 * dropped link, no "event log fell behind") and wrote the table, the CSV files and the
 * charts; never asserts a timing target.
 */
class BenchSmokeIT {

    @TempDir
    Path dir;

    @Test
    void everyScenarioRunsCleanAgainstTheThreeHerdsAndTheTableIsWritten() throws Exception {
        Path benchJar = Path.of(System.getProperty("herd.bench.jar", "target/bench.jar"));
        Path herdJar = Path.of(System.getProperty("herd.jar", "../launcher/target/launcher.jar"));
        Path asyncio = Path.of(System.getProperty("herd.asyncio.server", "asyncio-herd/server.py"));
        Path node = Path.of(System.getProperty("herd.node.server", "node-herd/server.js"));
        Path out = dir.resolve("results");
        Path log = dir.resolve("bench.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", benchJar.toAbsolutePath().toString(), "compare", "--smoke",
                "--out", out.toString(), "--launcher", herdJar.toAbsolutePath().toString(),
                "--asyncio", asyncio.toAbsolutePath().toString(), "--python", "/usr/bin/python3",
                "--node", node.toAbsolutePath().toString(), "--node-exe", "/usr/bin/node")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(6, TimeUnit.MINUTES);
        if (!exited) {
            p.destroyForcibly();
        }
        // Smoke figures mean nothing, so a pass prints nothing; a failure's message carries the whole output.
        String text = Files.readString(log);
        assertTrue(exited, "bench did not finish within 6 minutes:\n" + text);
        assertEquals(0, p.exitValue(),
                "bench reported errors, lost updates, dropped links or event-log gaps, or could not run:\n" + text);
        for (String row : List.of("| 1 round trip | p50 |", "| 2 throughput, 50×4 IAMAT to one server | replies/s |",
                "| 3 propagation Welsh→Hands (3 hops), idle | p50 |", "| 4 capacity, idle clients on one server |",
                "| p90 |", "| peer links dropped during this scenario (PEER_DOWN in the event logs) | 0 | 0 |  | 0 |",
                "| 4b capacity, distinct clients in one server's table | resident memory per client in the table |",
                "| bytes allocated per IAMAT, hub server (Goloman) |", "| bytes allocated per IAMAT, whole herd (five servers) |",
                "| 5 WHATSAT, stand-in Google, same query (cache hits) | replies/s |",
                "| 6 start-up | process start to listening port", "| process start to first answer (median server) |",
                "| 6b rejoin, Holiday restarted after 2.5 s down | restart: port listening to every link up",
                "| 7 accept burst, connections opened at once on one server | first connect to the last right reply",
                "| connections failed: refused, reset, wrong reply or none within 30 s (also errors) | 0 | 0 |  | 0 |",
                "errors (malformed, missing or refused replies) | 0 | 0 |  | 0 |",
                "lost updates (a server without a client's newest report) | 0 | 0 |  | 0 |",
                "event log fell behind (ERROR lines: events left out of the log) | 0 | 0 |  | 0 |",
                "| scenario | measure | Herd (Java/MINA) | asyncio | ratio | Node.js | ratio ÷ Node.js | target | met |")) {
            assertTrue(text.contains(row), "the table lacks a row starting " + row + ":\n" + text);
        }
        for (String file : List.of("summary.md", "summary.csv", "runs.csv", "throughput.png", "latency.png", "memory.png",
                "startup.png", "roundtrip-percentiles.png")) {
            assertTrue(Files.size(out.resolve(file)) > 100, file + " is missing or empty");
        }
        String summary = Files.readString(out.resolve("summary.csv"));
        assertTrue(summary.startsWith("metric,scenario,measure,unit,java,asyncio,ratio,target,met,node,node_ratio\n"), summary);
        assertTrue(summary.lines().filter(l -> l.startsWith("ONE_RATE,")).allMatch(l -> !l.endsWith(",,")), summary);
        String runs = Files.readString(out.resolve("runs.csv"));
        for (String herd : List.of("java", "asyncio", "node")) {
            assertTrue(runs.contains("\n1," + herd + ",ONE_RATE,"), herd + " has no runs.csv row:\n" + runs);
        }
    }
}
