package herd.gui;

import static herd.engine.LinkState.CUT;
import static herd.engine.LinkState.DIALING;
import static herd.engine.LinkState.OFFLINE;
import static herd.engine.LinkState.UP;
import static herd.engine.LinkState.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EdgeStateTest {

    @Test
    void connectedOnlyWhenBothEndsCarryTheLink() {
        assertEquals(EdgeState.CONNECTED, EdgeState.of(UP, UP, false));
        assertEquals(EdgeState.REDIALLING, EdgeState.of(UP, WAITING, false));
        assertEquals(EdgeState.REDIALLING, EdgeState.of(DIALING, WAITING, false));
    }

    @Test
    void aServerDownAtEitherEndMakesTheLinkDown() {
        assertEquals(EdgeState.DOWN, EdgeState.of(OFFLINE, DIALING, false));
        assertEquals(EdgeState.DOWN, EdgeState.of(WAITING, OFFLINE, false));
    }

    @Test
    void aCutWinsEvenWhileItsServersAreDown() {
        assertEquals(EdgeState.CUT, EdgeState.of(CUT, OFFLINE, false));
        assertEquals(EdgeState.CUT, EdgeState.of(OFFLINE, OFFLINE, true));
        assertEquals(EdgeState.CUT, EdgeState.of(UP, CUT, false));
    }
}
