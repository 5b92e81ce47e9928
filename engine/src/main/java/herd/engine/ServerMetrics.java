package herd.engine;

import java.util.Map;

/**
 * Everything {@link HerdServer#metrics()} reads, for an exporter to publish on each scrape:
 * the counters since the server was created, the gauges now, and two duration histograms.
 * Reading it costs a few sums of counters the server keeps anyway, one lock per link and
 * one for Places; the server's threads never wait for it.
 *
 * @param up                  true while the server listens
 * @param stats               the counters {@link HerdServer#stats()} gives ({@code clientLinesIn}
 *                            is the four kinds below added up)
 * @param iamatLines          client IAMAT lines answered with an AT line
 * @param whatsatLines        client WHATSAT lines answered with an AT line and the Places JSON
 * @param invalidLines        client lines answered {@code ? line} (anything invalid, an over-long
 *                            line, a WHATSAT for an unknown client, an IAMAT too far ahead)
 * @param ignoredLines        client lines that got no answer: blank lines, and the first command
 *                            of a client over {@code limits.maxClients}, whose connection is closed
 * @param forwarded           learned updates handed to an up link for a neighbour (one per neighbour)
 * @param peerRecordsSkipped  records from peers this server could not take (malformed, over its
 *                            limits, too long, or too far ahead of its clock), each logged {@code ERROR}
 * @param places              the Places counters ({@link HerdServer#placesStats()})
 * @param links               each link of this server, by neighbour name, in config order
 * @param whatsAtSeconds      WHATSAT latency: from its line read to its reply handed to the connection
 * @param updateAgeSeconds    the age of each update learned live from a peer: this server's clock at
 *                            arrival minus the time the first server received the report (the AT line's
 *                            client time plus its difference); table repairs are not counted
 */
public record ServerMetrics(boolean up, ServerStats stats, long iamatLines, long whatsatLines, long invalidLines,
                            long ignoredLines, long forwarded, long peerRecordsSkipped, PlacesStats places,
                            Map<String, LinkMetrics> links, DurationHistogram whatsAtSeconds,
                            DurationHistogram updateAgeSeconds) {

    public ServerMetrics {
        links = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(links));
    }

    /** Links up now, of {@code links().size()}. */
    public int linksUp() {
        int n = 0;
        for (LinkMetrics l : links.values()) {
            if (l.state() == LinkState.UP) {
                n++;
            }
        }
        return n;
    }
}
