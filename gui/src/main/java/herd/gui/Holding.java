package herd.gui;

import java.util.Locale;

/** What one server holds of one client, for the convergence grid. */
enum Holding {
    /** The newest report any running server holds for that client. */
    FRESH,
    /** An older report than the newest. */
    STALE,
    /** No report for that client. */
    NONE,
    /** The server is down (and a down server holds nothing). */
    DOWN;

    /** The words shown in the cell, also its CSS style class. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
