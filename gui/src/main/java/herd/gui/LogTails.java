package herd.gui;

import herd.engine.HerdEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Each server's live event log, one tab per server: the same lines its log file gets
 * (see {@link TailLine}), the last {@value #KEPT_LINES} of them, with a text
 * filter shared by all tabs and a pause that freezes the view while lines keep arriving.
 * The lines come from the engine's events, not from reading the file, so a tab goes on
 * across a rotation ({@code Name.log} renamed {@code Name.log.1}, a new {@code Name.log}) or a
 * reopen, and keeps lines whose file rotation has since deleted.
 *
 * <p>A server added to the running herd gets a tab with its first events; a server removed
 * keeps its tab, marked removed (its last lines say how it stopped) and closable. JavaFX
 * thread only.
 *
 * <p>Lines are one row each, cut at the right edge; the one selected is shown whole, wrapped,
 * in a detail pane below the tabs. The filter (Ctrl+F; Esc clears it) says how many lines
 * match, and an empty result says so in the tab.
 */
final class LogTails extends VBox {

    static final int KEPT_LINES = 5000;
    private static final double LINE_HEIGHT = 18; // at the usual 13 px text

    private final Map<String, LogTail> tails = new LinkedHashMap<>();
    private final Map<String, Path> files = new HashMap<>();
    private final Map<String, Tab> tabOf = new HashMap<>();
    private final TabPane tabs = new TabPane();
    private final ToggleButton pause = new ToggleButton("Pause");
    private final TextField filterField = new TextField();
    private final Label matches = new Label();
    private final TextArea detail = new TextArea();
    private final Path logDir;
    private String filter = "";
    private double lineHeight = LINE_HEIGHT;

    LogTails(List<String> servers, Path logDir) {
        this.logDir = logDir;
        getStyleClass().add("log-tails");
        TextField filter = filterField;
        filter.setId("log-filter");
        filter.setPromptText("filter (Ctrl+F)");
        filter.setMinWidth(90);
        filter.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                filter.clear();
                e.consume();
            }
        });
        HBox.setHgrow(filter, Priority.ALWAYS);
        matches.setId("log-matches");
        matches.setMinWidth(Region.USE_PREF_SIZE);
        pause.setId("log-pause");
        pause.setMinWidth(Region.USE_PREF_SIZE);
        Label title = new Label("Event logs");
        title.getStyleClass().add("panel-title");
        Label folder = new Label("files in " + logDir.toAbsolutePath().normalize());
        folder.setId("log-folder");
        folder.getStyleClass().add("log-folder");
        folder.setMinWidth(0);
        folder.setMaxWidth(260);
        folder.setTooltip(new Tooltip(folder.getText()));
        filter.setTooltip(new Tooltip("keeps the lines containing this text (any case), e.g. PEER_DOWN or a client id;"
                + " Esc clears it"));
        title.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(6, title, filter, matches, pause, folder);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 6, 4, 6));
        servers.forEach(this::addTab);
        filter.textProperty().addListener((o, old, text) -> {
            this.filter = text;
            tails.values().forEach(t -> t.setFilter(text));
            tabOf.forEach(this::placeholder);
            followSelected();
            count();
        });
        pause.selectedProperty().addListener((o, old, paused) -> {
            pause.setText(paused ? "Follow" : "Pause");
            tails.values().forEach(t -> t.setPaused(paused));
            followSelected();
            count();
        });
        tabs.getSelectionModel().selectedItemProperty().addListener((o, old, tab) -> {
            followSelected();
            count();
            showDetail(tab == null ? null : ((ListView<TailLine>) tab.getContent()).getSelectionModel().getSelectedItem());
        });
        detail.setId("log-detail");
        detail.getStyleClass().add("log-detail");
        detail.setEditable(false);
        detail.setWrapText(true);
        detail.setPrefRowCount(3);
        detail.setMinHeight(0);
        detail.setPromptText("click a line to read it whole here");
        tabs.setMinHeight(0);
        SplitPane body = new SplitPane(tabs, detail);
        body.setOrientation(Orientation.VERTICAL);
        body.setDividerPositions(0.82);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(bar, body);
        count();
    }

    /** Rows for text {@code factor} times the usual size (TextZoom). */
    void scale(double factor) {
        lineHeight = Math.ceil(LINE_HEIGHT * factor);
        tabOf.values().forEach(t -> ((ListView<?>) t.getContent()).setFixedCellSize(lineHeight));
    }

    /** Puts the keyboard in the filter, its text selected (Ctrl+F). */
    void focusFilter() {
        filterField.requestFocus();
        filterField.selectAll();
    }

    /** Says how many lines the selected tab shows of how many it keeps. */
    private void count() {
        Tab tab = tabs.getSelectionModel().getSelectedItem();
        LogTail tail = tab == null ? null : tails.get(serverOf(tab));
        if (tail == null) {
            matches.setText("");
            return;
        }
        int shown = tail.shown().size();
        matches.setText(filter.isEmpty() && !pause.isSelected() ? shown + (shown == 1 ? " line" : " lines")
                : shown + " of " + tail.size()); // short: in a narrow window it must leave Pause room
    }

    private String serverOf(Tab tab) {
        return tabOf.entrySet().stream().filter(e -> e.getValue() == tab).map(Map.Entry::getKey).findFirst().orElse("");
    }

    /** What an empty tab says: nothing logged yet, or nothing matching the filter. */
    private void placeholder(String server, Tab tab) {
        Label empty = (Label) ((ListView<?>) tab.getContent()).getPlaceholder();
        empty.setText(filter.isEmpty() ? "nothing logged by " + server + " yet"
                : "no line in " + server + "'s tail contains '" + filter + "'");
    }

    private void showDetail(TailLine line) {
        detail.setText(line == null ? "" : line.text());
    }

    private void addTab(String server) {
        LogTail tail = new LogTail(KEPT_LINES);
        tail.setFilter(filter);
        tail.setPaused(pause.isSelected());
        ListView<TailLine> view = new ListView<>(tail.shown());
        view.setId("log-" + server);
        view.getStyleClass().add("log-view");
        view.setFixedCellSize(lineHeight); // lets the list skip measuring thousands of cells
        Label empty = new Label();
        empty.setId("log-empty-" + server);
        empty.setWrapText(true);
        view.setPlaceholder(empty);
        view.getSelectionModel().selectedItemProperty().addListener((o, old, line) -> {
            if (tabs.getSelectionModel().getSelectedItem() == tabOf.get(server)) {
                showDetail(line);
            }
        });
        tails.put(server, tail);
        files.put(server, logDir.resolve(server + ".log"));
        Tab tab = new Tab(server, view);
        tab.setId("tab-" + server);
        tab.setClosable(false);
        tab.setOnClosed(e -> { // only a removed server's tab can be closed
            tails.remove(server);
            files.remove(server);
            tabOf.remove(server);
        });
        tabOf.put(server, tab);
        placeholder(server, tab);
        tabs.getTabs().add(tab);
    }

    /**
     * Follows the herd's servers of the moment: a tab for each (a new one at the end), and the
     * tabs of servers no longer in the herd marked removed.
     */
    void follow(List<String> servers) {
        servers.stream().filter(s -> !tails.containsKey(s)).forEach(this::addTab);
        tabOf.forEach((server, tab) -> {
            boolean removed = !servers.contains(server);
            tab.setText(removed ? server + " (removed)" : server);
            tab.setClosable(removed);
            tab.getStyleClass().remove("removed");
            if (removed) {
                tab.getStyleClass().add("removed");
            }
        });
    }

    /**
     * Adds one pulse's events to their servers' tails.
     *
     * @param events  per server, its events since the last pulse, oldest first
     * @param skipped per server, older events the inbox skipped to keep up
     * @return whether any tail changed
     */
    boolean append(Map<String, List<HerdEvent>> events, Map<String, Long> skipped) {
        // a server the herd has just added can log before a poll shows it: its tab starts with its first line
        events.keySet().stream().filter(s -> !tails.containsKey(s)).sorted().forEach(this::addTab);
        tails.forEach((server, tail) -> {
            List<HerdEvent> mine = events.getOrDefault(server, List.of());
            long n = skipped.getOrDefault(server, 0L);
            // A skip comes with a full inbox: a batch as long as the tail, which would push its own
            // note straight out again. The note takes the place of the oldest event (counted with it).
            int over = Math.max(0, mine.size() - KEPT_LINES);
            if (n + over > 0) {
                over = Math.max(0, mine.size() + 1 - KEPT_LINES);
                n += over;
            }
            List<TailLine> lines = new ArrayList<>(mine.size() + 1);
            if (n > 0) {
                lines.add(TailLine.note("[monitor] " + n + " earlier lines skipped here to keep up; "
                        + files.get(server) + " and its rotated files (.1, .2, …) have every line"));
            }
            for (HerdEvent e : mine.subList(over, mine.size())) {
                lines.add(TailLine.of(e));
            }
            if (!lines.isEmpty()) {
                tail.append(lines);
            }
        });
        if (events.isEmpty() && skipped.isEmpty()) {
            return false;
        }
        followSelected();
        count();
        return true;
    }

    private void followSelected() {
        Tab tab = tabs.getSelectionModel().getSelectedItem();
        if (tab == null || pause.isSelected()) {
            return;
        }
        ListView<?> view = (ListView<?>) tab.getContent();
        if (!view.getItems().isEmpty()) {
            view.scrollTo(view.getItems().size() - 1);
        }
    }

    /** The tail of {@code server}, for tests. */
    LogTail tail(String server) {
        return tails.get(server);
    }

    /** The tabs' titles, for tests. */
    List<String> tabTitles() {
        return tabs.getTabs().stream().map(Tab::getText).toList();
    }
}
