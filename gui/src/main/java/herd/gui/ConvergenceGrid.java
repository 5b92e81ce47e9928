package herd.gui;

import herd.engine.LocationReport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * Clients × servers: whether each server holds each client's newest report (fresh), an
 * older one (stale), none, or is down — the picture of a flood spreading and of a herd
 * healing after a cut. Redrawn from a {@link Convergence} on every pulse; rows are kept and
 * updated in place so the table does not flicker. The server columns follow the herd's
 * servers of the moment: a server added gets a column at the end (config order), a server
 * removed loses its own. The {@link GridSearch} above the table filters the rows (a client id
 * substring, rows not fresh everywhere) without rebuilding them; narrow server columns head
 * themselves with a short name ({@link ShortNames}) and keep the full one in a tooltip.
 * JavaFX thread only.
 */
final class ConvergenceGrid extends VBox {

    /** One client's row: its newest report and, per server column, what that server holds. */
    static final class ClientRow {
        final String clientId;
        final String clientIdLower; // what the search compares
        final ObjectProperty<LocationReport> newest = new SimpleObjectProperty<>();
        /** How far the newest report has spread: {@code all 5 in 1.8 ms}, {@code 3 of 5}. */
        final StringProperty spread = new SimpleStringProperty("");
        /** Per server column, what the cell shows: its holding and when that server learned the newest report. */
        final List<ObjectProperty<Shown>> cells = new ArrayList<>();
        /** Some running server lacks the newest report (holds an older one or none). */
        final BooleanProperty notFresh = new SimpleBooleanProperty();

        ClientRow(String clientId, int servers) {
            this.clientId = clientId;
            this.clientIdLower = clientId.toLowerCase(Locale.ROOT);
            columns(servers);
        }

        /** Starts over with {@code servers} columns, each holding nothing until the next show. */
        void columns(int servers) {
            cells.clear();
            for (int i = 0; i < servers; i++) {
                cells.add(new SimpleObjectProperty<>(new Shown(Holding.NONE, "")));
            }
        }

        Holding holding(int server) {
            return cells.get(server).get().holding();
        }
    }

    /** A cell: what the server holds and, for the newest report, when it learned it ({@code +0.9 ms via Holiday}). */
    record Shown(Holding holding, String time) {
    }

    /**
     * One client's row as it is to be shown, worked out from a {@link Convergence} and the
     * learn times on any thread ({@link #views}); the grid only copies what changed into its
     * rows on the JavaFX thread.
     */
    record RowView(String clientId, LocationReport newest, List<Shown> cells, String spread, boolean notFresh) {
    }

    private static final double ROW_HEIGHT = 24; // a table row at the usual 13 px text
    private static final int FIRST_SERVER_COLUMN = 3; // after the client, its newest report and its spread

    private List<String> servers = List.of();
    // No extractor: a flood changes thousands of rows' notFresh a second, and each change would
    // be a list event through the filter and the sort. The rows are filtered again once per
    // show instead, and only while "Not fresh only" looks at notFresh.
    private final ObservableList<ClientRow> rows = FXCollections.observableArrayList();
    private final FilteredList<ClientRow> filtered = new FilteredList<>(rows);
    private final SortedList<ClientRow> sorted = new SortedList<>(filtered);
    private final Map<String, ClientRow> byClient = new HashMap<>();
    private final TableView<ClientRow> table = new TableView<>(sorted);
    private final Label summary = new Label();
    private LearnTimes times;
    private final GridSearch search = new GridSearch();
    /** The time the report cells' ages are counted to; moves on each whole second, so they redraw once a second. */
    private final ObjectProperty<Instant> now = new SimpleObjectProperty<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    ConvergenceGrid(List<String> servers) {
        getStyleClass().add("convergence");
        table.setId("convergence");
        // A fixed row height: otherwise each layout after the rows changed measures rows off
        // screen to estimate the scroll bar, and during a flood (every row changing, several
        // times a second) that measuring of 5,000 rows took the JavaFX thread whole.
        table.setFixedCellSize(ROW_HEIGHT);
        table.setPlaceholder(new Label("No client has reported yet: send an IAMAT from the console."));
        Label title = new Label("Convergence");
        title.getStyleClass().add("panel-title");
        summary.setId("convergence-summary");
        summary.setWrapText(true); // a partition's parts can be long; they wrap rather than cut
        summary.setMinHeight(Region.USE_PREF_SIZE);
        filtered.setPredicate(search.predicate().get());
        search.predicate().addListener((o, old, p) -> filtered.setPredicate(p));
        sorted.comparatorProperty().bind(table.comparatorProperty());
        filtered.addListener((ListChangeListener<ClientRow>) c -> search.count(filtered.size(), rows.size()));
        rows.addListener((ListChangeListener<ClientRow>) c -> search.count(filtered.size(), rows.size()));
        search.count(0, 0);
        VBox.setVgrow(table, Priority.ALWAYS);
        setPadding(new Insets(4, 6, 4, 6));
        setSpacing(4);
        getChildren().addAll(title, summary, search, table);
        show(Convergence.of(servers, Map.of()));
    }

