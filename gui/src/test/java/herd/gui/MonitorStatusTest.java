package herd.gui;

import static herd.gui.MonitorWindowTest.awaitAllConnected;
import static herd.gui.MonitorWindowTest.edgeIs;
import static herd.gui.MonitorWindowTest.onFx;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The status bar never contradicts the link it speaks of (issue 15 item 4): its words are
 * worked out from the same poll the graph draws, on every pulse.
 */
@ExtendWith(ApplicationExtension.class)
class MonitorStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String LINK = "edge-Holiday-Welsh";

    @TempDir
    static Path logs;
    TestHerd herd;
    MonitorWindow window;

    @Start
    void start(Stage stage) throws Exception {
        herd = TestHerd.start(logs.resolve("run-" + System.nanoTime()));
        window = herd.openWindow(stage);
    }

    @AfterEach
    void stop() throws Exception {
        herd.closeWith(window);
    }

    /** One pulse as drawn: the link's state and the status bar's words. */
    record Seen(EdgeState link, String status) {
    }

    private static String status(FxRobot robot) {
        return onFx(robot.lookup("#status-action").queryAs(Label.class)::getText);
    }

    /** After every pulse's layout, what the window shows of the link and the status bar. */
    private static List<Seen> watch(FxRobot robot) {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        onFx(() -> {
            Node edge = robot.lookup("#" + LINK).query();
            Label action = robot.lookup("#status-action").queryAs(Label.class);
            edge.getScene().addPostLayoutPulseListener(() -> {
                for (EdgeState s : EdgeState.values()) {
                    if (edge.getStyleClass().contains(s.label())) {
                        seen.add(new Seen(s, action.getText()));
                    }
                }
            });
            return null;
        });
        return seen;
    }

    /** What the bar says once the restored link is up: restored, then (settled) healed. */
    private static boolean isUp(String status) {
        return status.equals("link Holiday–Welsh restored (up)") || status.startsWith("Holiday-Welsh healed: ");
    }

    @Test
    void aRestoreDuringTrafficSaysRestoringUntilTheLinkIsUpThenRestored(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> {
            for (int round = 1; sending.get(); round++) {
                StringBuilder lines = new StringBuilder();
                for (int c = 0; c < 200; c++) {
                    lines.append("IAMAT traffic-").append(c).append(" +1+1 ").append(round).append('\n');
                }
                try {
                    herd.send(round % 2 == 0 ? "Welsh" : "Holiday", lines.toString());
                } catch (IOException e) {
                    return;
                }
            }
        }, "status-traffic");
        traffic.start();
        try {
            robot.clickOn("#" + LINK);
            await().atMost(WAIT).until(() -> edgeIs(robot, LINK, EdgeState.CUT)
                    && status(robot).equals("link Holiday–Welsh cut: both ends dropped it and will not redial"));
            List<Seen> seen = watch(robot);
            robot.clickOn("#" + LINK);
            // Up, the bar says "restored (up)" until the heal settles (half a second with nothing
            // more to relearn), then the heal's figure; a slow pulse under this traffic can skip
            // the first, so either ends the wait.
            await().atMost(WAIT).until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).link() == EdgeState.CONNECTED
                    && isUp(seen.get(seen.size() - 1).status()));
            for (Seen s : seen) {
                if (s.link() == EdgeState.CONNECTED) {
                    assertFalse(s.status().contains("will not redial") || s.status().startsWith("restoring"), s.toString());
                } else {
                    assertFalse(isUp(s.status()), s.toString());
                }
                if (s.status().contains("will not redial")) {
                    assertEquals(EdgeState.CUT, s.link(), s.toString());
                }
                if (s.link() == EdgeState.REDIALLING) {
                    assertTrue(s.status().startsWith("restoring link Holiday–Welsh"), s.toString());
                }
            }
        } finally {
            sending.set(false);
            traffic.join(20_000);
        }
    }

    @Test
    void aLinkRestoredWhileAnEndIsDownIsNotCalledUpUntilItIs(FxRobot robot) {
        awaitAllConnected(robot, herd);
        robot.clickOn("#" + LINK);
        await().atMost(WAIT).until(() -> edgeIs(robot, LINK, EdgeState.CUT));
        robot.clickOn("#server-Welsh");
        await().atMost(WAIT).until(() -> status(robot).startsWith("Welsh taken down"));
        robot.clickOn("#" + LINK);
        await().atMost(WAIT).until(() -> edgeIs(robot, LINK, EdgeState.DOWN));
        assertEquals("link Holiday–Welsh no longer cut; down while Welsh is down", status(robot));

        robot.clickOn("#server-Welsh");
        await().atMost(WAIT).until(() -> status(robot).equals("Welsh brought up (up, 1 of 1 links connected)"));
        assertTrue(edgeIs(robot, LINK, EdgeState.CONNECTED));
    }
}
