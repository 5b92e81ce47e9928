package herd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Python asyncio client suite ({@code src/test/python/client_suite.py}) against
 * five real launcher.jar processes: the way the scripts that use Herd talk to it.
 */
class PythonClientSuiteIT {

    @TempDir
    Path dir;

    @Test
    void asyncioClientSuitePassesAgainstTheJar() throws Exception {
        Path suite = Path.of(System.getProperty("herd.python.suite", "src/test/python/client_suite.py"));
        Path output = dir.resolve("suite.txt");
        Process p = new ProcessBuilder("/usr/bin/python3", suite.toAbsolutePath().toString(), "--server-cmd",
                HerdProcess.javaBinary() + " -jar " + HerdProcess.JAR.toAbsolutePath())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(Duration.ofMinutes(3).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
        }
        String text = Files.readString(output);
        // The suite's verdict only: its full output (a line per case) is in the failure message when it fails.
        System.out.println("PythonClientSuiteIT: " + text.strip().lines().reduce((first, last) -> last).orElse("(no output)"));
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.strip().endsWith(" 0 failed"), text);
    }
}
