package herd.bench;

/**
 * Every figure the comparison reports, in table order: which scenario, what it measures,
 * its unit, whether more is better, and how runs are combined (median of runs, or the sum
 * for counts of things that must never happen).
 */
enum Metric {
    RT_P50("1 round trip", "p50", Unit.MICROS, false),
    RT_P99("1 round trip", "p99", Unit.MICROS, false),
    RT_P999("1 round trip", "p99.9", Unit.MICROS, false),
    ONE_RATE("2 throughput, 50×4 IAMAT to one server", "replies/s", Unit.PER_SECOND, true),
    ONE_P50("2 throughput, 50×4 IAMAT to one server", "p50", Unit.MICROS, false),
    ONE_P99("2 throughput, 50×4 IAMAT to one server", "p99", Unit.MICROS, false),
    ONE_P999("2 throughput, 50×4 IAMAT to one server", "p99.9", Unit.MICROS, false),
    ONE_CPU("2 throughput, 50×4 IAMAT to one server", "herd CPU time per IAMAT (all five servers, user + system)", Unit.MICROS, false),
    ONE_ALLOC_HUB("2 throughput, 50×4 IAMAT to one server", "bytes allocated per IAMAT, hub server (Goloman)", Unit.BYTES, false),
    ONE_ALLOC_HERD("2 throughput, 50×4 IAMAT to one server", "bytes allocated per IAMAT, whole herd (five servers)", Unit.BYTES, false),
    ALL_RATE("2 throughput, 50×4 IAMAT over five servers", "replies/s", Unit.PER_SECOND, true),
    ALL_P50("2 throughput, 50×4 IAMAT over five servers", "p50", Unit.MICROS, false),
    ALL_P99("2 throughput, 50×4 IAMAT over five servers", "p99", Unit.MICROS, false),
    ALL_CPU("2 throughput, 50×4 IAMAT over five servers", "herd CPU time per IAMAT (all five servers, user + system)", Unit.MICROS, false),
    PROP_IDLE_P50("3 propagation Welsh→Hands (3 hops), idle", "p50", Unit.MICROS, false),
    PROP_IDLE_P99("3 propagation Welsh→Hands (3 hops), idle", "p99", Unit.MICROS, false),
    PROP_LOAD_P50("3 propagation Welsh→Hands, under scenario-2 load", "p50", Unit.MICROS, false),
    PROP_LOAD_P90("3 propagation Welsh→Hands, under scenario-2 load", "p90", Unit.MICROS, false),
    PROP_LOAD_P99("3 propagation Welsh→Hands, under scenario-2 load", "p99", Unit.MICROS, false),
    PROP_LOAD_LATE("3 propagation Welsh→Hands, under scenario-2 load", "samples slower than 5 s (then the next is sent)", Unit.COUNT, false),
    PROP_LOAD_DROPS("3 propagation Welsh→Hands, under scenario-2 load", "peer links dropped during this scenario (PEER_DOWN in the event logs)", Unit.COUNT, false),
    CAP_ADDED_MB("4 capacity, idle clients on one server", "resident memory added per 10,000 clients", Unit.MB, false),
    CAP_PER_CONN_KB("4 capacity, idle clients on one server", "resident memory per client", Unit.KB, false),
    CAP_RT_P50("4 capacity, idle clients on one server", "round trip p50 while they are connected", Unit.MICROS, false),
    CAP_RT_P99("4 capacity, idle clients on one server", "round trip p99 while they are connected", Unit.MICROS, false),
    TABLE_PER_CLIENT("4b capacity, distinct clients in one server's table", "resident memory per client in the table", Unit.BYTES, false),
    TABLE_ADDED_MB("4b capacity, distinct clients in one server's table", "resident memory added by the whole table", Unit.MB, false),
    TABLE_HEAP_PER_CLIENT("4b capacity, distinct clients in one server's table", "of which Java heap in use per client, after a full collection", Unit.BYTES, false),
    REPAIR_FLAP_KB("4c table repair, with scenario 4b's clients", "link flap (Holiday stopped 6.5 s): bytes its links carried after", Unit.KB, false),
    REPAIR_RELEARN_S("4c table repair, with scenario 4b's clients", "Holiday restarted empty: port listening to every audited client held", Unit.SECONDS, false),
    REPAIR_LIVE_P99("4c table repair, with scenario 4b's clients", "meanwhile, a live report every 20 ms at Welsh: at every server, p99", Unit.MILLIS, false),
    REPAIR_LIVE_MAX("4c table repair, with scenario 4b's clients", "meanwhile, a live report every 20 ms at Welsh: at every server, worst", Unit.MILLIS, false),
    REPAIR_DROPS("4c table repair, with scenario 4b's clients", "links dropped or live reports lost while Holiday relearnt", Unit.COUNT, false),
    WS_SAME_RATE("5 WHATSAT, stand-in Google, same query (cache hits)", "replies/s", Unit.PER_SECOND, true),
    WS_SAME_P50("5 WHATSAT, stand-in Google, same query (cache hits)", "p50", Unit.MICROS, false),
    WS_SAME_P99("5 WHATSAT, stand-in Google, same query (cache hits)", "p99", Unit.MICROS, false),
    WS_SAME_UPSTREAM("5 WHATSAT, stand-in Google, same query (cache hits)", "upstream calls per WHATSAT", Unit.RATIO, false),
    WS_NEW_RATE("5 WHATSAT, stand-in Google, new query each time (misses)", "replies/s", Unit.PER_SECOND, true),
    WS_NEW_P50("5 WHATSAT, stand-in Google, new query each time (misses)", "p50", Unit.MICROS, false),
    WS_NEW_P99("5 WHATSAT, stand-in Google, new query each time (misses)", "p99", Unit.MICROS, false),
    WS_NEW_UPSTREAM("5 WHATSAT, stand-in Google, new query each time (misses)", "upstream calls per WHATSAT", Unit.RATIO, false),
    WS_OFFLINE_RATE("5 WHATSAT, offline provider", "replies/s", Unit.PER_SECOND, true),
    WS_OFFLINE_P50("5 WHATSAT, offline provider", "p50", Unit.MICROS, false),
    WS_OFFLINE_P99("5 WHATSAT, offline provider", "p99", Unit.MICROS, false),
    START_MS("6 start-up", "process start to listening port (median server)", Unit.MILLIS, false),
    READY_MS("6 start-up", "process start to first answer (median server)", Unit.MILLIS, false),
    REST_MB("6 start-up", "resident memory at rest, per server process (median)", Unit.MB, false),
    REJOIN_MS("6b rejoin, Holiday restarted after 2.5 s down", "restart: port listening to every link up (worst neighbour, reports checked to arrive; median restart)", Unit.MILLIS, false),
    BURST_MS("7 accept burst, connections opened at once on one server", "first connect to the last right reply (one IAMAT on each)", Unit.MILLIS, false),
    BURST_RATE("7 accept burst, connections opened at once on one server", "connections answered per second", Unit.PER_SECOND, true),
    BURST_FAILED("7 accept burst, connections opened at once on one server", "connections failed: refused, reset, wrong reply or none within 30 s (also errors)", Unit.COUNT, false),
    BURST_OVERFLOWS("7 accept burst, connections opened at once on one server", "listen-queue overflows meanwhile (TcpExt ListenOverflows, whole machine)", Unit.COUNT, false),
    BURST_LISTEN_DROPS("7 accept burst, connections opened at once on one server", "handshakes dropped by listeners meanwhile (TcpExt ListenDrops, whole machine)", Unit.COUNT, false),
    LOG_MB("every scenario", "event log written", Unit.MB, false),
    ERRORS("every scenario", "errors (malformed, missing or refused replies)", Unit.COUNT, false),
    LOST("every scenario", "lost updates (a server without a client's newest report)", Unit.COUNT, false),
    LINK_DROPS("every scenario", "peer links dropped (PEER_DOWN in the event logs)", Unit.COUNT, false),
    LOG_FELL_BEHIND("every scenario", "event log fell behind (ERROR lines: events left out of the log)", Unit.COUNT, false);

    /** How a figure is printed. */
    enum Unit {
        MICROS("µs"), MILLIS("ms"), SECONDS("s"), MB("MB"), KB("KB"), BYTES("B"), PER_SECOND("/s"), RATIO(""), COUNT("");

        final String symbol;

        Unit(String symbol) {
            this.symbol = symbol;
        }
    }

    final String scenario;
    final String measure;
    final Unit unit;
    final boolean higherIsBetter;

    Metric(String scenario, String measure, Unit unit, boolean higherIsBetter) {
        this.scenario = scenario;
        this.measure = measure;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** Counts of failures add up over runs; everything else is the median of the runs. */
    boolean summed() {
        return unit == Unit.COUNT;
    }
}
