package herd.gui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The experiment: the propagation strip chart, the timeline of operator actions and the
 * heals they brought (each with its microsecond time), and the Export... button. Fed on each
 * pulse from the {@link Experiment}; the timeline is rebuilt only when an action or a heal
 * was added. JavaFX thread only.
 */
final class ExperimentPanel extends VBox {

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

    private record Entry(long atMicros, String text) {
    }

    private final Experiment experiment;
    private final PropagationChart chart = new PropagationChart();
    private final ListView<String> timeline = new ListView<>();
    private final Label kept = new Label();
    private final List<HealWatch.Heal> heals = new ArrayList<>();
    private List<Timeline.Action> shownActions = List.of();
    private int shownHeals;

    ExperimentPanel(Experiment experiment, Runnable export) {
        this.experiment = experiment;
        getStyleClass().add("experiment");
        Label title = new Label("Experiment");
        title.getStyleClass().add("panel-title");
        Button exportButton = new Button("Export...");
        exportButton.setId("export");
        exportButton.setMinWidth(Region.USE_PREF_SIZE);
        exportButton.setTooltip(new Tooltip("write actions.csv, learned.csv, links.csv and herd.log to a folder"));
        exportButton.setOnAction(e -> export.run());
        kept.setId("experiment-kept");
        kept.setMinWidth(0);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(10, title, kept, gap, exportButton);
        bar.setAlignment(Pos.CENTER_LEFT);
        timeline.setId("timeline");
        timeline.setPlaceholder(new Label("no actions yet: cut a link, take a server down, send a report"));
        timeline.setPrefWidth(360);
        timeline.setMinWidth(120);
        HBox.setHgrow(chart, Priority.ALWAYS);
        HBox body = new HBox(6, chart, timeline);
        VBox.setVgrow(body, Priority.ALWAYS);
        setPadding(new Insets(4, 6, 4, 6));
        setSpacing(4);
        setMinHeight(0);
        getChildren().addAll(bar, body);
    }

    /** A heal settled: it goes into the timeline. */
    void heal(HealWatch.Heal heal) {
        heals.add(heal);
    }

    void show() {
        long now = experiment.nowMicros();
        List<Timeline.Action> actions = experiment.timeline().actions();
        chart.show(Math.floorDiv(now, 1_000_000L), experiment.series().lastSeconds(Math.floorDiv(now, 1_000_000L),
                PropagationChart.SECONDS), actions);
        LearnTimes learns = experiment.learns();
        String keptText = "learn times of the newest " + learns.capacity() + " reports"
                + (learns.droppedReports() > 0 ? " (" + learns.droppedReports() + " older dropped)" : "");
        if (!keptText.equals(kept.getText())) {
            kept.setText(keptText);
        }
        if (actions.size() == shownActions.size() && heals.size() == shownHeals) {
            return;
        }
        List<Entry> entries = new ArrayList<>();
        for (Timeline.Action a : actions) {
            String target = a.detail().isEmpty() ? a.target() : a.target() + ": " + a.detail();
            entries.add(new Entry(a.atMicros(), a.action() + " " + target));
        }
        for (HealWatch.Heal h : heals) {
            entries.add(new Entry(h.upMicros() < 0 ? h.actionMicros() : h.upMicros(), h.describe()));
        }
        entries.sort(Comparator.comparingLong(Entry::atMicros));
        timeline.getItems().setAll(entries.stream().map(e -> clock(e.atMicros()) + "  " + e.text()).toList());
        timeline.scrollTo(timeline.getItems().size() - 1);
        shownActions = actions;
        shownHeals = heals.size();
    }

    /** The timeline's lines, as shown; for tests. */
    List<String> timelineLines() {
        return List.copyOf(timeline.getItems());
    }

    PropagationChart chart() {
        return chart;
    }

    private static String clock(long micros) {
        return CLOCK.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000));
    }
}
