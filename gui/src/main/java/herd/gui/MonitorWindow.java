package herd.gui;

import herd.engine.Herd;
import herd.engine.HerdServer;
import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.stage.DirectoryChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * The monitor window: the herd graph with its heal-all and add-server buttons, the
 * convergence grid, the event log tails and the client console, with the config and Places
 * provider in the title and status bar. On each {@link Pulse} it polls the servers, drains
 * the {@link HerdInbox} and redraws every panel in one batch; every panel follows the
 * servers and links of that poll, so a herd grown or shrunk while it runs is drawn as it is.
 * Built and driven on the JavaFX thread; it does not own the herd (closing the window stops
 * the pulse; whoever started the herd closes it).
 *
 * <p>The panels sit in split panes the user can drag; the window keeps at least
 * {@value #MIN_WIDTH} × {@value #MIN_HEIGHT}, where every button and title shows whole.
 * Keyboard: see {@link Shortcuts}; the focus starts in the console's line.
 */
final class MonitorWindow {

    private final Herd herd;
    private final HerdInbox inbox;
    private final HerdOperator operator;
    private final HerdGraph graph;
    private final ConvergenceGrid grid;
    private final LogTails tails;
    private final ClientConsole console;
    private final Label lastAction = new Label();
    private final StatusLine status = new StatusLine("click a server to take it down or bring it back,"
            + " right-click it to remove it; click a link to cut or restore it");
    private final Experiment experiment;
    private final ExperimentPanel experimentPanel;
    private final Pulse pulse = new Pulse(this::tick);
    private final GridWorker gridWorker;
    /** The grid's last frame, shown with the parts of every later poll. */
    private Convergence shownGrid;
    /** The smallest window whose panels show everything essential uncut (README, "The monitor"). */
    static final double MIN_WIDTH = 1024;
    static final double MIN_HEIGHT = 700;
    private Stage stage;
    private List<String> shownServers;
    private List<Link> shownLinks;
    private long redraws;

    /** @param experiment subscribed to the herd before it started, as {@link Monitor} (and TestHerd) does */
    MonitorWindow(Herd herd, HerdInbox inbox, Experiment experiment) {
        this.herd = herd;
        this.inbox = inbox;
        this.experiment = experiment;
        HerdConfig config = herd.config();
        List<String> servers = config.serverNames();
        operator = new HerdOperator(herd, status::say, experiment);
        graph = new HerdGraph(operator);
        grid = new ConvergenceGrid(servers);
        tails = new LogTails(servers, config.logDir());
        console = new ClientConsole(() -> herd.servers().stream().map(HerdServer::spec).toList());
        console.noteSendsIn(experiment);
        grid.showTimesFrom(experiment.learns());
        gridWorker = new GridWorker(herd, experiment.learns());
        experimentPanel = new ExperimentPanel(experiment, this::chooseExportFolder);
        shownServers = servers;
        shownLinks = config.links();
    }

    /** Puts the window on {@code stage}, shows it and starts the pulse. */
    void show(Stage stage) {
        HerdConfig config = herd.config();
        // the grid and the experiment share the lower half as tabs: a third pane would squeeze the
        // graph until, at 1024 x 700, its boxes hid the links between them
        Tab convergenceTab = new Tab("Convergence", grid);
        convergenceTab.setId("tab-convergence");
        Tab experimentTab = new Tab("Experiment", experimentPanel);
        experimentTab.setId("tab-experiment");
        TabPane lower = new TabPane(convergenceTab, experimentTab);
        lower.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        lower.setMinSize(0, 0);
        SplitPane left = new SplitPane(graphPanel(), lower);
        left.setOrientation(Orientation.VERTICAL);
        left.setDividerPositions(0.5);
        SplitPane right = new SplitPane(tails, console);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.64);
        SplitPane main = new SplitPane(left, right);
        main.setDividerPositions(0.64); // the grid's columns want a little more than half
        for (Region r : List.of(grid, tails, console)) {
            r.setMinSize(0, 0); // the split panes decide; each pane scrolls or wraps inside
        }
        BorderPane root = new BorderPane(main);
        root.setBottom(statusBar(config));
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(1560, screen.getWidth()), Math.min(960, screen.getHeight()));
        scene.getStylesheets().add(MonitorWindow.class.getResource("monitor.css").toExternalForm());
        TextZoom zoom = new TextZoom(root);
        zoom.size().addListener((o, old, size) -> {
            graph.scale(zoom.scale());
            tails.scale(zoom.scale());
            grid.scale(zoom.scale());
        });
        Shortcuts.install(scene, zoom, tails::focusFilter);
        this.stage = stage;
        stage.setTitle(title());
        stage.setScene(scene);
        // below this the panels cut what they show; a smaller screen gets what it has
        stage.setMinWidth(Math.min(MIN_WIDTH, screen.getWidth()));
        stage.setMinHeight(Math.min(MIN_HEIGHT, screen.getHeight()));
        stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> close());
        stage.show();
        console.focusLine(); // not Heal all, the first button, where Space would heal everything
        tick(System.nanoTime()); // draw the herd as it is now, before the first frame
        pulse.start();
    }

    /** Stops the pulse and the background threads; the herd keeps running. */
    void close() {
        pulse.stop();
        operator.close();
        gridWorker.close();
        console.close();
    }

    private String title() {
        return "Herd monitor — " + count(shownServers.size(), "server") + ", " + count(shownLinks.size(), "link")
                + " — config: " + herd.config().source();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /**
     * One pulse: polls the herd's counters and links and changes only what changed (a redraw,
     * counted). The convergence grid's rows are worked out off this thread ({@link GridWorker}),
     * asked for only when a server's counters or the learn times moved; a frame done is shown at
     * the next pulse, with that pulse's partition.
     */
    private void tick(long nowNanos) {
        long start = System.nanoTime();
        HerdSnapshot snapshot = HerdSnapshot.countersOnly(herd);
        boolean changed = follow(snapshot);
        changed |= graph.show(snapshot, inbox.takeCrossings(), nowNanos);
        GridWorker.Frame frame = gridWorker.take();
        if (frame != null) {
            shownGrid = frame.convergence();
            grid.show(shownGrid.withParts(snapshot.parts()), frame.rows());
            changed = true;
        } else if (shownGrid != null) {
            changed |= grid.showParts(shownGrid.withParts(snapshot.parts()));
        }
        gridWorker.request(snapshot, experiment.learns().recorded(), start);
        changed |= tails.append(inbox.drainEvents(), inbox.takeSkipped());
        for (HealWatch.Heal heal : experiment.settledHeals()) {
            status.say(StatusLine.Claim.fixed(heal.describe()));
            experimentPanel.heal(heal);
            changed = true;
        }
        experimentPanel.show();
        String said = status.text(snapshot); // from the poll the graph drew, so the two agree
        if (!said.equals(lastAction.getText())) {
            lastAction.setText(said);
            changed = true;
        }
        if (changed) {
            redraws++;
        }
    }


    /** Export...: asks for a folder and writes the experiment there. */
    private void chooseExportFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Export the experiment to a folder");
        java.io.File folder = chooser.showDialog(stage);
        if (folder != null) {
            export(folder.toPath());
        }
    }

    /**
     * Writes the experiment to {@code folder} (see {@link ExperimentExport}) on a background
     * thread; the status bar says what was written, or why not.
     */
    CompletableFuture<ExperimentExport.Summary> export(Path folder) {
        status.say(StatusLine.Claim.fixed("exporting to " + folder + " …"));
        List<String> servers = herd.servers().stream().map(HerdServer::name).toList();
        Path logDir = herd.config().logDir();
        CompletableFuture<ExperimentExport.Summary> done = CompletableFuture.supplyAsync(() -> {
            try {
                return ExperimentExport.write(folder, experiment, servers, logDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "herd-export");
            t.setDaemon(true);
            t.start();
        });
        done.whenComplete((summary, failed) -> Platform.runLater(() -> status.say(StatusLine.Claim.fixed(failed == null
                ? summary.describe() : "export to " + folder + " failed: " + failed.getCause()))));
        return done;
    }

    /** The panels that keep a list of servers follow the herd's, when a change of the herd has one. */
    private boolean follow(HerdSnapshot snapshot) {
        if (snapshot.serverNames().equals(shownServers) && snapshot.links().equals(shownLinks)) {
            return false;
        }
        shownServers = snapshot.serverNames();
        shownLinks = snapshot.links();
        tails.follow(shownServers);
        console.follow(shownServers);
        stage.setTitle(title());
        return true;
    }

    private void addServer() {
        new AddServerDialog(stage, herd.config(), herd.servers().stream().map(HerdServer::spec).toList())
                .showAndWait().ifPresent(operator::addServer);
    }

    private VBox graphPanel() {
        Label title = new Label("Herd");
        title.getStyleClass().add("panel-title");
        Button heal = new Button("Heal all");
        heal.setId("heal-all");
        heal.setOnAction(e -> operator.healAll());
        Button add = new Button("Add server...");
        add.setId("add-server");
        add.setTooltip(new Tooltip("start a new server in this herd, linked with the ones you pick;"
                + " right-click a server to remove it"));
        add.setOnAction(e -> addServer());
        for (Region r : List.of(title, add, heal)) {
            r.setMinWidth(Region.USE_PREF_SIZE); // never "..." for a button
        }
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(10, title, gap, add, heal);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 6, 0, 6));
        FlowPane legend = legend(); // its own row, wrapping in a narrow window
        legend.setPadding(new Insets(2, 6, 4, 6));
        VBox.setVgrow(graph, Priority.ALWAYS);
        VBox panel = new VBox(bar, legend, graph);
        panel.setMinHeight(0);
        return panel;
    }

    private static FlowPane legend() {
        FlowPane legend = new FlowPane(12, 2);
        legend.setAlignment(Pos.CENTER_LEFT);
        for (EdgeState s : EdgeState.values()) {
            Line swatch = new Line(0, 0, 26, 0);
            swatch.getStyleClass().addAll("edge", s.label());
            legend.getChildren().add(new HBox(4, swatch, new Label(s.label())));
        }
        Circle dot = new Circle(5);
        dot.getStyleClass().add("edge-dot");
        legend.getChildren().add(new HBox(4, dot, new Label("update crossing")));
        legend.getChildren().forEach(n -> ((HBox) n).setAlignment(Pos.CENTER_LEFT));
        legend.getStyleClass().add("legend");
        return legend;
    }

    private HBox statusBar(HerdConfig config) {
        String text = "config: " + config.source() + "   ·   places: " + herd.placesDescription();
        Label where = new Label(text);
        where.setId("status-config");
        where.setTooltip(new Tooltip(text));
        where.setMinWidth(0); // the config gives way (with an ellipsis) to the last action
        lastAction.setId("status-action");
        lastAction.setMinWidth(Region.USE_PREF_SIZE);
        lastAction.getStyleClass().add("status-action");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(12, where, gap, lastAction);
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    /** How many pulses changed what the window shows (none while nothing happens); for tests and the bench. */
    long redraws() {
        return redraws;
    }

    /** The pulse's {@link Pulse#times()}; for the bench. */
    long[] pulseTimes() {
        return pulse.times();
    }

    ExperimentPanel experimentPanel() {
        return experimentPanel;
    }

    ConvergenceGrid grid() {
        return grid;
    }

    LogTails tails() {
        return tails;
    }
}
