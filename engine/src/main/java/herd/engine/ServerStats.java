package herd.engine;

/**
 * A snapshot of one server's counters since it was created.
 *
 * @param clientLinesIn   client lines received
 * @param repliesOut      replies sent to clients
 * @param peerLinesIn     lines received on peer links
 * @param peerLinesOut    lines sent on peer links
 * @param learned         reports stored because they were newer
 * @param clientsOpen     client connections open now
 * @param knownClients    clients in the location table now
 */
public record ServerStats(long clientLinesIn, long repliesOut, long peerLinesIn, long peerLinesOut, long learned,
                          int clientsOpen, int knownClients) {
}
