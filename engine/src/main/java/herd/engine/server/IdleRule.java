package herd.engine.server;

import org.apache.mina.core.session.IdleStatus;

/**
 * What an idle notice means for a connection. Clients that stay quiet for the idle timeout
 * ({@code limits.idleTimeoutSeconds}) are closed; peer links are never closed for being
 * idle: after a quiet second they send a heartbeat, and only a peer (or a handshake) that
 * has said nothing for {@link PeerLink#SILENCE_SECONDS} is dropped as dead. Pure.
 */
final class IdleRule {

    enum Action {
        /** A client idle for the idle timeout: close it. */
        CLOSE_IDLE_CLIENT,
        /** A peer connection with nothing sent for a second: send a heartbeat. */
        SEND_HEARTBEAT,
        /** A peer connection that has heard nothing for the silence limit: close it. */
        CLOSE_SILENT_PEER,
        /** Nothing to do. */
        NONE
    }

    private IdleRule() {
    }

    /** The action for an idle notice of {@code status} on a peer or a client connection. */
    static Action onIdle(boolean peerConnection, IdleStatus status) {
        if (!peerConnection) {
            return status == IdleStatus.BOTH_IDLE ? Action.CLOSE_IDLE_CLIENT : Action.NONE;
        }
        if (status == IdleStatus.WRITER_IDLE) {
            return Action.SEND_HEARTBEAT;
        }
        return status == IdleStatus.READER_IDLE ? Action.CLOSE_SILENT_PEER : Action.NONE;
    }
}
