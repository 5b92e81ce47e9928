package herd.gui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** {@code launcher.jar --gui} as the launcher runs it: {@link Monitor#run}, in-process, headless. */
class MonitorRunTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path logs;
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    final FxRobot robot = new FxRobot();

    @BeforeAll
    static void javaFx() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    private List<Window> monitorWindows() {
        return robot.listTargetWindows().stream()
                .filter(w -> w instanceof Stage s && s.isShowing() && s.getTitle() != null && s.getTitle().startsWith("Herd monitor"))
                .toList();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void closingTheWindowShutsTheHerdDownCleanly() throws Exception {
        HerdConfig config = TestHerd.configOnFreePorts(logs);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Monitor.run(config, Map.of(), err));
        await().atMost(WAIT).until(() -> monitorWindows().size() == 1);
        assertTrue(config.servers().stream().allMatch(s -> accepts(s.port())));
        Stage stage = (Stage) monitorWindows().get(0);
        WaitForAsyncUtils.asyncFx(stage::close).get(10, TimeUnit.SECONDS);
        assertEquals(0, run.get(20, TimeUnit.SECONDS));
        assertTrue(config.servers().stream().noneMatch(s -> accepts(s.port())), "every port released");
        List<String> log = Files.readAllLines(logs.resolve("Welsh.log"));
        // SERVER_DOWN is written; connections still closing may log CLOSE or PEER_DOWN after it
        assertTrue(log.stream().anyMatch(l -> l.endsWith(" SERVER_DOWN - stopped")), log.toString());
        // closing the monitor is not an operator's take-down, and says so in every line it writes
        assertTrue(log.stream().noneMatch(l -> l.contains("taken down")), log.toString());
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).startsWith("herd: running Goloman, Hands, Holiday, Welsh, Wilkes with the monitor"));
    }

    @Test
    void aTakenPortIsOneLineAndExit1WithoutAWindow() throws Exception {
        HerdConfig config = TestHerd.configOnFreePorts(logs);
        int welsh = config.server("Welsh").orElseThrow().port();
        try (ServerSocket taken = new ServerSocket(welsh, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(1, Monitor.run(config, Map.of(), err));
        }
        assertEquals("herd: Welsh: cannot listen on 127.0.0.1:" + welsh + ": address already in use\n",
                errBytes.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), monitorWindows());
        assertTrue(config.servers().stream().noneMatch(s -> accepts(s.port())), "the servers that did start are stopped");
    }
}
