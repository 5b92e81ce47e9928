package herd.engine.config;

/**
 * The bounds that keep a server's memory flat whatever a party sends or fails to read
 * (the {@code limits} section of a config).
 *
 * @param maxLineBytes       a longer line is answered {@code ? prefix} and its connection closed
 * @param clientQueueBytes   replies queued to a client that does not read before it is dropped
 * @param peerQueueBytes     bytes queued on a peer link before it is dropped and redialled
 * @param idleTimeoutSeconds a client connection with no traffic either way for this long is closed
 * @param maxClients         client connections open at once; more are closed on arrival
 * @param maxClockSkewSeconds an IAMAT whose time is further ahead of the server's clock is invalid,
 *                           and a peer's update that far ahead is skipped (no pinning a client)
 * @param lineTimeoutSeconds a client connection that leaves a line unfinished this long is closed
 * @param acceptBacklog      connections the kernel completes and holds before the server accepts
 *                           them (capped by the kernel at {@code net.core.somaxconn})
 */
public record Limits(int maxLineBytes, long clientQueueBytes, long peerQueueBytes, int idleTimeoutSeconds,
                     int maxClients, int maxClockSkewSeconds,
                     int lineTimeoutSeconds, int acceptBacklog) {

    /** The other bounds at their defaults. */
    public Limits(int maxLineBytes, long clientQueueBytes, long peerQueueBytes, int idleTimeoutSeconds,
                  int maxClients) {
        this(maxLineBytes, clientQueueBytes, peerQueueBytes, idleTimeoutSeconds, maxClients, 3600, 30, 1024);
    }

    public static Limits defaults() {
        return new Limits(64 * 1024, 4L << 20, 16L << 20, 600, 20_000);
    }
}
