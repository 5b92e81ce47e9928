package herd.gui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.LinkState;
import herd.engine.config.HerdConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's changes to the herd itself, on real in-process herds without a window. */
class HerdOperatorTest {

    @TempDir
    Path logs;
    final BlockingQueue<String> reports = new LinkedBlockingQueue<>();

    private String nextReport() throws InterruptedException {
        String r = reports.poll(20, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the operator reported nothing");
        }
        return r;
    }

    @Test
    void theSummarySaysTheChangeOnceAndWhatElseChangedPerServer() {
        assertEquals("servers +Hilo — Hilo: added, 127.0.0.1:40001; Goloman: links +Hilo; Welsh: links +Hilo",
                HerdOperator.summary("servers +Hilo", "Hilo", List.of("Goloman: servers +Hilo; links +Hilo",
                        "Hands: servers +Hilo", "Welsh: servers +Hilo; links +Hilo", "Hilo: added, 127.0.0.1:40001")));
        assertEquals("servers -Hilo — Hilo: removed from the config, stopped",
                HerdOperator.summary("servers -Hilo", "Hilo", List.of("Hilo: removed from the config, stopped", "Welsh: servers -Hilo")));
        assertEquals("servers -Hands", HerdOperator.summary("servers -Hands", "Hands", List.of("Welsh: servers -Hands")));
    }

    @Test
    void theLastServerIsNotRemoved() throws Exception {
        HerdConfig five = TestHerd.config(logs);
        HerdConfig one = five.withoutServer("Goloman").withoutServer("Hands").withoutServer("Holiday").withoutServer("Wilkes");
        try (TestHerd herd = TestHerd.start(one); HerdOperator operator = new HerdOperator(herd.herd, c -> reports.add(c.words(null)))) {
            operator.removeServer("Welsh");
            assertEquals("cannot remove Welsh: it is the last server of the herd", nextReport());
            assertEquals(List.of("Welsh"), herd.herd.config().serverNames());
            assertTrue(herd.herd.server("Welsh").isUp());
        }
    }

    @Test
    void aServerThatCannotListenLeavesTheHerdAsItWas() throws Exception {
        try (TestHerd herd = TestHerd.start(logs);
             HerdOperator operator = new HerdOperator(herd.herd, c -> reports.add(c.words(null)));
             ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            HerdConfig before = herd.herd.config();
            operator.addServer(new NewServer("Hilo", taken.getLocalPort(), List.of("Welsh", "Goloman")));
            assertEquals("cannot add Hilo: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use; the herd is as it was", nextReport());
            assertEquals(before.serverNames(), herd.herd.config().serverNames());
            assertEquals(before.links(), herd.herd.config().links());
            assertEquals(List.of("Holiday"), herd.herd.server("Welsh").linkStates().keySet().stream().toList(),
                    "Welsh's link to Hilo is gone");
            await().atMost(Duration.ofSeconds(15)).until(() -> herd.herd.servers().stream()
                    .allMatch(s -> s.linkStates().values().stream().allMatch(l -> l == LinkState.UP)));
        }
    }
}