    /** Rows for text {@code factor} times the usual size (TextZoom). */
    void scale(double factor) {
        table.setFixedCellSize(Math.ceil(ROW_HEIGHT * factor));
    }

    /** Shows, per client and per cell, the propagation times that {@code learned} recorded. */
    void showTimesFrom(LearnTimes learned) {
        times = learned;
    }

    /** Shows {@code convergence}, its rows worked out here (see {@link #views}). */
    void show(Convergence convergence) {
        show(convergence, views(convergence, times));
    }

    /**
     * The rows of {@code convergence} as the grid shows them, with the learn times of
     * {@code learned} (may be null). Pure but for reading {@code learned}, which is
     * thread-safe: any thread (the monitor works them out off the JavaFX thread).
     */
    static List<RowView> views(Convergence convergence, LearnTimes learned) {
        List<String> servers = convergence.servers();
        List<RowView> out = new ArrayList<>(convergence.rows().size());
        for (Convergence.Row r : convergence.rows()) {
            LearnTimes.Report report = learned == null ? null : learned.report(r.clientId(), r.newest().clientTime());
            List<Shown> cells = new ArrayList<>(servers.size());
            boolean notFresh = false;
            for (int i = 0; i < servers.size(); i++) {
                Holding h = r.holdings().get(i);
                cells.add(new Shown(h, learnedTime(report, servers.get(i), h)));
                notFresh |= h == Holding.STALE || h == Holding.NONE;
            }
            out.add(new RowView(r.clientId(), r.newest(), cells, ReportSpread.describe(r.holdings(), servers, report),
                    notFresh));
        }
        return out;
    }

    /**
     * Shows {@code convergence} as {@code views} ({@link #views} of it): copies into the rows
     * only what changed, so a row on screen redraws only when it did; the summary follows the
     * convergence's parts.
     */
    void show(Convergence convergence, List<RowView> views) {
        follow(convergence.servers());
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (!second.equals(now.get())) {
            now.set(second);
        }
        Set<String> present = new HashSet<>();
        List<ClientRow> added = new ArrayList<>();
        boolean freshnessMoved = false;
        for (RowView v : views) {
            present.add(v.clientId());
            ClientRow row = byClient.get(v.clientId());
            if (row == null) {
                row = new ClientRow(v.clientId(), servers.size());
                byClient.put(v.clientId(), row);
                added.add(row);
            }
            if (!v.newest().equals(row.newest.get())) {
                row.newest.set(v.newest());
            }
            for (int i = 0; i < servers.size() && i < v.cells().size(); i++) {
                Shown cell = v.cells().get(i);
                if (!cell.equals(row.cells.get(i).get())) {
                    row.cells.get(i).set(cell);
                }
            }
            if (row.notFresh.get() != v.notFresh()) {
                row.notFresh.set(v.notFresh());
                freshnessMoved = true;
            }
            if (!v.spread().equals(row.spread.get())) {
                row.spread.set(v.spread());
            }
        }
        if (present.size() != rows.size() + added.size()) {
            rows.removeIf(row -> !present.contains(row.clientId));
            byClient.keySet().retainAll(present);
        }
        if (added.size() == 1) {
            ClientRow row = added.get(0);
            rows.add(-Collections.binarySearch(rows, row, BY_CLIENT) - 1, row);
        } else if (!added.isEmpty()) { // one list change for a flood's thousands of new clients
            List<ClientRow> all = new ArrayList<>(rows);
            all.addAll(added);
            all.sort(BY_CLIENT);
            rows.setAll(all);
        }
        if (freshnessMoved && search.onlyNotFresh()) {
            Predicate<ClientRow> p = search.predicate().get();
            filtered.setPredicate(p::test); // a new predicate: the rows are filtered again, once
        }
        showParts(convergence);
    }

