package herd.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code bench.jar}'s entry point: one scenario against a running herd described by its
 * config file, or {@code compare}, which starts the Java herd, the asyncio herd and the
 * Node.js herd in turn and measures all three. Exit codes: 0 when every reply was right, no update was lost, no
 * peer link dropped and no herd said its event log fell behind ({@link Summary#CORRECTNESS}),
 * 1 when one of those happened (timing targets never change the exit code), 2 for a bad
 * command line, 3 when a benchmark could not run.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar bench/target/bench.jar SCENARIO [options]

              compare      start the Java, asyncio and Node.js herds in turn on free loopback ports,
                           run every scenario against each, print one Markdown table, and write
                           summary.md, summary.csv, runs.csv and PNG charts to --out
                             --runs N (3)  --measure SEC (10)  --connections N (10000)
                             --table-clients N (1000000; 0 skips scenario 4b, the table's memory)
                             --burst N (15000; 0 skips scenario 7: N connections opened at once)
                             --out DIR (bench/results)  --smoke (seconds in all, for CI)
                             --launcher JAR (launcher/target/launcher.jar)
                             --asyncio FILE (bench/asyncio-herd/server.py)  --python EXE (/usr/bin/python3)
                             --node FILE (bench/node-herd/server.js)  --node-exe EXE (/usr/bin/node)
                             --no-node (leave the Node.js herd out: a machine without node)
                             --one-process (each herd as one process; default: one process per server)

            against a running herd, given by its config file (--config FILE):
              roundtrip    one client, one IAMAT at a time            [--server NAME] [--duration SEC]
              throughput   CLIENTS x DEPTH pipelined IAMATs            [--server NAME | --spread]
                                                                       [--clients 50] [--depth 4] [--duration SEC]
              propagation  IAMAT at --from, WHATSAT polled at --to     [--from Welsh] [--to Hands] [--duration SEC]
                                                                       [--loaded]
              capacity     idle connections on one server: memory      [--server NAME] [--connections 10000]
              whatsat      pipelined WHATSATs (the herd's own Places)  [--server NAME] [--new] [--clients 50]
                                                                       [--depth 4] [--duration SEC]
              startup      starts CMD NAME --config FILE per server:   --herd-cmd "CMD"
                           to listening, to first answer, memory
              rejoin       starts the herd as startup does, then       --herd-cmd "CMD" [--server Holiday]
                           restarts one server 3 times: its port listening to every link back
              burst        connections opened at once, one IAMAT on    [--server NAME] [--connections 15000]
                           each: first connect to last reply, failures, listen-queue overflows

            Exit: 0 all replies right, no update lost, no link dropped, no "event log fell behind" line;
                  1 any of those; 2 usage; 3 could not run.
            """;

    private static final double MB = 1024 * 1024;
    /** Scenarios that start the herd themselves, from --herd-cmd, in a folder of their own. */
    private static final List<String> OWN_HERD = List.of("startup", "rejoin");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (o.scenario().equals("help")) {
            out.print(USAGE);
            return 0;
        }
        try {
            return o.scenario().equals("compare") ? compare(o, out, err) : single(o, out, err);
        } catch (BenchException e) {
            err.println("bench: " + e.getMessage());
            return 3;
        }
    }

    // ---- compare ----------------------------------------------------------------------------

    private static int compare(Options o, PrintStream out, PrintStream err) {
        Path launcher = Path.of(o.get("launcher", "launcher/target/launcher.jar"));
        Path asyncio = Path.of(o.get("asyncio", "bench/asyncio-herd/server.py"));
        String python = o.get("python", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        requireFile(launcher, "the Java herd (build it: mvn -B -DskipTests package)");
        requireFile(asyncio, "the asyncio herd");
        boolean withNode = !o.has("no-node");
        Path nodeServer = Path.of(o.get("node", "bench/node-herd/server.js"));
        String node = o.get("node-exe", "/usr/bin/node");
        if (withNode) {
            requireFile(nodeServer, "the Node.js herd");
            if (!Files.isExecutable(Path.of(node))) {
                throw new BenchException(node + " not found: install Node.js (Debian: apt-get install nodejs), "
                        + "pass --node-exe EXE, or leave the Node.js herd out with --no-node");
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Comparison.Contender herd = new Comparison.Contender("java", "Herd (Java/MINA)",
                List.of(java, "-jar", launcher.toAbsolutePath().toString()), true);
        Comparison.Contender baseline = new Comparison.Contender("asyncio", "asyncio",
                List.of(python, asyncio.toAbsolutePath().toString()), false);
        Comparison.Contender third = withNode ? new Comparison.Contender("node", "Node.js",
                List.of(node, nodeServer.toAbsolutePath().toString()), false) : null;
        boolean smoke = o.has("smoke");
        int tableClients = o.intValue("table-clients", 1_000_000);
        if (tableClients < 0) {
            throw new BenchException("--table-clients must be 0 (skip scenario 4b) or more, not " + tableClients);
        }
        int burst = o.intValue("burst", 15_000);
        if (burst < 0) {
            throw new BenchException("--burst must be 0 (skip scenario 7) or more, not " + burst);
        }
        Comparison.Plan plan = smoke ? Comparison.Plan.smoke()
                : Comparison.Plan.full(o.intValue("runs", 3), o.intValue("connections", 10_000),
                Duration.ofMillis((long) (o.doubleValue("measure", 10) * 1000)), tableClients, burst);
        HerdProcesses.Arrangement arrangement = o.has("one-process")
                ? HerdProcesses.Arrangement.ONE_PROCESS : HerdProcesses.Arrangement.PER_SERVER;
        Path results = Path.of(o.get("out", "bench/results"));
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);

        List<Comparison.Contender> contenders = third == null ? List.of(herd, baseline) : List.of(herd, baseline, third);
        List<HerdRun> runs = new Comparison(plan, contenders, arrangement, err).runAll();

        Summary summary = new Summary(runs, herd.key(), baseline.key(), third == null ? null : third.key());
        String heading = heading(started, summary.runCount(), plan, arrangement, python, third == null ? null : node);
        String table = summary.markdown(heading, herd.label(), baseline.label(), third == null ? null : third.label());
        out.println(table);
        ResultFiles.write(results, summary, table);
        Charts.write(results, summary, herd.label(), baseline.label(), third == null ? null : third.label());
        err.println("bench: wrote " + results.resolve("summary.md") + ", summary.csv, runs.csv and charts (*.png)");
        return summary.clean() ? 0 : 1;
    }

    private static String heading(ZonedDateTime started, int runs, Comparison.Plan plan,
                                  HerdProcesses.Arrangement arrangement, String python, String node) {
        return "Herd benchmarks, " + started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")) + ": "
                + runs + (runs == 1 ? " run" : " runs (medians of runs; counts are totals)") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), Java "
                + System.getProperty("java.version") + ", " + version(python) + (node == null ? "" : ", Node.js " + version(node))
                + "; "
                + (arrangement == HerdProcesses.Arrangement.PER_SERVER ? "one process per server" : "one process per herd")
                + "; " + plan.clients() + " clients × " + plan.depth() + " in flight, " + plan.measure().toSeconds()
                + " s per load, " + String.format(java.util.Locale.ROOT, "%,d", plan.connections()) + " idle clients, "
                + String.format(java.util.Locale.ROOT, "%,d", plan.tableClients()) + " clients in the table, "
                + String.format(java.util.Locale.ROOT, "%,d", plan.burst()) + " connections in the burst.";
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** What {@code exe --version} prints (Python 3.11.2, v20.19.2), or the executable's name. */
    private static String version(String python) {
        try {
            Process p = new ProcessBuilder(python, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return v.isEmpty() ? python : v;
        } catch (IOException e) {
            return python;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return python;
        }
    }

    private static void requireFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new BenchException(p + " not found: it is " + what + "; run from the repository's root or pass its path");
        }
    }

    // ---- one scenario against a running herd ---------------------------------------------

    private static int single(Options o, PrintStream out, PrintStream err) {
        Path config = Path.of(o.get("config", ""));
        HerdLayout herd = HerdLayout.read(config);
        String server = herd.serverOr(o.get("server", Comparison.HUB));
        Duration duration = Duration.ofMillis((long) (o.doubleValue("duration", 10) * 1000));
        Duration warmup = Duration.ofSeconds(1);
        int clients = o.intValue("clients", 50);
        int depth = o.intValue("depth", 4);
        String tag = "bench-" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36) + "-";
        HerdRun r = new HerdRun("herd", 1);
        Instant since = Instant.now();
        switch (o.scenario()) {
            case "roundtrip" -> {
                RoundTrip.Result rt = RoundTrip.measure(herd, server, tag + "rt", warmup, duration, Long.MAX_VALUE);
                r.putPercentiles(rt.latency(), Metric.RT_P50, Metric.RT_P99, Metric.RT_P999);
                count(r, rt.errors(), rt.samples());
                lost(r, UpdateAudit.audit(herd, Map.of(rt.clientId(), rt.newestTime()), Duration.ofSeconds(30)));
            }
            case "throughput" -> {
                List<String> where = o.has("spread") ? herd.names() : List.of(server);
                Throughput.Result t = Throughput.measure(herd, where, clients, depth, tag, warmup, duration);
                r.put(Metric.ONE_RATE, t.load().perSecond());
                r.putPercentiles(t.load().latency(), Metric.ONE_P50, Metric.ONE_P99, Metric.ONE_P999);
                count(r, t.load().errors(), t.load().errorSamples());
                lost(r, t.audit());
            }
            case "propagation" -> propagation(o, herd, tag, duration, warmup, clients, depth, r);
            case "capacity" -> {
                long pid = ProcFs.listeningPid(herd.address(server).getPort()).orElseThrow(() ->
                        new BenchException("no process of this machine listens on " + herd.address(server)));
                Capacity.Result c = Capacity.measure(herd, server, pid, o.intValue("connections", 10_000), tag,
                        Duration.ofSeconds(5));
                r.put(Metric.CAP_PER_CONN_KB, c.bytesPerConnection() / 1024);
                r.put(Metric.CAP_ADDED_MB, c.bytesPerConnection() * 10_000 / MB);
                r.putPercentiles(c.roundTrip().latency(), Metric.CAP_RT_P50, Metric.CAP_RT_P99, null);
                count(r, c.check().errors() + c.roundTrip().errors(), c.check().errorSamples());
                lost(r, c.audit());
            }
            case "whatsat" -> {
                WhatsAtLoad.Result w = WhatsAtLoad.measure(herd, server,
                        o.has("new") ? PipelinedLoad.Kind.WHATSAT_DISTINCT : PipelinedLoad.Kind.WHATSAT_SAME, clients, depth,
                        tag, warmup, duration, null, -1);
                r.put(Metric.WS_SAME_RATE, w.load().perSecond());
                r.putPercentiles(w.load().latency(), Metric.WS_SAME_P50, Metric.WS_SAME_P99, null);
                count(r, w.load().errors(), w.load().errorSamples());
            }
            case "burst" -> {
                OptionalLong pid = ProcFs.listeningPid(herd.address(server).getPort());
                if (pid.isEmpty()) {
                    r.note("no process of this machine seen listening on " + herd.address(server)
                            + ": its open-file limit and descriptors after the burst not checked");
                }
                Burst.Result b = Burst.measure(herd, server, pid, o.intValue("connections", 15_000), tag + "burst-");
                Comparison.burst(r, b);
                lost(r, UpdateAudit.audit(herd, b.audited(), Duration.ofSeconds(30)));
            }
            case "startup" -> startup(o, config, herd, r);
            case "rejoin" -> rejoin(o, config, herd, r);
            default -> throw new IllegalStateException("unreachable: Options checks the scenario");
        }
        if (!OWN_HERD.contains(o.scenario())) {
            fellBehind(herd, since, r);
        }
        print(r, out);
        return Summary.CORRECTNESS.stream().allMatch(m -> r.values.getOrDefault(m, 0.0) == 0) ? 0 : 1;
    }

    /**
     * The running herd's "event log fell behind" lines since the scenario began, when its
     * config names a log folder this process can read (a relative one is taken from here).
     */
    private static void fellBehind(HerdLayout herd, Instant since, HerdRun r) {
        Optional<Path> logs = herd.logDir().filter(Files::isDirectory);
        if (logs.isEmpty()) {
            r.note("event log not checked: " + herd.logDir().map(d -> d + " is not a folder here")
                    .orElse("the config names no logDir"));
            return;
        }
        r.add(Metric.LOG_FELL_BEHIND, EventLogs.fellBehind(logs.get(), since, Instant.MAX));
        EventLogs.fellBehindSamples(logs.get(), since, Instant.MAX, 3).forEach(s -> r.note("event log fell behind: " + s));
    }

    private static void propagation(Options o, HerdLayout herd, String tag, Duration duration, Duration warmup,
                                    int clients, int depth, HerdRun r) {
        String from = herd.serverOr(o.get("from", Comparison.FROM));
        String to = herd.serverOr(o.get("to", Comparison.TO));
        if (!o.has("loaded")) {
            Propagation.Result p = Propagation.measure(herd, from, to, tag + "prop", duration, Long.MAX_VALUE);
            r.putPercentiles(p.latency(), Metric.PROP_IDLE_P50, Metric.PROP_IDLE_P99, null);
            count(r, p.errors(), p.samples());
            lost(r, UpdateAudit.audit(herd, Map.of(p.clientId(), p.newestTime()), Duration.ofSeconds(30)));
            return;
        }
        Thread[] holder = new Thread[1];
        Throughput.Result[] load = new Throughput.Result[1];
        RuntimeException[] failed = new RuntimeException[1];
        holder[0] = new Thread(() -> {
            try {
                load[0] = Throughput.measure(herd, herd.names(), clients, depth, tag + "bg-", warmup, duration);
            } catch (RuntimeException e) {
                failed[0] = e;
            }
        }, "bench-background-load");
        holder[0].start();
        try {
            Thread.sleep(warmup.toMillis()); // the load warms up first
            Propagation.Result p = Propagation.measure(herd, from, to, tag + "prop", duration.multipliedBy(9).dividedBy(10),
                    Long.MAX_VALUE);
            holder[0].join();
            if (failed[0] != null) {
                throw failed[0];
            }
            r.putPercentiles(p.latency(), Metric.PROP_LOAD_P50, Metric.PROP_LOAD_P99, null);
            if (p.latency().getTotalCount() > 0) {
                r.put(Metric.PROP_LOAD_P90, HerdRun.micros(p.latency(), 90));
            }
            count(r, p.errors() + load[0].load().errors(), p.samples());
            r.put(Metric.PROP_LOAD_LATE, p.late());
            lost(r, load[0].audit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    private static void startup(Options o, Path config, HerdLayout herd, HerdRun r) {
        Path dir = temporaryFolder("herd-bench-startup-");
        try (HerdProcesses p = startOwnHerd(o, config, herd, dir)) {
            Comparison.startup(r, p);
            Map<String, Double> mb = new LinkedHashMap<>();
            p.residentBytes().forEach((s, b) -> mb.put(s, b / MB));
            r.put(Metric.REST_MB, Comparison.median(mb.values()));
            p.starts().forEach((s, start) -> r.note(String.format(java.util.Locale.ROOT,
                    "%s: listening after %.0f ms, first answer after %.0f ms, %.1f MB resident",
                    s, start.listeningMillis(), start.firstAnswerMillis(), mb.getOrDefault(s, Double.NaN))));
        }
    }

    /** Scenario 6b against a herd this tool starts (one process per server) in a folder of its own. */
    private static void rejoin(Options o, Path config, HerdLayout herd, HerdRun r) {
        String server = herd.serverOr(o.get("server", Rejoin.SERVER));
        Path dir = temporaryFolder("herd-bench-rejoin-");
        // a relative log folder is the servers' working directory's, as each herd reads it
        Path logs = dir.resolve(herd.logDir().orElse(Path.of("logs")));
        String tag = "bench-" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36) + "-rejoin-";
        List<EventLogs.Restart> restarts = new java.util.ArrayList<>();
        Instant stopping;
        try (HerdProcesses p = startOwnHerd(o, config, herd, dir)) {
            Comparison.rejoin(herd, p, server, logs, tag, 3, r, restarts);
            stopping = Instant.now(); // the links the herd's own shutdown drops are no dropped links either
        }
        r.add(Metric.LINK_DROPS, EventLogs.droppedLinks(logs, stopping, restarts));
        EventLogs.droppedLinkSamples(logs, stopping, 3, restarts).forEach(s -> r.note("link dropped: " + s));
        Comparison.fellBehind(r, "herd", logs);
    }

    private static HerdProcesses startOwnHerd(Options o, Path config, HerdLayout herd, Path dir) {
        if (!o.has("herd-cmd")) {
            throw new BenchException(o.scenario() + " needs --herd-cmd \"CMD\" (started as CMD NAME --config FILE)");
        }
        List<String> cmd = List.of(o.get("herd-cmd", "").trim().split("\\s+"));
        return HerdProcesses.start("herd", cmd, config.toAbsolutePath(), herd, new HashMap<>(), dir,
                HerdProcesses.Arrangement.PER_SERVER);
    }

    private static Path temporaryFolder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new BenchException("cannot make a temporary folder: " + e.getMessage());
        }
    }

    private static void count(HerdRun r, long errors, List<String> samples) {
        r.add(Metric.ERRORS, errors);
        samples.forEach(r::note);
    }

    private static void lost(HerdRun r, UpdateAudit.Result audit) {
        r.add(Metric.LOST, audit.lost());
        audit.samples().forEach(s -> r.note("lost update: " + s));
    }

    private static void print(HerdRun r, PrintStream out) {
        r.values.putIfAbsent(Metric.ERRORS, 0.0);
        r.values.forEach((m, v) -> out.println(m.measure + ": " + Summary.format(m, v)));
        r.notes.forEach(n -> out.println("note: " + n));
    }
}
