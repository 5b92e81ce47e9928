package herd.gui;

import herd.engine.LocationReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
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
 * removed loses its own. JavaFX thread only.
 */
final class ConvergenceGrid extends VBox {

    /** One client's row: its newest report and, per server column, what that server holds. */
    static final class ClientRow {
        final String clientId;
        final StringProperty newest = new SimpleStringProperty();
        final List<ObjectProperty<Holding>> holdings = new ArrayList<>();
        /** How far the newest report has spread: {@code all 5 in 1.8 ms}, {@code 3 of 5}. */
        final StringProperty spread = new SimpleStringProperty("");
        /** Per server column, what the cell shows: its holding and when that server learned the newest report. */
        final List<ObjectProperty<Shown>> cells = new ArrayList<>();

        ClientRow(String clientId, int servers) {
            this.clientId = clientId;
            columns(servers);
        }

        /** Starts over with {@code servers} columns, each holding nothing until the next show. */
        void columns(int servers) {
            holdings.clear();
            cells.clear();
            for (int i = 0; i < servers; i++) {
                holdings.add(new SimpleObjectProperty<>(Holding.NONE));
                cells.add(new SimpleObjectProperty<>(new Shown(Holding.NONE, "")));
            }
        }

        Holding holding(int server) {
            return holdings.get(server).get();
        }
    }

    /** A cell: what the server holds and, for the newest report, when it learned it ({@code +0.9 ms via Holiday}). */
    record Shown(Holding holding, String time) {
    }

    private static final int FIRST_SERVER_COLUMN = 3; // after the client, its newest report and its spread

    private List<String> servers = List.of();
    private final ObservableList<ClientRow> rows = FXCollections.observableArrayList();
    private final Map<String, ClientRow> byClient = new HashMap<>();
    private final TableView<ClientRow> table = new TableView<>(rows);
    private final Label summary = new Label();
    private LearnTimes times;

    ConvergenceGrid(List<String> servers) {
        getStyleClass().add("convergence");
        table.setId("convergence");
        table.setPlaceholder(new Label("No client has reported yet: send an IAMAT from the console."));
        Label title = new Label("Convergence");
        title.getStyleClass().add("panel-title");
        summary.setId("convergence-summary");
        VBox.setVgrow(table, Priority.ALWAYS);
        setPadding(new Insets(4, 6, 4, 6));
        setSpacing(4);
        getChildren().addAll(title, summary, table);
        show(Convergence.of(servers, Map.of()));
    }

    /** Shows, per client and per cell, the propagation times that {@code learned} recorded. */
    void showTimesFrom(LearnTimes learned) {
        times = learned;
    }

    void show(Convergence convergence) {
        follow(convergence.servers());
        Set<String> present = new HashSet<>();
        for (Convergence.Row r : convergence.rows()) {
            present.add(r.clientId());
            ClientRow row = byClient.get(r.clientId());
            if (row == null) {
                row = new ClientRow(r.clientId(), servers.size());
                byClient.put(r.clientId(), row);
                int at = Collections.binarySearch(rows, row, Comparator.comparing(x -> x.clientId));
                rows.add(-at - 1, row);
            }
            row.newest.set(describe(r.newest()));
            LearnTimes.Report learned = times == null ? null : times.report(r.clientId(), r.newest().clientTime());
            for (int i = 0; i < servers.size(); i++) {
                row.holdings.get(i).set(r.holdings().get(i));
                row.cells.get(i).set(new Shown(r.holdings().get(i), learnedTime(learned, servers.get(i), r.holdings().get(i))));
            }
            row.spread.set(ReportSpread.describe(r.holdings(), servers, learned));
        }
        if (present.size() != rows.size()) {
            rows.removeIf(row -> !present.contains(row.clientId));
            byClient.keySet().retainAll(present);
        }
        summary.setText(convergence.summary());
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
        // unconstrained while the columns change: the constrained policy, applied column by column
        // to a table already laid out, gives the client column all the width
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.getColumns().clear();
        TableColumn<ClientRow, String> client = new TableColumn<>("client");
        client.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue().clientId));
        client.setPrefWidth(130);
        client.setMinWidth(100);
        TableColumn<ClientRow, String> newest = new TableColumn<>("newest report");
        newest.setCellValueFactory(r -> r.getValue().newest);
        newest.setPrefWidth(250);
        newest.setMinWidth(180);
        TableColumn<ClientRow, String> spread = new TableColumn<>("spread");
        spread.setId("column-spread");
        spread.setCellValueFactory(r -> r.getValue().spread);
        spread.setPrefWidth(110);
        spread.setMinWidth(70);
        spread.setSortable(false);
        table.getColumns().add(client);
        table.getColumns().add(newest);
        table.getColumns().add(spread);
        for (int i = 0; i < now.size(); i++) {
            int column = i;
            TableColumn<ClientRow, Shown> c = new TableColumn<>(now.get(i));
            c.setId("column-" + now.get(i));
            c.setCellValueFactory(r -> r.getValue().cells.get(column));
            c.setCellFactory(col -> new HoldingCell());
            c.setPrefWidth(Math.max(120, headerWidth(now.get(i)))); // "+0.9 ms via Holiday", or the name if wider
            c.setMinWidth(50); // "fresh", "stale", "down" stay readable
            c.setSortable(false);
            table.getColumns().add(c);
        }
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        rows.forEach(row -> row.columns(now.size()));
        servers = List.copyOf(now);
    }

    /** About the width a column header needs for {@code text} (bold, at the window's 13 px). */
    private static double headerWidth(String text) {
        Text t = new Text(text);
        t.setFont(Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, 13));
        return Math.ceil(t.getLayoutBounds().getWidth()) + 18;
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

    /** The server columns, as headed. */
    List<String> serverColumns() {
        return table.getColumns().subList(FIRST_SERVER_COLUMN, table.getColumns().size()).stream()
                .map(TableColumn::getText).toList();
    }

    private static String describe(LocationReport r) {
        return r.clientTime() + " via " + r.server();
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
            setText(!shown.time().isEmpty() ? shown.time() : item == Holding.NONE ? "—" : item.label());
            getStyleClass().add("holding-" + item.label());
        }
    }
}
