package herd.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The {@code compare} scenario: starts each contender's herd on free loopback ports in
 * turn, runs every scenario against it, stops it, and does that for several runs,
 * alternating which herd goes first so that neither always meets a warmer or a colder
 * machine. Scenarios 1–4, 6, 6b and 7 run on a five-server herd whose Places key is unset (so a
 * WHATSAT, used to check updates and propagation, answers at once without HTTP);
 * scenario 5 runs on a one-server herd talking to the stand-in Google. Runs on the
 * caller's thread, with one helper thread for the background load of scenario 3.
 */
final class Comparison {

    /**
     * A herd implementation to measure: how to start one of its servers, and whether those
     * are JVMs (then jcmd can ask them for a full collection or a JFR recording).
     */
    record Contender(String key, String label, List<String> command, boolean jvm) {}

    /** How long and how big each scenario is. */
    record Plan(int runs, Duration herdWarmup, Duration warmup, Duration measure, Duration roundTrip,
                Duration propagation, long propagationSamples, int clients, int depth, int connections,
                int tableClients, int restarts, int burst) {

        /**
         * @param tableClients distinct clients scenario 4b puts in the hub's table (0: skip it)
         * @param burst        connections scenario 7 opens at once at the hub (0: skip it)
         */
        static Plan full(int runs, int connections, Duration measure, int tableClients, int burst) {
            return new Plan(runs, Duration.ofSeconds(20), Duration.ofSeconds(3), measure, Duration.ofSeconds(5),
                    Duration.ofSeconds(5), 2000, 50, 4, connections, tableClients, 3, burst);
        }

        /** Seconds per scenario at tiny sizes: proves the tool works (CI), measures nothing. */
        static Plan smoke() {
            return new Plan(1, Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 200, 50, 4, 200, 2000, 1, 300);
        }
    }

    static final String KEY_ENV = "HERD_BENCH_PLACES_KEY";
    static final String KEY = "bench-stand-in-key";
    static final String HUB = "Goloman";
    static final String FROM = "Welsh";
    static final String TO = "Hands";
    private static final double MB = 1024 * 1024;
    private static final int UNLIMITED_CALLS = 1_000_000;

    private final Plan plan;
    private final List<Contender> contenders;
    private final HerdProcesses.Arrangement arrangement;
    private final PrintStream progress;

    Comparison(Plan plan, List<Contender> contenders, HerdProcesses.Arrangement arrangement, PrintStream progress) {
        this.plan = plan;
        this.contenders = contenders;
        this.arrangement = arrangement;
        this.progress = progress;
    }

    /** Every run of every contender, in the order they ran. */
    List<HerdRun> runAll() {
        List<HerdRun> out = new ArrayList<>();
        try (StandInGoogle google = new StandInGoogle(KEY)) {
            for (int run = 1; run <= plan.runs(); run++) {
                List<Contender> order = new ArrayList<>(contenders);
                if (run % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Contender c : order) {
                    out.add(runOne(c, run, google));
                }
            }
        }
        return out;
    }

    private HerdRun runOne(Contender c, int run, StandInGoogle google) {
        HerdRun out = new HerdRun(c.key(), run);
        Path dir;
        try {
            dir = Files.createTempDirectory("herd-bench-" + c.key() + "-");
        } catch (IOException e) {
            throw new BenchException("cannot make a temporary folder: " + e.getMessage());
        }
        try {
            herdScenarios(c, run, google, dir.resolve("herd"), out);
            attempt(out, "5 WHATSAT", () -> placesScenarios(c, run, google, dir.resolve("places"), out));
        } finally {
            deleteRecursively(dir);
        }
        return out;
    }

    // ---- scenarios 1-4, 6, 6b and 7 on a five-server herd ------------------------------------

