package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the client suite ({@code launcher/src/test/python/client_suite.py}, the one
 * launcher's PythonClientSuiteIT runs against the jar) against the two herds the benchmark
 * compares the Java herd with: five real {@code node bench/node-herd/server.js} processes,
 * and five real {@code python3 bench/asyncio-herd/server.py} processes. With
 * {@code -Dherd.python36=/path/to/python3.6} the asyncio herd also runs under a Python 3.6
 * (the assignment's version); without it that case is skipped.
 */
class OtherHerdsClientSuiteIT {

    private static final Path SUITE = Path.of(System.getProperty("herd.client.suite",
            "../launcher/src/test/python/client_suite.py"));
    private static final Path NODE_SERVER = Path.of(System.getProperty("herd.node.server", "node-herd/server.js"));
    private static final Path ASYNCIO_SERVER = Path.of(System.getProperty("herd.asyncio.server", "asyncio-herd/server.py"));
    private static final String NODE = System.getProperty("herd.node", "/usr/bin/node");

    @TempDir
    Path dir;

    /** Node and asyncio; and asyncio under Python 3.6 only when one is given (no skipped case, no warning in the build). */
    static Stream<Arguments> herds() {
        String python36 = System.getProperty("herd.python36", "");
        Stream<Arguments> always = Stream.of(
                Arguments.of("node", NODE + " " + NODE_SERVER.toAbsolutePath()),
                Arguments.of("asyncio", "/usr/bin/python3 " + ASYNCIO_SERVER.toAbsolutePath()));
        return python36.isBlank() ? always
                : Stream.concat(always, Stream.of(Arguments.of("asyncio-python3.6", python36 + " " + ASYNCIO_SERVER.toAbsolutePath())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("herds")
    void clientSuitePasses(String herd, String serverCmd) throws Exception {
        if (herd.equals("node")) {
            assertTrue(Files.isExecutable(Path.of(NODE)), NODE + " not found: install Node.js (Debian: apt-get install nodejs)");
        }
        Path output = dir.resolve("suite.txt");
        Process p = new ProcessBuilder("/usr/bin/python3", SUITE.toAbsolutePath().toString(), "--server-cmd", serverCmd)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String text = Files.readString(output);
        // The verdict only: the whole output (a line per case, the servers' output) is in the failure message.
        System.out.println("OtherHerdsClientSuiteIT " + herd + ": "
                + text.strip().lines().reduce((first, last) -> last).orElse("(no output)"));
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.strip().endsWith(" 0 failed"), text);
    }
}
