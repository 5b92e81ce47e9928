package herd.gui;

import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/**
 * The window's keyboard shortcuts: Ctrl (Cmd on a Mac) with {@code +} or {@code =},
 * {@code -}, {@code 0} for larger, smaller and usual text; with {@code F} to the log filter.
 * Taken by an event filter on the scene, so they work whatever has the focus (a text field
 * included). JavaFX thread only.
 */
final class Shortcuts {

    private Shortcuts() {
    }

    static void install(Scene scene, TextZoom zoom, Runnable find) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (!e.isShortcutDown() || e.isAltDown()) {
                return;
            }
            Runnable action = action(e.getCode(), zoom, find);
            if (action != null) {
                action.run();
                e.consume();
            }
        });
    }

    private static Runnable action(KeyCode key, TextZoom zoom, Runnable find) {
        return switch (key) {
            case PLUS, EQUALS, ADD -> zoom::larger;
            case MINUS, SUBTRACT -> zoom::smaller;
            case DIGIT0, NUMPAD0 -> zoom::reset;
            case F -> find;
            default -> null;
        };
    }
}
