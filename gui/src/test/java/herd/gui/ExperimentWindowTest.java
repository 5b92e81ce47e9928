package herd.gui;

import static herd.gui.MonitorWindowTest.awaitAllConnected;
import static herd.gui.MonitorWindowTest.edgeIs;
import static herd.gui.MonitorWindowTest.onFx;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.Link;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The experiment in the window, on a real in-process herd: propagation times in the grid, a
 * heal's time in the status bar and the timeline, and Export's files against the servers' own
 * event logs.
 */
@ExtendWith(ApplicationExtension.class)
class ExperimentWindowTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern HEALED =
            Pattern.compile("Holiday-Welsh healed: Welsh up to date (\\S+ m?s) after the link came up");

    @TempDir
    static Path temp;
    TestHerd herd;
    MonitorWindow window;
    Path logDir;

    @Start
    void start(Stage stage) throws Exception {
        logDir = temp.resolve("run-" + System.nanoTime());
        herd = TestHerd.start(logDir);
        window = herd.openWindow(stage);
    }

    @AfterEach
    void stop() throws Exception {
        herd.closeWith(window);
    }

    /**
     * The strip chart scrolls once a second; behind the Convergence tab it is not drawn (that
     * cost about 4% of a core while idle), and it is drawn as soon as its tab comes to the front.
     */
    @Test
    void theStripChartIsDrawnOnlyWhileItsTabIsInFront(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        herd.send("Welsh", "IAMAT charted.client +34.068930-118.445127 1621464827.5\n");
        await().atMost(WAIT).until(() -> herd.experiment.learns().recorded() >= 5);
        PropagationChart chart = window.experimentPanel().chart();
        int behind = onFx(chart::draws);
        long start = herd.experiment.nowMicros();
        await().atMost(WAIT).until(() -> herd.experiment.nowMicros() - start > 2_500_000); // two whole seconds ticked
        assertEquals(behind, onFx(chart::draws), "drawn behind its tab");
        onFx(() -> {
            javafx.scene.control.TabPane tabs = (javafx.scene.control.TabPane) robot.lookup(".tab-pane")
                    .match(n -> ((javafx.scene.control.TabPane) n).getTabs().stream().anyMatch(tab -> "tab-experiment".equals(tab.getId())))
                    .query();
            tabs.getSelectionModel().select(tabs.getTabs().stream().filter(tab -> "tab-experiment".equals(tab.getId())).findFirst().orElseThrow());
            return null;
        });
        await().atMost(WAIT).until(() -> onFx(chart::draws) > behind);
    }

    @Test
    void aConsoleSendShowsItsSpreadAndEachServersLearnTimeAsRecorded(FxRobot robot) {
        awaitAllConnected(robot, herd);
        robot.clickOn("#console-server");
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").match((ListCell<?> c) -> "Welsh".equals(c.getText()))
                .queryAs(ListCell.class));
        String line = "IAMAT timed.client +34.068930-118.445127 1621464827.959498503";
        onFx(() -> {
            robot.lookup("#console-line").queryTextInputControl().setText(line);
            return null;
        });
        robot.clickOn("#console-send");
        ConvergenceGrid grid = window.grid();
        await().atMost(WAIT).until(() -> String.valueOf(onFx(() -> grid.shownSpread("timed.client"))).startsWith("all 5 in"));

        LearnTimes.Report report = herd.experiment.learns().report("timed.client", "1621464827.959498503");
        long last = 0;
        for (String server : herd.herd.config().serverNames()) {
            LearnTimes.Learn learn = report.lastBy(server);
            last = Math.max(last, learn.atMicros() - report.firstMicros());
            assertEquals(ReportSpread.cell(learn, report.firstMicros()), onFx(() -> grid.shownTime("timed.client", server)),
                    server);
        }
        assertEquals("origin", onFx(() -> grid.shownTime("timed.client", "Welsh")));
        assertTrue(onFx(() -> grid.shownTime("timed.client", "Holiday")).matches("\\+\\S+ m?s via Welsh"),
                onFx(() -> grid.shownTime("timed.client", "Holiday")));
        assertEquals("all 5 in " + Durations.micros(last), onFx(() -> grid.shownSpread("timed.client")));
        // the send is in the experiment's timeline, with its line
        await().atMost(WAIT).until(() -> onFx(() -> window.experimentPanel().timelineLines()).stream()
                .anyMatch(l -> l.endsWith("  send Welsh: " + line)));
        assertEquals(List.of("send"), herd.experiment.timeline().actions().stream().map(Timeline.Action::action).toList());
    }

    @Test
    void aRestoreSaysHowLongTheHealTookAndExportMatchesTheEventLogs(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        robot.clickOn("#edge-Holiday-Welsh");
        await().atMost(WAIT).until(() -> edgeIs(robot, "edge-Holiday-Welsh", EdgeState.CUT));
        assertTrue(herd.send("Hands", "IAMAT behind +1+1 100.25\n").startsWith("AT Hands "));
        await().atMost(WAIT).until(() -> herd.herd.server("Holiday").location("behind").isPresent());
        robot.clickOn("#edge-Holiday-Welsh");

        Label status = robot.lookup("#status-action").queryAs(Label.class);
        await().atMost(WAIT).until(() -> HEALED.matcher(onFx(status::getText)).matches());
        Matcher m = HEALED.matcher(onFx(status::getText));
        assertTrue(m.matches());
        // the figure is the recorder's: from the link up (both ends) to Welsh's learn of the report
        LinkChanges.Change up = herd.experiment.links().changes().stream()
                .filter(c -> c.link().equals(Link.between("Holiday", "Welsh")) && c.state().equals("up"))
                .reduce((a, b) -> b).orElseThrow();
        long welsh = herd.experiment.learns().report("behind", "100.25").lastBy("Welsh").atMicros();
        assertEquals(Durations.micros(welsh - up.atMicros()), m.group(1));
        assertTrue(onFx(() -> window.experimentPanel().timelineLines()).stream().anyMatch(l -> l.endsWith(m.group())),
                "the timeline says it too");

        // every LEARNED line is in the log files before the export reads them
        int learns = herd.experiment.learns().reports().stream().mapToInt(r -> r.learns().size()).sum();
        await().atMost(WAIT).until(() -> logLines().stream().filter(l -> l.contains(" LEARNED ")).count() == learns);
        Path out = temp.resolve("export-" + System.nanoTime());
        ExperimentExport.Summary summary = onFx(() -> window.export(out)).get(20, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(Set.copyOf(ExperimentExport.FILES), files.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()));
        }

        List<String> learned = Files.readAllLines(out.resolve("learned.csv"));
        assertEquals("client,report_time,server,learned_at,learned_us,after_first_us,from", learned.get(0));
        Set<String> rows = new HashSet<>();
        for (String row : learned.subList(1, learned.size())) {
            String[] f = row.split(",", -1);
            assertEquals(7, f.length, row);
            assertEquals(Long.parseLong(f[4]), LearnTimes.micros(java.time.Instant.parse(f[3])) - herd.experiment.startMicros());
            rows.add(String.join(" ", f[2], f[3], f[6], f[0], f[1]));
        }
        int logged = 0;
        for (String server : herd.herd.config().serverNames()) {
            for (String l : Files.readAllLines(logDir.resolve(server + ".log"))) {
                String[] f = l.split(" ");
                if (f[1].equals("LEARNED")) { // time LEARNED from AT server diff client location time
                    logged++;
                    String key = String.join(" ", server, f[0], f[2], f[6], f[8]);
                    assertTrue(rows.contains(key), "learned.csv lacks " + key);
                }
            }
        }
        assertEquals(logged, learned.size() - 1, "one row per LEARNED line");
        assertEquals(logged, summary.learns());

        List<String> actions = Files.readAllLines(out.resolve("actions.csv"));
        assertEquals("at,at_us,action,target,detail", actions.get(0));
        assertEquals(List.of("cut,Holiday-Welsh,", "restore,Holiday-Welsh,"),
                actions.subList(1, actions.size()).stream().map(r -> r.split(",", 3)[2]).toList());

        List<String> links = Files.readAllLines(out.resolve("links.csv"));
        assertEquals("at,at_us,link,state,detail", links.get(0));
        List<String> holidayWelsh = links.stream().filter(r -> r.contains(",Holiday-Welsh,"))
                .map(r -> r.split(",")[3]).toList();
        assertEquals(List.of("up", "cut", "restoring", "up"), holidayWelsh);

        // herd.log: every server's lines since the start, each with its server's name, in time order
        List<String> merged = Files.readAllLines(out.resolve("herd.log"));
        List<String> expected = new ArrayList<>(logLines());
        assertEquals(expected.size(), merged.size());
        Set<String> mergedLines = Set.copyOf(merged);
        assertEquals(List.of(), expected.stream().filter(l -> !mergedLines.contains(l)).limit(3).toList(),
                "lines of the servers' logs missing from herd.log");
        List<String> times = merged.stream().map(l -> l.split(" ")[1]).toList();
        assertEquals(times.stream().sorted().toList(), times);
    }

    /** Every line of every server's log, prefixed with the server's name. */
    private List<String> logLines() {
        List<String> out = new ArrayList<>();
        for (String server : herd.herd.config().serverNames()) {
            try {
                Files.readAllLines(logDir.resolve(server + ".log")).forEach(l -> out.add(server + " " + l));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
