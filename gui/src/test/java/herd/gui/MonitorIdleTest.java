package herd.gui;

import static herd.gui.MonitorWindowTest.onFx;
import static herd.gui.MonitorWindowTest.shown;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.LinkState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The monitor is cheap when idle (issue 15 item 7): while the herd is quiet its pulses change
 * nothing on screen, so JavaFX redraws nothing; a report makes it redraw. The costs in figures
 * are MonitorCostBench's (README "The monitor (GUI)").
 */
@ExtendWith(ApplicationExtension.class)
class MonitorIdleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path logs;
    TestHerd herd;
    MonitorWindow window;
    Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        herd = TestHerd.start(logs.resolve("run-" + System.nanoTime()));
    }

    @AfterEach
    void stop() throws Exception {
        herd.closeWith(window);
    }

    /** Every peer line any server has sent. */
    private long peerLines() {
        return herd.herd.servers().stream().mapToLong(s -> s.stats().peerLinesOut()).sum();
    }

    private long ticks() {
        return onFx(window::pulseTimes)[0];
    }

    private long redraws() {
        return onFx(window::redraws);
    }

    /** Waits until {@code n} more pulses have ticked; returns the redraws they made. */
    private long redrawsOverTicks(int n) {
        long ticks = ticks();
        long redraws = redraws();
        await().atMost(WAIT).until(() -> ticks() >= ticks + n);
        return redraws() - redraws;
    }

    @Test
    void aQuietHerdOfClientsCostsNoRedrawAndAReportDoes(FxRobot robot) throws Exception {
        // The herd is quiet before the window opens: its links up, three clients known everywhere,
        // and no peer line sent for a poll interval. (With the window open, the report's traffic
        // would stay in the sparklines' last minute, scrolling: a change worth a redraw.)
        await().atMost(WAIT).until(() -> herd.herd.servers().stream()
                .allMatch(s -> s.linkStates().values().stream().allMatch(l -> l == LinkState.UP)));
        herd.send("Goloman", "IAMAT quiet-1 +1+1 1\nIAMAT quiet-2 +1+1 1\nIAMAT quiet-3 +1+1 1\n");
        await().atMost(WAIT).until(() -> herd.herd.servers().stream().allMatch(s -> s.stats().knownClients() == 3));
        long[] lines = {-1};
        await("no peer line for half a second").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = peerLines();
            boolean still = now == lines[0];
            lines[0] = now;
            return still;
        });
        herd.inbox.takeCrossings(); // what the quiet herd did before the window: not this test's
        herd.inbox.drainEvents();
        window = WaitForAsyncUtils.asyncFx(() -> {
            MonitorWindow w = new MonitorWindow(herd.herd, herd.inbox, herd.experiment);
            w.show(stage);
            return w;
        }).get(10, TimeUnit.SECONDS);
        Label summary = robot.lookup("#convergence-summary").queryAs(Label.class);
        await().atMost(WAIT).until(() -> onFx(summary::getText).startsWith("3 clients: 15 fresh"));

        assertEquals(0, redrawsOverTicks(90), "about three seconds of a quiet herd redrew the window");

        long before = redraws();
        herd.send("Welsh", "IAMAT quiet-4 +1+1 2\n");
        await("the report's redraw").atMost(WAIT).until(() -> redraws() > before);
        await().atMost(WAIT).until(() -> shown(window.grid(), "quiet-4", "Hands") == Holding.FRESH);
    }
}
