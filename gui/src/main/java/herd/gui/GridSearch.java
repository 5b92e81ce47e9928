package herd.gui;

import java.util.Locale;
import java.util.function.Predicate;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The convergence grid's search bar: a client id substring (any case), a <em>not fresh
 * only</em> toggle (rows where some running server lacks the newest report) and the count of
 * rows shown ({@code 3 of 5006 clients}). It only makes the rows' {@link #predicate()}; the
 * grid filters its rows with it, so a search costs one pass, not a rebuild. Esc in the field
 * clears it. JavaFX thread only.
 */
final class GridSearch extends HBox {

    private final TextField text = new TextField();
    private final ToggleButton notFresh = new ToggleButton("Not fresh only");
    private final Label count = new Label();
    private final ObjectProperty<Predicate<ConvergenceGrid.ClientRow>> predicate =
            new SimpleObjectProperty<>(row -> true);

    GridSearch() {
        super(8);
        setAlignment(Pos.CENTER_LEFT);
        text.setId("grid-search");
        text.setPromptText("search clients");
        text.setPrefColumnCount(12);
        text.setMinWidth(90);
        text.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                text.clear();
                e.consume();
            }
        });
        HBox.setHgrow(text, Priority.ALWAYS);
        notFresh.setId("grid-not-fresh");
        notFresh.setMinWidth(Region.USE_PREF_SIZE);
        notFresh.setTooltip(new Tooltip("only the clients whose newest report some running server lacks"));
        count.setId("grid-count");
        count.setMinWidth(Region.USE_PREF_SIZE);
        text.textProperty().addListener((o, old, now) -> update());
        notFresh.selectedProperty().addListener((o, old, now) -> update());
        getChildren().addAll(text, notFresh, count);
    }

    /** Which rows to show. */
    ObjectProperty<Predicate<ConvergenceGrid.ClientRow>> predicate() {
        return predicate;
    }

    /** True while only the rows not fresh everywhere are shown. */
    boolean onlyNotFresh() {
        return notFresh.isSelected();
    }

    /** Says how many rows are shown of how many there are. */
    void count(int shown, int all) {
        count.setText(shown == all ? all + (all == 1 ? " client" : " clients") : shown + " of " + all + " clients");
    }

    private void update() {
        String wanted = text.getText().toLowerCase(Locale.ROOT);
        boolean onlyNotFresh = notFresh.isSelected();
        predicate.set(row -> (!onlyNotFresh || row.notFresh.get())
                && (wanted.isEmpty() || row.clientIdLower.contains(wanted)));
    }
}
