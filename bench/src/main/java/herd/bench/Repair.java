package herd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Scenario 4c: table repair, on the herd that scenario 4b filled (every server holds its
 * clients). First a flap: {@link #SERVER} is stopped ({@code SIGSTOP}) for longer than a
 * link's silence limit, so its neighbours drop their links to it, and continued; the figure
 * is the bytes its links carry (both ways, every peer line in the event logs) from the
 * continue until they are quiet again. A herd whose links survive the stop (no dead-link
 * detection) has no flap to measure. Then a restart: {@link #SERVER} is stopped and started
 * again with an empty table while a live report is sent at {@link #LIVE_AT} every
 * {@value #LIVE_EVERY_MS} ms; the figures are the time from its port listening until it
 * holds every audited client of scenario 4b (about 100 and each connection's last), how long
 * the live reports sent once its links were all up took to reach every server meanwhile
 * (first {@code PEER_IN} naming the client in each log, after the {@code IN} at
 * {@link #LIVE_AT}), and the links dropped meanwhile (none may). Caller's thread, with one thread for the live reports.
 */
final class Repair {

    static final String SERVER = "Holiday";
    static final String LIVE_AT = "Welsh";
    static final long LIVE_EVERY_MS = 20;
    /** Longer than the engine's 5 s silence limit. */
    static final Duration STOPPED = Duration.ofMillis(6500);
    private static final Duration LIMIT = Duration.ofSeconds(120);

    /**
     * @param flapBytes      bytes on the server's links after the flap; -1 when its links never dropped
     * @param relearnSeconds port listening to every audited client held again; NaN if never
     * @param liveMillis     per live report, its arrival at the last server (ms)
     * @param liveLost       live reports some server never logged
     * @param drops          links dropped while the restarted server relearnt
     */
    record Result(long flapBytes, double relearnSeconds, List<Double> liveMillis, long liveLost, long drops,
                  List<EventLogs.Restart> planned) {}

    private Repair() {
    }

    static Result measure(HerdLayout herd, HerdProcesses processes, Path logs, Map<String, String> audited,
                          String idPrefix) {
        List<EventLogs.Restart> planned = new ArrayList<>();
        List<String> neighbours = List.copyOf(herd.neighbours(SERVER));

        // the flap
        Instant stopped = Instant.now();
        signal(processes.pid(SERVER), "STOP");
        park(STOPPED);
        Instant continued = Instant.now();
        signal(processes.pid(SERVER), "CONT");
        long flapBytes = -1;
        if (awaitLinks(logs, neighbours, continued, Duration.ofSeconds(10))) {
            flapBytes = quietBytes(logs, neighbours, continued);
        }
        planned.add(new EventLogs.Restart(SERVER, stopped, Instant.now()));

        // the restart, under live reports
        Instant down = Instant.now();
        processes.stop(SERVER);
        AtomicBoolean live = new AtomicBoolean(true);
        List<String> liveIds = Collections.synchronizedList(new ArrayList<>());
        Thread sender = new Thread(() -> sendLive(herd, idPrefix, live, liveIds), "bench-live-reports");
        sender.setDaemon(true);
        sender.start();
        HerdProcesses.Start start = processes.restart(SERVER);
        Instant listening = Instant.now().minusNanos(System.nanoTime() - start.listeningNanos());
        UpdateAudit.Result audit = UpdateAudit.audit(herd, audited, LIMIT);
        double relearn = audit.lost() > 0 ? Double.NaN
                : (System.nanoTime() - start.listeningNanos()) / 1e9;
        Instant relearnt = Instant.now();
        park(Duration.ofSeconds(1));
        live.set(false);
        try {
            sender.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        planned.add(new EventLogs.Restart(SERVER, down, listening));
        awaitLinks(logs, neighbours, listening, Duration.ofSeconds(10));
        park(Duration.ofSeconds(2)); // the live reports' log lines reach the files (the logs flush every 10 ms)
        long drops = EventLogs.count(logs, "PEER_DOWN", listening, relearnt);
        // Reports sent while Holiday was down or still linking up wait for it; the figure is
        // for those sent once every link of it was up, while it relearnt.
        Instant linked = neighbours.stream().map(n -> EventLogs.linkUp(logs, SERVER, n, listening).orElse(Instant.MAX))
                .max(Instant::compareTo).orElse(Instant.MAX);
        List<Double> millis = new ArrayList<>();
        long lost = liveArrivals(herd, logs, List.copyOf(liveIds), linked, millis);
        return new Result(flapBytes, relearn, millis, lost, drops, planned);
    }

    private static void sendLive(HerdLayout herd, String idPrefix, AtomicBoolean live, List<String> ids) {
        ClientClock clock = new ClientClock();
        try (LineClient c = LineClient.connect(herd.address(LIVE_AT), LIVE_AT, LineClient.defaultTimeout())) {
            for (int i = 0; live.get(); i++) {
                String id = idPrefix + "live-" + i;
                c.send("IAMAT " + id + " " + RoundTrip.LOCATION + " " + clock.next());
                c.readLine();
                ids.add(id);
                park(Duration.ofMillis(LIVE_EVERY_MS));
            }
        }
    }

    /**
     * Per live report, milliseconds from its {@code IN} at {@link #LIVE_AT} to its first
     * {@code PEER_IN} at the last other server; returns how many some server never logged.
     */
    private static long liveArrivals(HerdLayout herd, Path logs, List<String> ids, Instant since, List<Double> out) {
        Map<String, Map<String, Instant>> firstSeen = new HashMap<>();
        for (String server : herd.names()) {
            String kind = server.equals(LIVE_AT) ? "IN" : "PEER_IN";
            Map<String, Instant> seen = new HashMap<>();
            try (Stream<String> lines = Files.lines(logs.resolve(server + ".log"), StandardCharsets.ISO_8859_1)) {
                lines.forEach(line -> {
                    String[] f = line.split(" ", 6);
                    if (f.length >= 6 && f[1].equals(kind) && (f[3].equals("IAMAT") || f[3].equals("AT"))) {
                        String id = f[3].equals("IAMAT") ? f[4] : f[5].split(" ", 3)[1];
                        if (id.contains("live-")) {
                            seen.putIfAbsent(id, Instant.parse(f[0]));
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            firstSeen.put(server, seen);
        }
        long lost = 0;
        for (String id : ids) {
            Instant sent = firstSeen.get(LIVE_AT).get(id);
            if (sent != null && sent.isBefore(since)) {
                continue;
            }
            double worst = 0;
            boolean all = sent != null;
            for (String server : herd.names()) {
                Instant at = firstSeen.get(server).get(id);
                if (at == null || sent == null) {
                    all = false;
                } else {
                    worst = Math.max(worst, Duration.between(sent, at).toNanos() / 1e6);
                }
            }
            if (all) {
                out.add(worst);
            } else {
                lost++;
            }
        }
        return lost;
    }

    /** True once every neighbour's link to {@link #SERVER} is logged up since {@code since}. */
    private static boolean awaitLinks(Path logs, List<String> neighbours, Instant since, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (neighbours.stream().allMatch(n -> EventLogs.linkUp(logs, SERVER, n, since).isPresent())) {
                return true;
            }
            park(Duration.ofMillis(50));
        }
        return false;
    }

    /** The bytes of peer lines between {@link #SERVER} and its neighbours since {@code since}, once they stop growing. */
    private static long quietBytes(Path logs, List<String> neighbours, Instant since) {
        long last = -1;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            park(Duration.ofSeconds(1));
            long now = EventLogs.peerBytes(logs, SERVER, neighbours, since);
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static void signal(long pid, String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new BenchException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    private static void park(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }
}
