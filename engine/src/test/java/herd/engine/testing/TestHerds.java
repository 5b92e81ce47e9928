package herd.engine.testing;

import herd.engine.Herd;
import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import herd.engine.config.Security;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Builds herds for tests: the default shape on free loopback ports, logging to a temp folder,
 * with peers authenticating by a cookie kept in a temporary folder of this test run's own
 * (tests never read or make the user's {@code ~/.herd/cookie}).
 */
public final class TestHerds {

    private TestHerds() {
    }

    /** Made on first use; deleted when the test JVM exits (the engine makes the file in it). */
    private static final class Cookie {
        static final Path FILE;

        static {
            try {
                Path folder = Files.createTempDirectory("herd-test-cookie"); // 0700
                folder.toFile().deleteOnExit();
                FILE = folder.resolve("cookie");
                FILE.toFile().deleteOnExit(); // before its folder: deleteOnExit runs in reverse order
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The cookie file of every herd {@link #config} makes in this test run. */
    public static Path cookieFile() {
        return Cookie.FILE;
    }

    /** The test run's cookie, once a herd that reads it has started (for a fake peer's proofs). */
    public static String cookie() throws IOException {
        return Files.readString(cookieFile(), StandardCharsets.US_ASCII).strip();
    }

    /** Ports free a moment ago, for a test that needs a port nothing listens on. */
    public static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /**
     * The default herd, every server on port 0 (any free port, read back from
     * {@link #port}), with legacy Google Places at {@code placesUrl}, no cache
     * and no practical rate limit (so every WHATSAT reaches the stand-in).
     */
    public static HerdConfig config(Path logDir, String placesUrl, int timeoutMs) throws IOException {
        HerdConfig d = HerdConfig.defaults();
        return d.withPorts(Collections.nCopies(d.servers().size(), 0)).withLogDir(logDir)
                .withSecurity(Security.defaults().withCookieFile(cookieFile()))
                .withPlaces(PlacesSettings.defaults().withProvider("google").withUrl(placesUrl).withKeyEnv("HERD_TEST_KEY")
                        .withTimeoutMs(timeoutMs).withCache(0, 0).withMaxCallsPerSecond(10_000));
    }

    /**
     * As {@link #config}, but on ports known before the start (free a moment ago), for the
     * few tests that need them: one port taken, every one released, or servers of one herd
     * config running in separate {@code Herd}s, which find each other only by config.
     */
    public static HerdConfig configOnFreePorts(Path logDir, String placesUrl, int timeoutMs) throws IOException {
        HerdConfig c = config(logDir, placesUrl, timeoutMs);
        return c.withPorts(freePorts(c.servers().size()));
    }

    public static Map<String, String> keyEnv() {
        return Map.of("HERD_TEST_KEY", StandInGoogle.KEY);
    }

    public static int port(Herd herd, String name) {
        return herd.server(name).spec().port();
    }
}