    private void herdScenarios(Contender c, int run, StandInGoogle google, Path dir, HerdRun out) {
        Path logs = dir.resolve("logs");
        Path config = BenchConfig.write(mkdirs(dir).resolve("herd.json"), BenchConfig.freePorts(HerdLayout.DEFAULT_NAMES),
                true, "google", google.url(), KEY_ENV, 0, logs);
        HerdLayout herd = HerdLayout.read(config);
        Map<String, String> env = new HashMap<>();
        env.put(KEY_ENV, null);
        String tag = "r" + run + "-";
        Instant stopped;
        Instant loadedFrom = null;
        Instant loadedUntil = null;
        List<EventLogs.Restart> restarts = new ArrayList<>();
        say(run, c, "starting five servers");
        try (HerdProcesses processes = HerdProcesses.start(c.key(), c.command(), config, herd, env, dir, arrangement)) {
            awaitReady(herd, logs);
            startup(out, processes);
            pause(Duration.ofSeconds(1));
            out.put(Metric.REST_MB, median(processes.residentBytes().values().stream().map(b -> b / MB).toList()));
            // on the fresh herd, before the warm-up: the restarted server is then warmed up like the others
            if (arrangement == HerdProcesses.Arrangement.PER_SERVER && herd.servers().containsKey(Rejoin.SERVER)) {
                say(run, c, "6b rejoin, " + Rejoin.SERVER + " restarted " + plan.restarts() + " time(s)");
                attempt(out, "6b rejoin", () -> rejoin(herd, processes, Rejoin.SERVER, logs, tag + "rejoin-",
                        plan.restarts(), out, restarts));
            } else {
                out.note("6b rejoin: not measured (it restarts " + Rejoin.SERVER + " alone, so needs one process per server)");
            }
            if (c.jvm()) {
                // JFR's first start in a JVM makes it recompile its I/O code: before the warm-up, not in scenario 2
                AllocationRecordings.prime(processes.pids(), dir.resolve("alloc")).forEach(out::note);
            }

            // A server is measured as it runs in service, not while its JIT compiler is still at work:
            // the same unrecorded load first for both herds (the asyncio one has nothing to compile).
            say(run, c, "warming up (" + plan.herdWarmup().toSeconds() + " s of load, not recorded)");
            Throughput.Result warm = Throughput.measure(herd, herd.names(), plan.clients(), plan.depth(), tag + "warm-",
                    Duration.ZERO, plan.herdWarmup());
            errors(out, "warm-up", warm.load().errors(), warm.load().errorSamples());
            lost(out, "warm-up", warm.audit());

            say(run, c, "1 round trip");
            RoundTrip.Result rt = RoundTrip.measure(herd, HUB, tag + "rt", plan.warmup(), plan.roundTrip(), Long.MAX_VALUE);
            out.roundTrip = rt.latency();
            out.putPercentiles(rt.latency(), Metric.RT_P50, Metric.RT_P99, Metric.RT_P999);
            errors(out, "round trip", rt.errors(), rt.samples());
            if (rt.newestTime() != null) {
                lost(out, "round trip", UpdateAudit.audit(herd, Map.of(rt.clientId(), rt.newestTime()), Duration.ofSeconds(30)));
            }

            say(run, c, "2 throughput, one server");
            AllocationRecordings allocation = c.jvm() ? AllocationRecordings.start(processes.pids(), dir.resolve("alloc"))
                    : null;
            long cpu = processes.cpuNanos();
            Throughput.Result one = Throughput.measure(herd, List.of(HUB), plan.clients(), plan.depth(), tag + "one-",
                    plan.warmup(), plan.measure());
            out.put(Metric.ONE_CPU, (processes.cpuNanos() - cpu) / 1e3 / Math.max(1, one.load().answered()));
            if (allocation != null) {
                allocation(out, allocation.stop(), one.load().answered(), herd.names().size());
            }
            throughput(out, "throughput (one server)", one, Metric.ONE_RATE, Metric.ONE_P50, Metric.ONE_P99, Metric.ONE_P999);

            say(run, c, "2 throughput, five servers");
            cpu = processes.cpuNanos();
            Throughput.Result all = Throughput.measure(herd, herd.names(), plan.clients(), plan.depth(), tag + "all-",
                    plan.warmup(), plan.measure());
            out.put(Metric.ALL_CPU, (processes.cpuNanos() - cpu) / 1e3 / Math.max(1, all.load().answered()));
            throughput(out, "throughput (five servers)", all, Metric.ALL_RATE, Metric.ALL_P50, Metric.ALL_P99, null);

            say(run, c, "3 propagation, idle");
            Propagation.Result idle = Propagation.measure(herd, FROM, TO, tag + "prop-idle", plan.propagation(),
                    plan.propagationSamples());
            propagation(out, "propagation (idle)", idle, Metric.PROP_IDLE_P50, Metric.PROP_IDLE_P99);
            lost(out, "propagation (idle)", UpdateAudit.audit(herd, Map.of(idle.clientId(), idle.newestTime()),
                    Duration.ofSeconds(30)));

            say(run, c, "3 propagation, under load");
            loadedFrom = Instant.now();
            attempt(out, "3 propagation under load", () -> propagationUnderLoad(herd, tag, out));
            loadedUntil = Instant.now();

            say(run, c, "4 capacity, " + plan.connections() + " idle clients");
            attempt(out, "4 capacity", () -> {
                Capacity.Result cap = Capacity.measure(herd, HUB, processes.pid(HUB), plan.connections(), tag + "idle-",
                        plan.roundTrip());
                out.put(Metric.CAP_PER_CONN_KB, cap.bytesPerConnection() / 1024);
                out.put(Metric.CAP_ADDED_MB, cap.bytesPerConnection() * 10_000 / MB);
                out.putPercentiles(cap.roundTrip().latency(), Metric.CAP_RT_P50, Metric.CAP_RT_P99, null);
                errors(out, "capacity round trip", cap.roundTrip().errors(), cap.roundTrip().samples());
                errors(out, "capacity (one IAMAT per idle client)", cap.check().errors(), cap.check().errorSamples());
                lost(out, "capacity", cap.audit());
            });
            if (plan.burst() > 0) {
                say(run, c, String.format(Locale.ROOT, "7 accept burst, %,d connections opened at once at %s",
                        plan.burst(), HUB));
                attempt(out, "7 accept burst", () -> {
                    Burst.Result b = Burst.measure(herd, HUB, OptionalLong.of(processes.pid(HUB)), plan.burst(),
                            tag + "burst-");
                    burst(out, b);
                    lost(out, "accept burst", UpdateAudit.audit(herd, b.audited(), Duration.ofSeconds(30)));
                    say(run, c, String.format(Locale.ROOT, "7: %,d of %,d answered in %.0f ms (%,.0f/s), %,d failed, "
                                    + "%s listen-queue overflows", b.answered(), b.opened(), b.millis(), b.perSecond(),
                            b.failed(), b.listen().map(l -> String.format(Locale.ROOT, "%,d", l.overflows())).orElse("n/a")));
                });
            }
            if (plan.tableClients() > 0) {
                say(run, c, String.format(Locale.ROOT, "4b capacity, %,d clients in %s's table", plan.tableClients(), HUB));
                attempt(out, "4b table", () -> table(run, c, herd, processes.pid(HUB), tag + "table-", out));
                if (arrangement == HerdProcesses.Arrangement.PER_SERVER && audited != null) {
                    say(run, c, "4c table repair: " + Repair.SERVER + " stopped for a flap, then restarted empty");
                    attempt(out, "4c repair", () -> repair(run, c, herd, processes, logs, tag + "repair-", out, restarts));
                }
            }
            if (!processes.allAlive()) {
                throw new BenchException(c.label() + ": a server process died during the scenarios (see " + dir + ")");
            }
            stopped = Instant.now();
        }
        long drops = EventLogs.droppedLinks(logs, stopped, restarts);
        out.add(Metric.LINK_DROPS, drops);
        if (loadedFrom != null) {
            // read once the herd has stopped, when every line is in its file; the lines carry the time of the event
            out.add(Metric.PROP_LOAD_DROPS, EventLogs.count(logs, "PEER_DOWN", loadedFrom, loadedUntil));
        }
        EventLogs.droppedLinkSamples(logs, stopped, 3, restarts).forEach(s -> out.note("link dropped: " + s));
        fellBehind(out, "five-server herd", logs);
        out.put(Metric.LOG_MB, EventLogs.bytes(logs) / MB);
    }

