package herd.gui;

/** What one server holds of one client, for the convergence grid. */
enum Holding {
    /** The newest report any running server holds for that client. */
    FRESH("fresh"),
    /** An older report than the newest. */
    STALE("stale"),
    /** No report for that client. */
    NONE("none"),
    /** The server is down (and a down server holds nothing). */
    DOWN("down");

    private final String label;

    Holding(String label) {
        this.label = label;
    }

    /** The words shown in the cell, also its CSS style class. */
    String label() {
        return label;
    }
}
