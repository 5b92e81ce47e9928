package herd.engine.config;

/**
 * The bounds that keep a server's memory flat whatever a party sends or fails to read
 * (the {@code limits} section of a config).
 *
 * @param maxLineBytes        a longer line is answered {@code ? prefix} and its connection closed
 * @param clientQueueBytes    replies queued to a client that does not read before it is dropped
 * @param peerQueueBytes      bytes queued on a peer link before it is dropped and redialled
 * @param idleTimeoutSeconds  a client connection with no traffic either way for this long is closed
 * @param maxClients          client connections open at once; more are closed on arrival
 * @param maxClientIdBytes    a longer client id makes its IAMAT (or a peer's record) invalid
 * @param maxTimeDigits       a client time with more digits makes its IAMAT (or record) invalid
 * @param maxCoordinateDigits a latitude or longitude with more digits makes its IAMAT (or record) invalid
 * @param maxClockSkewSeconds an IAMAT whose time is further ahead of the server's clock is invalid,
 *                            and a peer's update that far ahead is skipped (no pinning a client)
 * @param lineTimeoutSeconds  a client connection that leaves a line unfinished this long is closed
 * @param acceptBacklog       connections the kernel completes and holds before the server accepts
 *                            them (capped by the kernel at {@code net.core.somaxconn})
 */
public record Limits(int maxLineBytes, long clientQueueBytes, long peerQueueBytes, int idleTimeoutSeconds,
                     int maxClients, int maxClientIdBytes, int maxTimeDigits, int maxCoordinateDigits,
                     int maxClockSkewSeconds, int lineTimeoutSeconds, int acceptBacklog) {

    /** The limits with the field bounds, clock skew, line deadline and backlog at their defaults. */
    public Limits(int maxLineBytes, long clientQueueBytes, long peerQueueBytes, int idleTimeoutSeconds,
                  int maxClients) {
        this(maxLineBytes, clientQueueBytes, peerQueueBytes, idleTimeoutSeconds, maxClients, 256, 30, 24,
                3600, 30, 1024);
    }

    public static Limits defaults() {
        return new Limits(64 * 1024, 4L << 20, 16L << 20, 600, 20_000);
    }

    /**
     * The longest AT line a server named with {@code serverNameBytes} bytes can make from an
     * IAMAT within the field bounds: {@code AT}, the name, the difference (sign, at most
     * {@code max(maxTimeDigits, 19) + 1} integer digits, point, nine), the id, the location
     * (two signs, two points), the time (a point), and five spaces.
     */
    public long longestAtLine(int serverNameBytes) {
        long difference = Math.max((long) maxTimeDigits, 19) + 12;
        return 2 + serverNameBytes + difference + (long) maxClientIdBytes + 2L * maxCoordinateDigits + 4
                + maxTimeDigits + 1 + 5;
    }
}