    private void propagationUnderLoad(HerdLayout herd, String tag, HerdRun out) {
        ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-background-load");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<Throughput.Result> load = CompletableFuture.supplyAsync(() -> Throughput.measure(herd,
                    herd.names(), plan.clients(), plan.depth(), tag + "bg-", plan.warmup(), plan.measure()), helper);
            pause(plan.warmup());
            Propagation.Result loaded = Propagation.measure(herd, FROM, TO, tag + "prop-load",
                    plan.measure().multipliedBy(9).dividedBy(10), Long.MAX_VALUE);
            propagation(out, "propagation (under load)", loaded, Metric.PROP_LOAD_P50, Metric.PROP_LOAD_P99);
            if (loaded.latency().getTotalCount() > 0) {
                out.put(Metric.PROP_LOAD_P90, HerdRun.micros(loaded.latency(), 90));
            }
            out.put(Metric.PROP_LOAD_LATE, loaded.late());
            Throughput.Result background = load.join();
            errors(out, "background load", background.load().errors(), background.load().errorSamples());
            lost(out, "background load", background.audit());
            lost(out, "propagation (under load)", UpdateAudit.audit(herd,
                    Map.of(loaded.clientId(), loaded.newestTime()), Duration.ofSeconds(30)));
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof BenchException b ? b : e;
        } finally {
            helper.shutdownNow();
        }
    }

    /** Scenario 4b's audited clients and their newest times, for scenario 4c; null before 4b ran. */
    private Map<String, String> audited;

    private void repair(int run, Contender c, HerdLayout herd, HerdProcesses processes, Path logs, String idPrefix,
                        HerdRun out, List<EventLogs.Restart> restarts) {
        Repair.Result r = Repair.measure(herd, processes, logs, audited, idPrefix);
        restarts.addAll(r.planned());
        if (r.flapBytes() >= 0) {
            out.put(Metric.REPAIR_FLAP_KB, r.flapBytes() / 1024.0);
        } else {
            out.note("4c flap: " + Repair.SERVER + "'s links survived a " + Repair.STOPPED.toMillis()
                    + " ms SIGSTOP (no dead-link detection): nothing to repair");
        }
        out.put(Metric.REPAIR_RELEARN_S, r.relearnSeconds());
        if (!r.liveMillis().isEmpty()) {
            List<Double> sorted = r.liveMillis().stream().sorted().toList();
            out.put(Metric.REPAIR_LIVE_P99, sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)));
            out.put(Metric.REPAIR_LIVE_MAX, sorted.get(sorted.size() - 1));
        }
        out.add(Metric.REPAIR_DROPS, r.drops() + r.liveLost());
        say(run, c, String.format(Locale.ROOT, "4c: flap %s; relearnt in %.1f s; %d live reports, worst %.0f ms; "
                        + "%d links dropped, %d live reports lost",
                r.flapBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%,d bytes", r.flapBytes()), r.relearnSeconds(),
                r.liveMillis().size(), r.liveMillis().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                r.drops(), r.liveLost()));
    }

    private void table(int run, Contender c, HerdLayout herd, long pid, String idPrefix, HerdRun out) {
        audited = null;
        TableCapacity.Result t = TableCapacity.measure(herd, HUB, pid, plan.tableClients(), idPrefix, c.jvm());
        if (t.audit().lost() == 0) {
            audited = t.audited();
        }
        out.put(Metric.TABLE_PER_CLIENT, t.bytesPerClient());
        out.put(Metric.TABLE_ADDED_MB, (t.residentAfter() - t.residentBefore()) / MB);
        if (!Double.isNaN(t.heapBytesPerClient())) {
            out.put(Metric.TABLE_HEAP_PER_CLIENT, t.heapBytesPerClient());
        }
        errors(out, "table (one IAMAT per new client)", t.load().errors(), t.load().errorSamples());
        lost(out, "table", t.audit());
        say(run, c, String.format(Locale.ROOT, "4b: %,d new clients in %.1f s (%,.0f IAMAT/s); %s resident %.1f -> %.1f MB%s",
                t.clients(), t.load().seconds(), t.load().perSecond(), HUB, t.residentBefore() / MB,
                t.residentAfter() / MB, t.heapBefore() < 0 ? ""
                        : String.format(Locale.ROOT, ", heap in use %.1f -> %.1f MB", t.heapBefore() / MB, t.heapAfter() / MB)));
    }

    // ---- scenario 5 on a one-server herd ------------------------------------------------

    private void placesScenarios(Contender c, int run, StandInGoogle google, Path dir, HerdRun out) {
        String tag = "r" + run + "-";
        Map<String, String> env = new HashMap<>();
        env.put(KEY_ENV, KEY);
        // No quota guard in the way: this measures the herd's WHATSAT path (the cache stays on, as shipped).
        Path config = BenchConfig.write(mkdirs(dir).resolve("google.json"), BenchConfig.freePorts(List.of(HUB)), false,
                "google", google.url(), KEY_ENV, UNLIMITED_CALLS, dir.resolve("logs-google"));
        HerdLayout herd = HerdLayout.read(config);
        try (HerdProcesses ignored = HerdProcesses.start(c.key() + "-google", c.command(), config, herd, env, dir,
                arrangement)) {
            say(run, c, "warming up the one-server herd (" + plan.herdWarmup().toSeconds() + " s of WHATSAT, not recorded)");
            WhatsAtLoad.Result warm = WhatsAtLoad.measure(herd, HUB, PipelinedLoad.Kind.WHATSAT_DISTINCT, plan.clients(),
                    plan.depth(), tag + "ws-warm-", Duration.ZERO, plan.herdWarmup(), null, PipelinedLoad.WHATSAT_BOUND);
            errors(out, "WHATSAT warm-up", warm.load().errors(), warm.load().errorSamples());
            say(run, c, "5 WHATSAT, stand-in Google, same query");
            WhatsAtLoad.Result same = WhatsAtLoad.measure(herd, HUB, PipelinedLoad.Kind.WHATSAT_SAME, plan.clients(),
                    plan.depth(), tag + "ws-same-", plan.warmup(), plan.measure(), google::served, PipelinedLoad.WHATSAT_BOUND);
            whatsAt(out, "WHATSAT same query", same, Metric.WS_SAME_RATE, Metric.WS_SAME_P50, Metric.WS_SAME_P99,
                    Metric.WS_SAME_UPSTREAM);
            say(run, c, "5 WHATSAT, stand-in Google, new query each time");
            WhatsAtLoad.Result fresh = WhatsAtLoad.measure(herd, HUB, PipelinedLoad.Kind.WHATSAT_DISTINCT, plan.clients(),
                    plan.depth(), tag + "ws-new-", plan.warmup(), plan.measure(), google::served, PipelinedLoad.WHATSAT_BOUND);
            whatsAt(out, "WHATSAT new query", fresh, Metric.WS_NEW_RATE, Metric.WS_NEW_P50, Metric.WS_NEW_P99,
                    Metric.WS_NEW_UPSTREAM);
        }
        fellBehind(out, "one-server herd (stand-in Google)", dir.resolve("logs-google"));
        offline(c, run, dir, out, tag, env);
    }

    /** The offline provider, where this build of the herd has one that knows places. */
    private void offline(Contender c, int run, Path dir, HerdRun out, String tag, Map<String, String> env) {
        Path config = BenchConfig.write(dir.resolve("offline.json"), BenchConfig.freePorts(List.of(HUB)), false,
                "offline", "http://127.0.0.1:9/unused", KEY_ENV, 0, dir.resolve("logs-offline"));
        HerdLayout herd = HerdLayout.read(config);
        HerdProcesses processes;
        try {
            processes = HerdProcesses.start(c.key() + "-offline", c.command(), config, herd, env, dir, arrangement);
        } catch (BenchException e) {
            out.note("offline provider: not available in this build (" + e.getMessage() + ")");
            return;
        }
        try (processes) {
            WhatsAtLoad.Probe probe = WhatsAtLoad.probe(herd, HUB);
            if (!probe.answersPlaces()) {
                out.note("offline provider: not available in this build (a WHATSAT at UCLA answered " + probe.status()
                        + " with " + probe.results() + " results)");
                return;
            }
            say(run, c, "5 WHATSAT, offline provider");
            WhatsAtLoad.Result r = WhatsAtLoad.measure(herd, HUB, PipelinedLoad.Kind.WHATSAT_DISTINCT, plan.clients(),
                    plan.depth(), tag + "ws-off-", plan.warmup(), plan.measure(), null, -1);
            whatsAt(out, "WHATSAT offline", r, Metric.WS_OFFLINE_RATE, Metric.WS_OFFLINE_P50, Metric.WS_OFFLINE_P99, null);
        }
        fellBehind(out, "one-server herd (offline)", dir.resolve("logs-offline"));
    }

    // ---- scenarios 6 and 6b: start-up and rejoin ------------------------------------------

    /** Scenario 6's times: process start to listening and to first answer, each the median server. */
    static void startup(HerdRun out, HerdProcesses processes) {
        out.put(Metric.START_MS, median(processes.starts().values().stream().map(HerdProcesses.Start::listeningMillis).toList()));
        out.put(Metric.READY_MS, median(processes.starts().values().stream().map(HerdProcesses.Start::firstAnswerMillis).toList()));
    }

    /**
     * Scenario 6b: restarts {@code server} {@code times} times, one after another ({@link Rejoin});
     * the median restart's figure, a note per restart, and an error for one whose links were not
     * all back within {@link Rejoin#LIMIT} (then no further restart). Each restart's window goes to
     * {@code windows}, even when it could not finish: the links it drops on purpose are not
     * dropped links.
     */
    static void rejoin(HerdLayout herd, HerdProcesses processes, String server, Path logs, String idPrefix, int times,
                       HerdRun out, List<EventLogs.Restart> windows) {
        List<Double> millis = new ArrayList<>();
        for (int i = 1; i <= times; i++) {
            Instant from = Instant.now();
            Rejoin.Result r;
            try {
                r = Rejoin.once(herd, processes, server, logs, idPrefix + i + "-");
            } finally {
                windows.add(new EventLogs.Restart(server, from, Instant.now()));
            }
            out.note(r.describe());
            errors(out, "rejoin", r.errors(), r.samples());
            if (!r.rejoined()) {
                out.add(Metric.ERRORS, 1);
                out.note("6b rejoin: " + server + "'s links were not all back and carrying reports within "
                        + Rejoin.LIMIT.toSeconds() + " s of its port listening");
                return;
            }
            millis.add(r.millis());
        }
        out.put(Metric.REJOIN_MS, median(millis));
    }

    /**
     * Scenario 7's figures: time and rate over the connections answered right, the failed ones
     * (each also an error, so the comparison fails), and the machine's listen-queue counters.
     */
    static void burst(HerdRun out, Burst.Result b) {
        b.notes().forEach(out::note);
        if (b.opened() == 0) {
            return;
        }
        if (b.answered() > 0) {
            out.put(Metric.BURST_MS, b.millis());
            out.put(Metric.BURST_RATE, b.perSecond());
        }
        out.add(Metric.BURST_FAILED, b.failed());
        errors(out, "accept burst", b.failed(), b.samples());
        b.listen().ifPresent(l -> {
            out.add(Metric.BURST_OVERFLOWS, l.overflows());
            out.add(Metric.BURST_LISTEN_DROPS, l.drops());
        });
        if (b.unsettled() != null) {
            out.add(Metric.ERRORS, 1);
            out.note("7 accept burst: " + b.unsettled());
        }
    }

    // ---- readiness ------------------------------------------------------------------------

    /** Every link up (both ends' logs say so) and a report from every server reaches every server. */
    static void awaitReady(HerdLayout herd, Path logs) {
        Capacity.awaitCondition(() -> herd.names().stream()
                        .allMatch(s -> EventLogs.peersUp(logs, s).containsAll(herd.neighbours(s))),
                Duration.ofSeconds(30), () -> "the herd's links did not all come up within 30 s (logs in " + logs + ")");
        Map<String, String> probes = new LinkedHashMap<>();
        for (String s : herd.names()) {
            try (LineClient c = LineClient.connect(herd.address(s), s, LineClient.defaultTimeout())) {
                String time = new ClientClock().next();
                c.send("IAMAT bench-ready-" + s + " " + RoundTrip.LOCATION + " " + time);
                c.readLine();
                probes.put("bench-ready-" + s, time);
            }
        }
        UpdateAudit.Result audit = UpdateAudit.audit(herd, probes, Duration.ofSeconds(30));
        if (audit.lost() > 0) {
            throw new BenchException("the herd does not flood: " + String.join("; ", audit.samples()));
        }
    }

    // ---- recording ------------------------------------------------------------------------

    /**
     * Runs one scenario; if it cannot finish (a herd stops answering, a limit is hit), that
     * counts as an error with its reason in the notes, and the comparison goes on.
     */
    private static void attempt(HerdRun out, String scenario, Runnable work) {
        try {
            work.run();
        } catch (BenchException e) {
            out.add(Metric.ERRORS, 1);
            out.note(scenario + " could not finish: " + e.getMessage());
        }
    }

    private static void throughput(HerdRun out, String what, Throughput.Result r, Metric rate, Metric p50, Metric p99,
                                   Metric p999) {
        out.put(rate, r.load().perSecond());
        out.putPercentiles(r.load().latency(), p50, p99, p999);
        errors(out, what, r.load().errors(), r.load().errorSamples());
        lost(out, what, r.audit());
    }

    private static void propagation(HerdRun out, String what, Propagation.Result r, Metric p50, Metric p99) {
        out.putPercentiles(r.latency(), p50, p99, null);
        errors(out, what, r.errors(), r.samples());
    }

    /**
     * Bytes allocated per IAMAT answered, at the hub and over the whole herd, when every
     * figure they need was measured (a herd run as one process has no hub figure of its own).
     */
    static void allocation(HerdRun out, AllocationRecordings.Result r, long answered, int servers) {
        r.notes().forEach(out::note);
        if (answered == 0) {
            return;
        }
        if (r.processes() == servers && r.bytes().containsKey(HUB)) {
            out.put(Metric.ONE_ALLOC_HUB, r.bytes().get(HUB) / (double) answered);
        } else if (r.processes() != servers) {
            out.note("allocation: the herd runs as " + r.processes() + " process(es), so " + HUB
                    + "'s own allocation is not told apart");
        }
        if (r.complete()) {
            out.put(Metric.ONE_ALLOC_HERD, r.total() / (double) answered);
        }
    }

    private static void whatsAt(HerdRun out, String what, WhatsAtLoad.Result r, Metric rate, Metric p50, Metric p99,
                                Metric upstream) {
        out.put(rate, r.load().perSecond());
        out.putPercentiles(r.load().latency(), p50, p99, null);
        if (upstream != null) {
            out.put(upstream, r.upstreamPerWhatsAt());
        }
        errors(out, what, r.load().errors(), r.load().errorSamples());
    }

    private static void errors(HerdRun out, String what, long errors, List<String> samples) {
        out.add(Metric.ERRORS, errors);
        samples.forEach(s -> out.note(what + ": " + s));
    }

    /**
     * Counts a stopped herd's "event log fell behind" lines, over its whole life: its writer
     * reports dropped events only when it catches up, which may be as the herd shuts down.
     */
    static void fellBehind(HerdRun out, String what, Path logs) {
        if (!Files.isDirectory(logs)) {
            out.add(Metric.LOG_FELL_BEHIND, 0);
            return;
        }
        out.add(Metric.LOG_FELL_BEHIND, EventLogs.fellBehind(logs, Instant.EPOCH, Instant.MAX));
        EventLogs.fellBehindSamples(logs, Instant.EPOCH, Instant.MAX, 3).forEach(s -> out.note(what + ": " + s));
    }

    private static void lost(HerdRun out, String what, UpdateAudit.Result audit) {
        out.add(Metric.LOST, audit.lost());
        audit.samples().forEach(s -> out.note(what + ", lost update: " + s));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void say(int run, Contender c, String what) {
        progress.printf("bench: run %d/%d, %s: %s%n", run, plan.runs(), c.label(), what);
    }

    static double median(Collection<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BenchException("cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // letting a herd come to rest, or a load warm up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    System.err.println("bench: cannot delete " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            System.err.println("bench: cannot clean up " + dir + ": " + e.getMessage());
        }
    }
}
