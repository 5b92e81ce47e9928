package herd.gui;

import static herd.gui.MonitorWindowTest.awaitAllConnected;
import static herd.gui.MonitorWindowTest.edgeIs;
import static herd.gui.MonitorWindowTest.onFx;
import static herd.gui.MonitorWindowTest.shown;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
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
 * The monitor at its smallest size (1024 × 700) on a real in-process herd, headless: nothing
 * essential cut, the grid's search and toggle, and the keyboard (Ctrl+F, Esc, Up, Ctrl +,
 * the first focus).
 */
@ExtendWith(ApplicationExtension.class)
class MonitorLayoutTest {

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
        window = herd.openWindow(stage);
        stage.setWidth(MonitorWindow.MIN_WIDTH);
        stage.setHeight(MonitorWindow.MIN_HEIGHT);
    }

    @AfterEach
    void stop() throws Exception {
        herd.closeWith(window);
    }

    /** What a labeled control shows: the text node its skin draws, which JavaFX ends with "…" when the text does not fit. */
    private static String rendered(Labeled l) {
        Node text = l.lookup(".text");
        return text instanceof Text t ? t.getText() : "";
    }

    private static void labeleds(Node n, List<Labeled> out) {
        if (n instanceof Labeled l && n.isVisible() && l.getText() != null && !l.getText().isEmpty()) {
            out.add(l);
        }
        if (n instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> labeleds(c, out));
        }
    }

    /** Every button, toggle, title, legend entry and column header at 1024 × 700 shows its whole text. */
    @Test
    void atTheSmallestSizeNoButtonTitleOrHeaderIsCut(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        herd.send("Goloman", "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 " + System.currentTimeMillis() / 1000 + ".5\n");
        ConvergenceGrid grid = window.grid();
        await().atMost(WAIT).until(() -> shown(grid, "kiwi.cs.ucla.edu", "Wilkes") == Holding.FRESH);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1024, onFx(() -> stage.getScene().getWidth()), 1);
        assertEquals(MonitorWindow.MIN_WIDTH, onFx(stage::getMinWidth));
        List<String> cut = onFx(() -> {
            List<Labeled> all = new ArrayList<>();
            labeleds(stage.getScene().getRoot(), all);
            List<String> out = new ArrayList<>();
            for (Labeled l : all) {
                boolean mustBeWhole = l instanceof Button || l instanceof ToggleButton || l.getStyleClass().contains("panel-title")
                        || within(l, "legend") || within(l, "column-header")
                        || "grid-count".equals(l.getId()) || "log-matches".equals(l.getId());
                if (mustBeWhole && !rendered(l).equals(l.getText())) {
                    out.add("'" + l.getText() + "' shows as '" + rendered(l) + "'");
                }
            }
            return out;
        });
        assertEquals(List.of(), cut);
        for (String button : List.of("#heal-all", "#add-server", "#console-send", "#log-pause", "#grid-not-fresh")) {
            Labeled b = robot.lookup(button).queryAs(Labeled.class);
            assertEquals(onFx(b::getText), onFx(() -> rendered(b)), button);
        }
        // no cell of the grid is cut (at this width the last server columns scroll sideways instead),
        // and the newest report's "via" is whole
        TableView<?> table = robot.lookup("#convergence").queryAs(TableView.class);
        List<String> cutCells = onFx(() -> table.lookupAll(".table-cell").stream()
                .filter(n -> n instanceof Labeled l && l.getText() != null && !l.getText().isEmpty()
                        && !rendered(l).equals(l.getText()))
                .map(n -> "'" + ((Labeled) n).getText() + "' shows as '" + rendered((Labeled) n) + "'").toList());
        assertEquals(List.of(), cutCells);
        String newest = onFx(() -> table.lookupAll(".table-cell").stream().filter(n -> n instanceof Labeled l
                && l.getText() != null && l.getText().contains(" via ")).map(n -> rendered((Labeled) n)).findFirst().orElse(""));
        assertTrue(newest.endsWith(" via Goloman"), newest);
    }

    private static boolean within(Node n, String styleClass) {
        for (Node p = n.getParent(); p != null; p = p.getParent()) {
            if (p.getStyleClass().contains(styleClass)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theSearchFindsAClientAmongAThousandAndNotFreshOnlyKeepsTheRowsACutLinkSplits(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            many.append("IAMAT crowd-").append(i).append(" +1+1 5\n");
        }
        herd.send("Goloman", many.toString());
        herd.send("Hands", "IAMAT Experiment.One +1+1 5\n");
        ConvergenceGrid grid = window.grid();
        await().atMost(WAIT).until(() -> shown(grid, "crowd-999", "Welsh") == Holding.FRESH
                && shown(grid, "Experiment.One", "Welsh") == Holding.FRESH);
        Label count = robot.lookup("#grid-count").queryAs(Label.class);
        assertEquals("1001 clients", onFx(count::getText));

        robot.clickOn("#grid-search").write("EXPERIMENT.o"); // any case
        assertEquals(List.of("Experiment.One"), onFx(grid::shownClients));
        assertEquals("1 of 1001 clients", onFx(count::getText));
        robot.type(KeyCode.ESCAPE);
        assertEquals("", onFx(robot.lookup("#grid-search").queryAs(TextField.class)::getText));
        assertEquals(1001, onFx(grid::shownClients).size());

        // a report behind a cut link: Welsh alone holds it, so its row is the one not fresh everywhere
        robot.clickOn("#grid-not-fresh");
        assertEquals(0, onFx(grid::shownClients).size(), "every row is fresh everywhere");
        robot.clickOn("#edge-Holiday-Welsh");
        await().atMost(WAIT).until(() -> edgeIs(robot, "edge-Holiday-Welsh", EdgeState.CUT));
        herd.send("Welsh", "IAMAT crowd-7 +1+1 6\n");
        await().atMost(WAIT).until(() -> onFx(grid::shownClients).equals(List.of("crowd-7")));
        assertEquals("1 of 1001 clients", onFx(count::getText));
        robot.clickOn("#edge-Holiday-Welsh"); // restored: the report floods on, the row is fresh again and leaves
        await().atMost(WAIT).until(() -> onFx(grid::shownClients).isEmpty());
    }

    @Test
    void theKeyboardFindsClearsRecallsAndZoomsAndNeverStartsOnHealAll(FxRobot robot) throws Exception {
        // the focus starts in the console's line, so Space types a space rather than healing the herd
        assertEquals("console-line", onFx(() -> stage.getScene().getFocusOwner().getId()));

        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        assertEquals("log-filter", onFx(() -> stage.getScene().getFocusOwner().getId()));
        robot.write("no-such-text-xyz");
        Label empty = robot.lookup("#log-empty-Goloman").queryAs(Label.class);
        assertEquals("no line in Goloman's tail contains 'no-such-text-xyz'", onFx(empty::getText));
        assertTrue(onFx(robot.lookup("#log-matches").queryAs(Label.class)::getText).matches("0 of \\d+"));
        // the longer count leaves the bar's buttons inside the window, and whole
        ToggleButton pause = robot.lookup("#log-pause").queryAs(ToggleButton.class);
        assertTrue(onFx(() -> pause.localToScene(pause.getBoundsInLocal()).getMaxX() <= stage.getScene().getWidth()),
                "Pause is pushed out of the window");
        assertEquals("Pause", onFx(() -> rendered(pause)));
        robot.type(KeyCode.ESCAPE);
        assertEquals("", onFx(robot.lookup("#log-filter").queryAs(TextField.class)::getText));
        assertTrue(onFx(() -> !((ListView<?>) robot.lookup("#log-Goloman").query()).getItems().isEmpty()));

        robot.clickOn("#console-line").write("IAMAT recalled +1+1 3").type(KeyCode.ENTER);
        TextField line = robot.lookup("#console-line").queryAs(TextField.class);
        await().atMost(WAIT).until(() -> herd.herd.server("Goloman").location("recalled").isPresent());
        WaitForAsyncUtils.asyncFx(line::clear).get(5, TimeUnit.SECONDS);
        robot.type(KeyCode.UP);
        assertEquals("IAMAT recalled +1+1 3", onFx(line::getText));

        double before = onFx(() -> robot.lookup("#heal-all").queryAs(Button.class).getFont().getSize());
        robot.press(KeyCode.CONTROL, KeyCode.EQUALS).release(KeyCode.EQUALS, KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.EQUALS).release(KeyCode.EQUALS, KeyCode.CONTROL);
        double larger = onFx(() -> robot.lookup("#heal-all").queryAs(Button.class).getFont().getSize());
        assertEquals(before + 2 * TextZoom.STEP, larger, 0.01);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT0).release(KeyCode.DIGIT0, KeyCode.CONTROL);
        assertEquals(before, onFx(() -> robot.lookup("#heal-all").queryAs(Button.class).getFont().getSize()), 0.01);
    }
}
