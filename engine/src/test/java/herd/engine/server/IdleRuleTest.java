package herd.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.mina.core.session.IdleStatus;
import org.junit.jupiter.api.Test;

/**
 * The idle rule without sockets. A live herd cannot show that peer links are exempt from the
 * client idle timeout: their heartbeats keep them busy, so a rule that closed idle peers
 * would never fire there. This pins the rule itself.
 */
class IdleRuleTest {

    @Test
    void aQuietClientIsClosedOnlyWhenIdleBothWays() {
        assertEquals(IdleRule.Action.CLOSE_IDLE_CLIENT, IdleRule.onIdle(false, IdleStatus.BOTH_IDLE));
        assertEquals(IdleRule.Action.NONE, IdleRule.onIdle(false, IdleStatus.READER_IDLE));
        assertEquals(IdleRule.Action.NONE, IdleRule.onIdle(false, IdleStatus.WRITER_IDLE));
    }

    @Test
    void peerLinksAreNeverIdledOut() {
        assertEquals(IdleRule.Action.NONE, IdleRule.onIdle(true, IdleStatus.BOTH_IDLE));
    }

    @Test
    void aQuietPeerLinkSendsAHeartbeat() {
        assertEquals(IdleRule.Action.SEND_HEARTBEAT, IdleRule.onIdle(true, IdleStatus.WRITER_IDLE));
    }

    @Test
    void aSilentPeerIsDropped() {
        assertEquals(IdleRule.Action.CLOSE_SILENT_PEER, IdleRule.onIdle(true, IdleStatus.READER_IDLE));
    }
}
