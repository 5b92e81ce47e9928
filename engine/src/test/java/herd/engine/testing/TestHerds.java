package herd.engine.testing;

import herd.engine.Herd;
import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds herds for tests: the default shape on free loopback ports, logging to a temp folder. */
public final class TestHerds {

    private TestHerds() {
    }

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
     * The default herd on free ports, with legacy Google Places at {@code placesUrl}, no cache
     * and no practical rate limit (so every WHATSAT reaches the stand-in).
     */
    public static HerdConfig config(Path logDir, String placesUrl, int timeoutMs) throws IOException {
        HerdConfig d = HerdConfig.defaults();
        return d.withPorts(freePorts(d.servers().size())).withLogDir(logDir)
                .withPlaces(PlacesSettings.defaults().withProvider("google").withUrl(placesUrl).withKeyEnv("HERD_TEST_KEY")
                        .withTimeoutMs(timeoutMs).withCache(0, 0).withMaxCallsPerSecond(10_000));
    }

    public static Map<String, String> keyEnv() {
        return Map.of("HERD_TEST_KEY", StandInGoogle.KEY);
    }

    public static int port(Herd herd, String name) {
        return herd.server(name).spec().port();
    }
}
