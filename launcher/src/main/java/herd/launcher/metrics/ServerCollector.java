package herd.launcher.metrics;

import herd.engine.DurationHistogram;
import herd.engine.LinkMetrics;
import herd.engine.LinkState;
import herd.engine.PlacesStats;
import herd.engine.ServerMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One server's metrics in Prometheus's model, made on each scrape from one {@link
 * ServerMetrics} snapshot (so that every series of a scrape comes from the same reading),
 * under the names README "Metrics" lists. Every series has the label {@code server}; link
 * series add {@code peer}. The engine keeps the counts; nothing is counted here. Thread-safe:
 * it keeps nothing between scrapes.
 */
public final class ServerCollector implements MultiCollector {

    private final String server;
    private final Supplier<ServerMetrics> metrics;

    /** @param metrics read once per scrape ({@code HerdServer::metrics}) */
    public ServerCollector(String server, Supplier<ServerMetrics> metrics) {
        this.server = server;
        this.metrics = metrics;
    }

    @Override
    public MetricSnapshots collect() {
        ServerMetrics m = metrics.get();
        Labels labels = Labels.of("server", server);
        List<MetricSnapshot> out = new ArrayList<>();

        out.add(gauge("herd_server_up", "1 while the server listens, 0 while it is down", null,
                point(labels, m.up() ? 1 : 0)));
        out.add(CounterSnapshot.builder().name("herd_client_lines_received")
                .help("Client lines received, by the answer they got: iamat (an AT line), whatsat (an AT line and the"
                        + " Places JSON), invalid (? and the line), ignored (blank, or refused with the connection)")
                .dataPoint(count(labels.add("kind", "iamat"), m.iamatLines()))
                .dataPoint(count(labels.add("kind", "whatsat"), m.whatsatLines()))
                .dataPoint(count(labels.add("kind", "invalid"), m.invalidLines()))
                .dataPoint(count(labels.add("kind", "ignored"), m.ignoredLines()))
                .build());
        out.add(counter("herd_client_replies_sent", "Replies sent to clients", labels, m.stats().repliesOut()));
        out.add(counter("herd_peer_lines_received", "Lines received on peer links (heartbeats not counted)", labels,
                m.stats().peerLinesIn()));
        out.add(counter("herd_peer_lines_sent", "Lines sent on peer links (heartbeats not counted)", labels,
                m.stats().peerLinesOut()));
        out.add(counter("herd_updates_learned", "Reports stored because they were newer than the one held"
                + " (from clients, peers and table repairs)", labels, m.stats().learned()));
        out.add(counter("herd_updates_forwarded", "Learned reports handed to an up link for a neighbour, one per"
                + " neighbour", labels, m.forwarded()));
        out.add(counter("herd_peer_records_skipped", "Lines from peers this server could not take (malformed, over"
                + " its limits, too long, too far ahead of its clock, or an unknown HERD- message), each also logged as"
                + " ERROR", labels,
                m.peerRecordsSkipped()));
        PlacesStats p = m.places();
        out.add(counter("herd_places_calls", "Queries sent to the Places provider", labels, p.calls()));
        out.add(counter("herd_places_cache_hits", "WHATSAT answers taken from this server's Places cache", labels,
                p.hits()));
        out.add(counter("herd_places_coalesced", "Places queries that joined an identical one already on its way",
                labels, p.coalesced()));
        out.add(counter("herd_places_rate_limited", "Places queries refused with OVER_QUERY_LIMIT by this server's"
                + " own limit (places.maxCallsPerSecond)", labels, p.limited()));
        out.add(counter("herd_places_errors", "Places answers that were neither OK nor ZERO_RESULTS", labels,
                p.errors()));
        out.add(gauge("herd_clients_connected", "Client connections open now", null,
                point(labels, m.stats().clientsOpen())));
        out.add(gauge("herd_location_table_clients", "Clients in this server's location table now", null,
                point(labels, m.stats().knownClients())));
        links(out, labels, m.links());
        out.add(histogram("herd_whatsat_duration_seconds", "WHATSAT latency: from its line read to its reply handed"
                + " to the connection", labels, m.whatsAtSeconds()));
        out.add(histogram("herd_update_age_seconds", "Age of each update learned live from a peer: its arrival"
                + " here minus the time the first server received it (the AT line's client time plus its difference)",
                labels, m.updateAgeSeconds()));
        return new MetricSnapshots(out);
    }

    /** The per-link series, labelled {@code peer}. */
    private static void links(List<MetricSnapshot> out, Labels server, Map<String, LinkMetrics> links) {
        CounterSnapshot.Builder ups = CounterSnapshot.builder().name("herd_link_ups")
                .help("Times the link came up (PEER_UP)");
        CounterSnapshot.Builder downs = CounterSnapshot.builder().name("herd_link_downs")
                .help("Times the link went down from up (PEER_DOWN)");
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("herd_link_up")
                .help("1 while the link is up, 0 otherwise");
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("herd_link_state")
                .help("1 for the link's state now (up, dialing, waiting, cut, offline), 0 for the others");
        GaugeSnapshot.Builder queued = GaugeSnapshot.builder().name("herd_peer_queue_bytes").unit(Unit.BYTES)
                .help("Bytes written to the link's connection and not yet on the wire");
        GaugeSnapshot.Builder pending = GaugeSnapshot.builder().name("herd_peer_pending_updates")
                .help("Updates waiting, coalesced, for a slow peer to read more");
        for (Map.Entry<String, LinkMetrics> e : links.entrySet()) {
            Labels labels = server.add("peer", e.getKey());
            LinkMetrics l = e.getValue();
            ups.dataPoint(count(labels, l.ups()));
            downs.dataPoint(count(labels, l.downs()));
            up.dataPoint(point(labels, l.state() == LinkState.UP ? 1 : 0));
            for (LinkState s : LinkState.values()) {
                state.dataPoint(point(labels.add("state", s.name().toLowerCase(Locale.ROOT)), l.state() == s ? 1 : 0));
            }
            queued.dataPoint(point(labels, l.queuedBytes()));
            pending.dataPoint(point(labels, l.pendingUpdates()));
        }
        out.add(ups.build());
        out.add(downs.build());
        out.add(up.build());
        out.add(state.build());
        out.add(queued.build());
        out.add(pending.build());
    }

    private static CounterSnapshot counter(String name, String help, Labels labels, long value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(count(labels, value)).build();
    }

    private static CounterDataPointSnapshot count(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeSnapshot gauge(String name, String help, Unit unit, GaugeDataPointSnapshot point) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help).dataPoint(point);
        if (unit != null) {
            b.unit(unit);
        }
        return b.build();
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /** The engine's buckets as a classic histogram: the same bounds, and +Inf for the last. */
    private static HistogramSnapshot histogram(String name, String help, Labels labels, DurationHistogram h) {
        List<Double> bounds = new ArrayList<>(h.upperBoundsSeconds());
        bounds.add(Double.POSITIVE_INFINITY);
        return HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS)
                .dataPoint(HistogramDataPointSnapshot.builder().labels(labels)
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.bucketCounts()))
                        .sum(h.sumSeconds()).build())
                .build();
    }
}
