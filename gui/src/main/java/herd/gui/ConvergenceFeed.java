package herd.gui;

/**
 * What the convergence grid is to show, worked out only when it can have changed: the
 * clients' rows when a table was read anew ({@link TableCache#generation()}), the herd's
 * parts (cheap: a few servers and links) on every poll. JavaFX thread only.
 */
final class ConvergenceFeed {

    private long generation = -1;
    private Convergence rows;
    private Convergence shown;

    /**
     * The convergence to show for {@code snapshot}, or null when the grid shows it already.
     *
     * @param generation the table cache's generation the snapshot was taken with
     */
    Convergence next(HerdSnapshot snapshot, long generation) {
        if (rows == null || generation != this.generation || !snapshot.serverNames().equals(rows.servers())) {
            rows = Convergence.of(snapshot.serverNames(), snapshot.tablesOfServersUp());
            this.generation = generation;
        }
        Convergence now = rows.withParts(snapshot.parts());
        if (shown != null && shown.rows() == now.rows() && shown.parts().equals(now.parts())) {
            return null;
        }
        shown = now;
        return now;
    }

    /** What the grid shows now (null before the first {@link #next}). */
    Convergence shown() {
        return shown;
    }
}
