package herd.gui;

import herd.engine.LinkState;
import java.util.Locale;

/**
 * How the monitor draws one configured link, from the states its two ends report. A cut
 * at either end wins (the operator did it and it stays until restored); then a down server
 * at either end; the link is connected only when both ends carry it.
 */
enum EdgeState {
    CONNECTED,
    REDIALLING,
    DOWN,
    CUT;

    /** The words and the CSS style class for this state. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param a   one end's state
     * @param b   the other end's state
     * @param cut whether either end is cut by the operator
     */
    static EdgeState of(LinkState a, LinkState b, boolean cut) {
        if (cut || a == LinkState.CUT || b == LinkState.CUT) {
            return CUT;
        }
        if (a == LinkState.OFFLINE || b == LinkState.OFFLINE) {
            return DOWN;
        }
        if (a == LinkState.UP && b == LinkState.UP) {
            return CONNECTED;
        }
        return REDIALLING;
    }
}
