package herd.gui;

import static herd.gui.MonitorWindowTest.awaitAllConnected;
import static herd.gui.MonitorWindowTest.edgeIds;
import static herd.gui.MonitorWindowTest.edgeIs;
import static herd.gui.MonitorWindowTest.onFx;
import static herd.gui.MonitorWindowTest.shown;
import static herd.gui.MonitorWindowTest.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.LinkState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The herd grown and shrunk from the monitor window (Add server..., a server's Remove), on a
 * real in-process herd driven with TestFX's robot, headless: every panel follows.
 */
@ExtendWith(ApplicationExtension.class)
class MonitorGrowTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> FIVE = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    private static final Set<String> SIX_LINKS = Set.of("edge-Goloman-Hands", "edge-Goloman-Holiday", "edge-Goloman-Wilkes",
            "edge-Hands-Wilkes", "edge-Holiday-Welsh", "edge-Holiday-Wilkes");
    private static final List<String> EARLIER = List.of("kiwi", "lime", "fig");

    @TempDir
    static Path logs;
    TestHerd herd;
    MonitorWindow window;
    Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        herd = TestHerd.start(logs.resolve("run-" + System.nanoTime()));
        window = herd.openWindow(stage);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.close()).get(10, TimeUnit.SECONDS);
        FxToolkit.cleanupStages(); // a dialog a failed test left open
        herd.close();
    }

    private String status(FxRobot robot) {
        return onFx(robot.lookup("#status-action").queryAs(Label.class)::getText);
    }

    private boolean hasNode(FxRobot robot, String server) {
        return onFx(() -> robot.lookup("#server-" + server).tryQuery().isPresent());
    }

    /** Reports the earlier clients at three servers and waits until all five hold them. */
    private void reportEarlierClients() throws Exception {
        herd.send("Hands", "IAMAT kiwi +1+1 10\n");
        herd.send("Welsh", "IAMAT lime +2+2 11\n");
        herd.send("Goloman", "IAMAT fig +3+3 12\n");
        await().atMost(WAIT).until(() -> everyColumnFresh(EARLIER, FIVE));
    }

    private boolean everyColumnFresh(List<String> clients, List<String> servers) {
        return clients.stream().allMatch(c -> servers.stream().allMatch(s -> shown(window.grid(), c, s) == Holding.FRESH));
    }

    /** Adds Hilo through the dialog, linked with {@code neighbours}. */
    private void addHilo(FxRobot robot, String... neighbours) {
        robot.clickOn("#add-server");
        robot.clickOn("#new-server-name").write("Hilo");
        for (String n : neighbours) {
            robot.clickOn("#link-with-" + n);
        }
        robot.clickOn("#new-server-ok");
    }

    @Test
    void aSixthServerAddedInTheDialogLinksUpLearnsTheEarlierClientsAndFloodsItsOwnReport(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        reportEarlierClients();

        addHilo(robot, "Welsh", "Goloman");
        await().atMost(WAIT).until(() -> hasNode(robot, "Hilo"));
        await().atMost(WAIT).until(() -> edgeIds(robot).containsAll(Set.of("edge-Goloman-Hilo", "edge-Hilo-Welsh"))
                && edgeIs(robot, "edge-Goloman-Hilo", EdgeState.CONNECTED) && edgeIs(robot, "edge-Hilo-Welsh", EdgeState.CONNECTED));
        assertEquals(8, edgeIds(robot).size());
        // table repair brings Hilo every client reported before it existed
        await().atMost(WAIT).until(() -> everyColumnFresh(EARLIER, List.of("Hilo")));
        assertEquals(Stream.concat(FIVE.stream(), Stream.of("Hilo")).toList(), onFx(window.grid()::serverColumns));
        // the columns share the width as they did at the start: the client's is not stretched past its
        // preferred 130 at the others' expense, and no server's is squeezed below its minimum (46: "fresh"
        // and a short header whole)
        List<Double> widths = onFx(window.grid()::columnWidths);
        assertTrue(widths.get(0) <= 130 && widths.subList(2, 8).stream().allMatch(w -> w >= 46), widths.toString());
        assertTrue(status(robot).startsWith("servers +Hilo — Hilo: added, 127.0.0.1:"), status(robot));
        assertTrue(status(robot).contains("Goloman: links +Hilo") && status(robot).contains("Welsh: links +Hilo"),
                status(robot));
        assertTrue(onFx(stage::getTitle).startsWith("Herd monitor — 6 servers, 8 links — config: test herd"),
                onFx(stage::getTitle));
        assertTrue(onFx(window.tails()::tabTitles).contains("Hilo"));
        List<String> hiloTail = text(onFx(() -> window.tails().tail("Hilo").shown()));
        assertTrue(hiloTail.get(0).contains(" INFO - config test herd; added to a running herd"), hiloTail.toString());

        // a report sent at Hilo from the console reaches every column
        robot.clickOn("#console-server");
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").match((ListCell<?> c) -> "Hilo".equals(c.getText()))
                .queryAs(ListCell.class));
        robot.clickOn("#console-line").write("IAMAT from-hilo +4+4 20");
        robot.clickOn("#console-send");
        TextArea reply = robot.lookup("#console-reply").queryAs(TextArea.class);
        await().atMost(WAIT).until(() -> onFx(reply::getText).startsWith("AT Hilo "));
        await().atMost(WAIT).until(() -> everyColumnFresh(List.of("from-hilo"),
                Stream.concat(FIVE.stream(), Stream.of("Hilo")).toList()));
    }

    @Test
    void removingTheSixthTakesItsNodeItsLinksAndItsColumnAway(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        addHilo(robot, "Welsh");
        await().atMost(WAIT).until(() -> hasNode(robot, "Hilo") && edgeIs(robot, "edge-Hilo-Welsh", EdgeState.CONNECTED));

        robot.rightClickOn("#server-Hilo");
        robot.clickOn("Remove Hilo from the herd");
        await().atMost(WAIT).until(() -> !hasNode(robot, "Hilo"));
        assertEquals(SIX_LINKS, edgeIds(robot));
        await().atMost(WAIT).until(() -> onFx(window.grid()::serverColumns).equals(FIVE));
        assertEquals(FIVE, herd.herd.config().serverNames());
        assertEquals(Set.of("Holiday"), herd.herd.server("Welsh").linkStates().keySet(), "Welsh no longer has a link to Hilo");
        await().atMost(WAIT).until(() -> status(robot).equals("servers -Hilo — Hilo: removed from the config, stopped; "
                + "Welsh: links -Hilo"));
        assertTrue(onFx(window.tails()::tabTitles).contains("Hilo (removed)"));
        assertTrue(onFx(stage::getTitle).startsWith("Herd monitor — 5 servers, 6 links"), onFx(stage::getTitle));
        awaitAllConnected(robot, herd);
        assertTrue(herd.herd.servers().stream().allMatch(s -> s.linkStates().values().stream().allMatch(l -> l == LinkState.UP)));
    }

    @Test
    void aBadNameIsSaidInTheDialogAndChangesNothing(FxRobot robot) {
        awaitAllConnected(robot, herd);
        String before = status(robot);
        robot.clickOn("#add-server");
        Label problem = robot.lookup("#new-server-problem").queryAs(Label.class);
        Node ok = robot.lookup("#new-server-ok").query();
        robot.clickOn("#link-with-Welsh");
        robot.clickOn("#new-server-name").write("Hilo 2");
        assertEquals("no spaces in a name", onFx(problem::getText));
        assertTrue(onFx(ok::isDisabled), "OK waits for a good name");
        robot.eraseText(6).write("Welsh");
        assertEquals("Welsh is taken: the herd has a server by that name", onFx(problem::getText));
        assertTrue(onFx(ok::isDisabled));
        robot.clickOn(ok); // disabled: nothing happens
        robot.clickOn("#new-server-cancel");
        assertFalse(onFx(() -> robot.lookup("#new-server-name").tryQuery().isPresent()), "the dialog is closed");
        assertEquals(FIVE, herd.herd.config().serverNames());
        assertEquals(5, onFx(() -> robot.lookup(".herd-node").queryAll().size()));
        assertEquals(before, status(robot), "no action was taken");
    }
}
