package herd.gui;

import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.scene.Parent;

/**
 * The large-text mode: one font size for the whole window, set on its root, from which every
 * text size in {@code monitor.css} follows (they are in {@code em}). Steps of
 * {@value #STEP} px between {@value #SMALLEST} and {@value #LARGEST}; {@value #NORMAL} px
 * is the usual size. JavaFX thread only.
 */
final class TextZoom {

    static final double NORMAL = 13;
    static final double SMALLEST = 9;
    static final double LARGEST = 30;
    static final double STEP = 2;

    private final Parent root;
    private final ReadOnlyDoubleWrapper size = new ReadOnlyDoubleWrapper(NORMAL);

    TextZoom(Parent root) {
        this.root = root;
        apply();
    }

    void larger() {
        size.set(Math.min(LARGEST, size.get() + STEP));
        apply();
    }

    void smaller() {
        size.set(Math.max(SMALLEST, size.get() - STEP));
        apply();
    }

    void reset() {
        size.set(NORMAL);
        apply();
    }

    /** The window's font size in px; for what sizes itself in px rather than by its text (the graph's boxes, log rows). */
    ReadOnlyDoubleProperty size() {
        return size.getReadOnlyProperty();
    }

    /** The root's font size scaled from the usual one: 1 at the usual size. */
    double scale() {
        return size.get() / NORMAL;
    }

    private void apply() {
        root.setStyle("-fx-font-size: " + size.get() + "px;"); // an inline style outranks the stylesheet's .root
    }
}
