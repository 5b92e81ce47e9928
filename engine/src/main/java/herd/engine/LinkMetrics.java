package herd.engine;

/**
 * One server's end of one link, as {@link HerdServer#metrics()} reads it.
 *
 * @param state          the link's state now
 * @param ups            times the link came up since the server was created
 * @param downs          times it went down (from up) since then
 * @param queuedBytes    bytes written to the link's connection and not yet on the wire (0 while down)
 * @param pendingUpdates updates waiting, coalesced, for the peer to read more (see README "Flooding")
 */
public record LinkMetrics(LinkState state, long ups, long downs, long queuedBytes, int pendingUpdates) {
}
