package herd.gui;

import static herd.gui.MonitorWindowTest.awaitAllConnected;
import static herd.gui.MonitorWindowTest.onFx;
import static herd.gui.MonitorWindowTest.shown;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Start
    void start(Stage stage) throws Exception {
        herd = TestHerd.start(logs.resolve("run-" + System.nanoTime()));
        window = new MonitorWindow(herd.herd, herd.inbox);
        window.show(stage);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.close()).get(10, TimeUnit.SECONDS);
        herd.close();
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
        awaitAllConnected(robot, herd);
        herd.send("Goloman", "IAMAT quiet-1 +1+1 1\nIAMAT quiet-2 +1+1 1\nIAMAT quiet-3 +1+1 1\n");
        Label summary = robot.lookup("#convergence-summary").queryAs(Label.class);
        await().atMost(WAIT).until(() -> onFx(summary::getText).startsWith("3 clients: 15 fresh"));
        // The flood's dots and glow fade and the lines per second fall back to 0 within about a
        // second; from then on the herd is quiet (heartbeats are neither counted nor logged).
        await("a pulse-long stretch with no redraw").atMost(WAIT).until(() -> redrawsOverTicks(30) == 0);

        assertEquals(0, redrawsOverTicks(90), "about three seconds of a quiet herd redrew the window");

        long before = redraws();
        herd.send("Welsh", "IAMAT quiet-4 +1+1 2\n");
        await("the report's redraw").atMost(WAIT).until(() -> redraws() > before);
        await().atMost(WAIT).until(() -> shown(window.grid(), "quiet-4", "Hands") == Holding.FRESH);
    }
}
