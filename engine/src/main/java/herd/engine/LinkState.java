package herd.engine;

/** The state of one server's end of a link, as the monitor colours it. */
public enum LinkState {
    /** Handshake done: updates flow. */
    UP,
    /** This end dials and is (re)trying with backoff. */
    DIALING,
    /** This end accepts and is waiting for the other end to dial. */
    WAITING,
    /** Cut on purpose: dropped and not redialled until restored. */
    CUT,
    /** This server is down. */
    OFFLINE
}
