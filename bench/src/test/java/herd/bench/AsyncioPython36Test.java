package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asyncio herd stays within Python 3.6.4, the version the original assignment fixes:
 * {@code bench/asyncio-herd/check_py36.py} (the 3.6 grammar, and a table of names added
 * after 3.6) finds nothing in {@code server.py}, and does find a 3.7 call added to a copy,
 * so that the check itself cannot pass by finding nothing anywhere.
 */
class AsyncioPython36Test {

    private static final Path SERVER = Path.of(System.getProperty("herd.asyncio.server", "asyncio-herd/server.py"));
    private static final Path CHECK = SERVER.resolveSibling("check_py36.py");

    @TempDir
    Path dir;

    @Test
    void serverPyUsesNothingNewerThanPython36() throws Exception {
        Result r = check(SERVER);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().strip().endsWith("within Python 3.6"), r.output());
    }

    @Test
    void theCheckFindsA37CallAndA38Syntax() throws Exception {
        String source = Files.readString(SERVER, StandardCharsets.UTF_8);
        Path call = dir.resolve("call.py");
        Files.writeString(call, source + "\n\nasync def _later():\n    asyncio.create_task(_later())\n");
        Result r = check(call);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("asyncio.create_task is Python 3.7"), r.output());

        Path walrus = dir.resolve("walrus.py");
        Files.writeString(walrus, source + "\n\nif (n := len(DEFAULT_LINKS)):\n    pass\n");
        Result w = check(walrus);
        assertEquals(1, w.exit(), w.output());
        assertTrue(w.output().contains("not Python 3.6 syntax"), w.output());
    }

    private record Result(int exit, String output) {}

    private Result check(Path file) throws IOException, InterruptedException {
        Path out = dir.resolve("check-" + file.getFileName() + ".txt");
        Process p = new ProcessBuilder("/usr/bin/python3", CHECK.toAbsolutePath().toString(), file.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("check_py36.py did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out));
    }
}