    private static final Comparator<ClientRow> BY_CLIENT = Comparator.comparing(x -> x.clientId);
    private Convergence summarised;

    /**
     * The summary for {@code convergence}: its rows' counts and its parts; said again only when
     * either changed. True when it was.
     */
    boolean showParts(Convergence convergence) {
        if (summarised != null && summarised.rows() == convergence.rows()
                && summarised.parts().equals(convergence.parts())) {
            return false;
        }
        summarised = convergence;
        summary.setText(convergence.summary());
        return true;
    }

    /**
     * The client, its newest report, and a column per server of {@code now}, in its order;
     * made anew when the servers change, so that they share the width as at the start (the
     * resize policy has stretched the old ones to fill it).
     */
    private void follow(List<String> now) {
        if (now.equals(servers)) {
            return;
        }
        // unconstrained while the columns change: a fitting policy, applied column by column
        // to a table already laid out, gives the client column all the width
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.getColumns().clear();
        TableColumn<ClientRow, String> client = new TableColumn<>("client");
        client.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue().clientId));
        client.setCellFactory(col -> new ClientCell());
        client.setPrefWidth(130);
        client.setMinWidth(114); // kiwi.cs.ucla.edu whole; a longer id has its tooltip
        TableColumn<ClientRow, LocationReport> newest = new TableColumn<>("newest report (UTC)");
        newest.setId("column-newest");
        newest.setCellValueFactory(r -> r.getValue().newest);
        newest.setCellFactory(col -> new NewestCell(this.now));
        newest.setComparator((a, b) -> a.clientTimeValue().compareTo(b.clientTimeValue()));
        String longestServer = now.stream().max(Comparator.comparingInt(String::length)).orElse("");
        double newestNeeds = textWidth("00:00:00.000 · 59 min ago via " + longestServer, false); // "via" whole
        newest.setPrefWidth(Math.max(250, newestNeeds));
        newest.setMinWidth(newestNeeds);
        TableColumn<ClientRow, String> spread = new TableColumn<>("spread");
        spread.setId("column-spread");
        spread.setCellValueFactory(r -> r.getValue().spread);
        spread.setPrefWidth(textWidth("all 5 in 12.5 ms", false));
        spread.setMinWidth(spread.getPrefWidth()); // never cut: below it the grid scrolls sideways
        spread.setSortable(false);
        table.getColumns().add(client);
        table.getColumns().add(newest);
        table.getColumns().add(spread);
        List<String> shortNames = ShortNames.of(now);
        for (int i = 0; i < now.size(); i++) {
            int column = i;
            TableColumn<ClientRow, Shown> c = new TableColumn<>();
            c.setId("column-" + now.get(i));
            c.setUserData(now.get(i));
            c.setGraphic(new ServerHeader(c, now.get(i), shortNames.get(i)));
            c.setCellValueFactory(r -> r.getValue().cells.get(column));
            c.setCellFactory(col -> new HoldingCell());
            c.setPrefWidth(Math.max(64, headerWidth(now.get(i)))); // "+12.5 ms", or the name if wider
            // "+12.5 ms", "fresh", "stale", "down" and the short name, never cut: below it the grid scrolls sideways
            c.setMinWidth(Math.max(textWidth("+12.5 ms", false), headerWidth(shortNames.get(i))));
            c.setSortable(false);
            table.getColumns().add(c);
        }
        table.setColumnResizePolicy(new GridColumns(newest));
        rows.forEach(row -> row.columns(now.size()));
        servers = List.copyOf(now);
    }

    /** About the width a column header needs for {@code text} (bold, at the window's 13 px). */
    private static double headerWidth(String text) {
        return textWidth(text, true);
    }

    /** About the width a cell or header needs for {@code text} at the window's usual 13 px. */
    private static double textWidth(String text, boolean bold) {
        Text t = new Text(text);
        t.setFont(Font.font(Font.getDefault().getFamily(), bold ? FontWeight.BOLD : FontWeight.NORMAL, TextZoom.NORMAL));
        return Math.ceil(t.getLayoutBounds().getWidth()) + 12; // the cell's or header's padding
    }

    /**
     * What {@code server} holds of {@code clientId} as the grid shows it; NONE when the client
     * has no row, null when the server has no column.
     */
    Holding shown(String clientId, String server) {
        int column = servers.indexOf(server);
        if (column < 0) {
            return null;
        }
        ClientRow row = byClient.get(clientId);
        return row == null ? Holding.NONE : row.holding(column);
    }

    /** The time shown in a cell ({@code +0.9 ms via Holiday}), or null when there is no such cell. */
    String shownTime(String clientId, String server) {
        int column = servers.indexOf(server);
        ClientRow row = byClient.get(clientId);
        return column < 0 || row == null ? null : row.cells.get(column).get().time();
    }

    /** The spread shown for a client ({@code all 5 in 1.8 ms}), or null when it has no row. */
    String shownSpread(String clientId) {
        ClientRow row = byClient.get(clientId);
        return row == null ? null : row.spread.get();
    }

    /** {@code +0.9 ms via Holiday} for a fresh cell whose learn was recorded, else empty. */
    private static String learnedTime(LearnTimes.Report learned, String server, Holding holding) {
        if (learned == null || holding != Holding.FRESH) {
            return "";
        }
        LearnTimes.Learn l = learned.lastBy(server);
        return l == null ? "" : ReportSpread.cell(l, learned.firstMicros());
    }

    /** Every column's width, the client's first; for tests. */
    List<Double> columnWidths() {
        return table.getColumns().stream().map(TableColumn::getWidth).toList();
    }

    /** The server columns' servers, in their order. */
    List<String> serverColumns() {
        return table.getColumns().subList(FIRST_SERVER_COLUMN, table.getColumns().size()).stream()
                .map(c -> (String) c.getUserData()).toList();
    }

    /** The clients of the rows shown (after the search), in their order; for tests. */
    List<String> shownClients() {
        return table.getItems().stream().map(r -> r.clientId).toList();
    }

    /** A server column's header: the server's name, or its short form when the column is too narrow for it. */
    private static final class ServerHeader extends Label {
        ServerHeader(TableColumn<?, ?> column, String name, String shortName) {
            super(name);
            setTooltip(new Tooltip(name));
            setMinWidth(Region.USE_PREF_SIZE);
            column.widthProperty().addListener((o, old, width) ->
                    setText(width.doubleValue() >= headerWidth(name) ? name : shortName));
        }
    }

    /** A client's id, whole in its tooltip when the column cuts it. */
    private static final class ClientCell extends TableCell<ClientRow, String> {
        private final Tooltip tip = new Tooltip();

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty ? null : item);
            tip.setText(item);
            setTooltip(empty || item == null ? null : tip);
        }
    }

    /**
     * A client's newest report: its time as UTC clock time and age, and the server that took
     * it; the raw POSIX time in the tooltip. The age follows the grid's clock, which moves once
     * a second: only the cells on screen redraw.
     */
    private static final class NewestCell extends TableCell<ClientRow, LocationReport> {
        private final ObjectProperty<Instant> clock;
        private final Tooltip tip = new Tooltip();
        private final InvalidationListener tick = o -> render();
        private LocationReport shown;

        NewestCell(ObjectProperty<Instant> clock) {
            this.clock = clock;
            clock.addListener(new WeakInvalidationListener(tick));
        }

        @Override
        protected void updateItem(LocationReport item, boolean empty) {
            super.updateItem(item, empty);
            shown = empty ? null : item;
            render();
        }

        private void render() {
            if (shown == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText(ReportTime.describe(shown.clientTime(), clock.get()) + " via " + shown.server());
            tip.setText("client time " + shown.clientTime() + " (POSIX seconds), reported to " + shown.server());
            setTooltip(tip);
        }
    }

    /** A cell coloured by what the server holds. */
    private static final class HoldingCell extends TableCell<ClientRow, Shown> {
        @Override
        protected void updateItem(Shown shown, boolean empty) {
            super.updateItem(shown, empty);
            getStyleClass().removeIf(c -> c.startsWith("holding-"));
            if (empty || shown == null) {
                setText(null);
                return;
            }
            Holding item = shown.holding();
            String time = shown.time();
            int via = time.indexOf(" via ");
            // the time alone, so that five server columns fit a 1024-wide window; the hop in the tooltip
            setText(!time.isEmpty() ? (via < 0 ? time : time.substring(0, via)) : item == Holding.NONE ? "—" : item.label());
            setTooltip(via < 0 ? null : new Tooltip("learnt " + time.substring(1, via) + " after the first server, from "
                    + time.substring(via + 5)));
            getStyleClass().add("holding-" + item.label());
        }
    }
}
