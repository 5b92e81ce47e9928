package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.Limits;
import herd.engine.config.ServerSpec;
import herd.engine.testing.LineClient;
import herd.engine.testing.TestHerds;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose {@code listen} is not its {@code host}: it binds the listen address (every
 * address, here), its peers still dial its host, and the herd links up and floods as ever.
 */
class HerdListenTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path logs;

    /** The default herd on free ports, with Welsh listening on {@code listen}. */
    private HerdConfig welshListeningOn(String listen) throws IOException {
        HerdConfig c = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000);
        return c.withServerReplaced(c.server("Welsh").orElseThrow().withListen(listen));
    }

    @Test
    void aServerListeningOnEveryAddressIsDialledAtItsHostAndFloods() throws Exception {
        try (Herd herd = Herd.start(welshListeningOn("0.0.0.0"))) {
            ServerSpec welsh = herd.server("Welsh").spec();
            int port = welsh.port();
            assertEquals(new ServerSpec("Welsh", "127.0.0.1", port, "0.0.0.0"), welsh, "the port bound, listen kept");
            awaitLinkUp(herd, "Welsh", "Holiday");

            String at = LineClient.exchange("127.0.0.1", port, "IAMAT listen.kiwi +1+1 1\n").strip();
            assertTrue(at.startsWith("AT Welsh "), at);
            await().atMost(WAIT).until(() -> herd.server("Hands").location("listen.kiwi")
                    .map(r -> r.atLine().equals(at)).orElse(false));

            Optional<String> other = otherLocalIpv4();
            if (other.isPresent()) { // every address, not only the host: and Hands, bound to its host, is not
                String via = LineClient.exchange(other.get(), port, "IAMAT listen.other +1+1 2\n");
                assertTrue(via.startsWith("AT Welsh "), other.get() + ": " + via);
                int hands = TestHerds.port(herd, "Hands");
                assertThrows(IOException.class, () -> LineClient.exchange(other.get(), hands, "IAMAT x +1+1 3\n"));
            }

            await().atMost(WAIT).until(() -> Files.readString(logs.resolve("Welsh.log"))
                    .contains(" SERVER_UP - listening on 0.0.0.0:" + port + ", dialled at 127.0.0.1:" + port + "\n"));
            await().atMost(WAIT).until(() -> Files.readString(logs.resolve("Hands.log"))
                    .contains(" SERVER_UP - listening on 127.0.0.1:" + TestHerds.port(herd, "Hands") + "\n"));
        }
    }

    /** {@code ::} takes IPv6 and, dual-stack, IPv4: Welsh answers on ::1 and 127.0.0.1 and floods. */
    @Test
    void aServerListeningOnTheIpv6WildcardAnswersOnBothLoopbacksAndFloods() throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        try (Herd herd = Herd.start(welshListeningOn("::"))) {
            int port = TestHerds.port(herd, "Welsh");
            awaitLinkUp(herd, "Welsh", "Holiday");
            String at = LineClient.exchange("::1", port, "IAMAT listen6.kiwi +1+1 1\n").strip();
            assertTrue(at.startsWith("AT Welsh "), at);
            assertTrue(LineClient.exchange("127.0.0.1", port, "IAMAT listen6.other +1+1 1\n").startsWith("AT Welsh "));
            await().atMost(WAIT).until(() -> herd.server("Hands").location("listen6.kiwi")
                    .map(r -> r.atLine().equals(at)).orElse(false));
            await().atMost(WAIT).until(() -> Files.readString(logs.resolve("Welsh.log"))
                    .contains(" SERVER_UP - listening on [::]:" + port + ", dialled at 127.0.0.1:" + port + "\n"));
        }
    }

    /**
     * The launcher binds the listen address before the engine loads; the server adopts that
     * socket (it looks it up by the address it binds) and answers who connected before it ran.
     */
    @Test
    void aServerAdoptsThePortBoundEarlyOnItsListenAddress() throws Exception {
        int port = EarlyListeners.bind("Welsh", "0.0.0.0", 0, Limits.defaults().acceptBacklog());
        try {
            HerdConfig base = welshListeningOn("0.0.0.0");
            List<Integer> ports = new ArrayList<>(Collections.nCopies(base.servers().size(), 0));
            ports.set(base.serverNames().indexOf("Welsh"), port);
            HerdConfig config = base.withPorts(ports);
            try (LineClient early = new LineClient("127.0.0.1", port)) { // held by the kernel, no server yet
                early.send("IAMAT early.listen +1+1 1\n");
                try (Herd herd = Herd.start(config, List.of("Welsh"), Map.of())) {
                    assertTrue(early.readLine().startsWith("AT Welsh "), "answered once the server runs");
                    assertEquals(port, TestHerds.port(herd, "Welsh"));
                }
            }
        } finally {
            EarlyListeners.closeAll();
        }
    }

    private static void awaitLinkUp(Herd herd, String a, String b) {
        await().atMost(WAIT).until(() -> herd.server(a).linkStates().get(b) == LinkState.UP
                && herd.server(b).linkStates().get(a) == LinkState.UP);
    }

    /** An IPv4 address of this machine that is not loopback, if it has one that is up. */
    private static Optional<String> otherLocalIpv4() throws SocketException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                    return Optional.of(a.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}
