package herd.gui;

import java.util.List;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.Callback;

/**
 * The convergence grid's column sizing: every column at its preferred width when the table
 * is wide enough, the extra going to one flexible column (the newest report's); narrower,
 * each column gives up width in proportion to what it can spare above its minimum (so the
 * server columns drop to their short headers together); narrower still, every column stays
 * at its minimum and the table scrolls sideways rather than cut a cell. A column dragged by
 * the user takes the drag; the next resize of the table fits them again.
 *
 * <p>Unlike JavaFX's constrained policies this one leaves the horizontal scroll bar to
 * appear when the minimums do not fit. JavaFX thread only.
 */
final class GridColumns implements Callback<TableView.ResizeFeatures, Boolean> {

    private final TableColumn<?, ?> flexible;

    GridColumns(TableColumn<?, ?> flexible) {
        this.flexible = flexible;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Boolean call(TableView.ResizeFeatures f) {
        TableView<?> table = f.getTable();
        TableColumn column = f.getColumn();
        if (column != null) { // a drag of one column's edge
            f.setColumnWidth(column, Math.max(column.getMinWidth(), Math.min(column.getMaxWidth(), column.getWidth() + f.getDelta())));
            return true;
        }
        List<? extends TableColumn<?, ?>> columns = table.getVisibleLeafColumns();
        double[] widths = widths(columns, f.getContentWidth());
        for (int i = 0; i < widths.length; i++) {
            f.setColumnWidth((TableColumn) columns.get(i), widths[i]);
        }
        return true;
    }

    /** Each column's width for {@code available} pixels; their sum may exceed it (then the table scrolls). */
    double[] widths(List<? extends TableColumn<?, ?>> columns, double available) {
        int n = columns.size();
        double[] min = new double[n];
        double[] pref = new double[n];
        double totalPref = 0;
        double spare = 0;
        for (int i = 0; i < n; i++) {
            TableColumn<?, ?> c = columns.get(i);
            min[i] = c.getMinWidth();
            pref[i] = Math.max(min[i], c.getPrefWidth());
            totalPref += pref[i];
            spare += pref[i] - min[i];
        }
        double[] out = new double[n];
        double over = totalPref - available;
        for (int i = 0; i < n; i++) {
            if (over <= 0) {
                out[i] = pref[i] + (columns.get(i) == flexible ? -over : 0);
            } else if (over < spare) {
                out[i] = pref[i] - (pref[i] - min[i]) * over / spare;
            } else {
                out[i] = min[i];
            }
            out[i] = Math.floor(out[i]); // whole pixels, so rounding never makes a scroll bar
        }
        if (over <= 0 && !columns.contains(flexible) && n > 0) {
            out[n - 1] = Math.floor(pref[n - 1] - over);
        }
        return out;
    }
}
