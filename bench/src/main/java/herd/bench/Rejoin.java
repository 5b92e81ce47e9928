package herd.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 6b: how soon a restarted server is back in the herd. With every link up, stops
 * one server (SIGTERM), keeps it down long enough for the neighbour that dials it to back
 * off to its longest wait, starts it again with the same command, and times from its port
 * listening (t0, seen in {@code /proc}) until every link to it is up and carries reports.
 * For each neighbour, in rounds every 5 ms: an IAMAT with a new client id at the neighbour,
 * then a WHATSAT for that id at the restarted server (a new connection each, first reply
 * line only); the first AT line answered is when that neighbour's reports arrive. Reports
 * alone cannot tell the links apart (Goloman's report reaches Holiday through Wilkes as
 * soon as Wilkes's link is up), so each link's time is also read from the PEER_UP lines
 * both ends log (their timestamps, not when the line was seen). A neighbour is back at the
 * later of the two; the restart's figure is the last neighbour's. Caller's thread.
 */
final class Rejoin {

    /** The server restarted in the default herd: three links, and Goloman is the end that dials it. */
    static final String SERVER = "Holiday";
    /** Longer than the dialling neighbour's backoff takes to reach its longest wait (2 s in both herds). */
    static final Duration DOWN = Duration.ofMillis(2500);
    /** A restart whose links are not all back by then failed. */
    static final Duration LIMIT = Duration.ofSeconds(10);
    /** The event logs may be written after their events (asyncio flushes every 0.1 s): how long to wait for them. */
    private static final Duration LOG_GRACE = Duration.ofSeconds(1);
    private static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /**
     * One restart.
     *
     * @param millis        t0 to the last neighbour back; NaN when one was not back within {@link #LIMIT}
     * @param linkMillis    by neighbour: t0 to both ends' PEER_UP lines (absent: not seen)
     * @param reportMillis  by neighbour: t0 to the first WHATSAT at the server answering a report sent at it
     * @param start         the restarted server's own start (to listening, to first answer)
     */
    record Result(String server, double millis, Map<String, Double> linkMillis, Map<String, Double> reportMillis,
                  HerdProcesses.Start start, long errors, List<String> samples) {

        boolean rejoined() {
            return !Double.isNaN(millis);
        }

        /** One line for people: the server's start, then each neighbour's link and reports. */
        String describe() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "%s restarted: listening %.0f ms after its process started, first answer at %.0f ms; from listening:",
                    server, start.listeningMillis(), start.firstAnswerMillis()));
            reportMillis.keySet().forEach(n -> b.append(' ').append(n).append(" link up ")
                    .append(ms(linkMillis.get(n))).append(", its reports ").append(ms(reportMillis.get(n))).append(';'));
            b.setLength(b.length() - 1);
            return b.toString();
        }

        private static String ms(Double v) {
            return v == null || v.isNaN() ? "not within " + LIMIT.toSeconds() + " s" : String.format(Locale.ROOT, "%.0f ms", v);
        }
    }

    private Rejoin() {
    }

    /**
     * Restarts {@code server} once and times its rejoining.
     *
     * @param logs     the herd's event-log folder
     * @param idPrefix client ids of this restart's reports start with it
     */
    static Result once(HerdLayout herd, HerdProcesses processes, String server, Path logs, String idPrefix) {
        List<String> neighbours = List.copyOf(herd.neighbours(server));
        if (neighbours.isEmpty()) {
            throw new BenchException("rejoin: " + server + " has no links to come back to");
        }
        Comparison.awaitReady(herd, logs); // every link up and reports flooding before the restart
        Instant stopped = Instant.now();
        processes.stop(server);
        long downUntil = System.nanoTime() + DOWN.toNanos();
        while (System.nanoTime() < downUntil) {
            LockSupport.parkNanos(downUntil - System.nanoTime()); // down: the neighbour that dials it backs off meanwhile
        }
        HerdProcesses.Start start = processes.restart(server);
        long t0 = start.listeningNanos();
        long nanoNow = System.nanoTime();
        Instant wallNow = Instant.now();
        // both clocks read together: a log line's wall-clock time becomes milliseconds after t0
        long wallMinusNano = wallNow.getEpochSecond() * 1_000_000_000L + wallNow.getNano() - nanoNow;

        Map<String, Double> reports = new LinkedHashMap<>();
        Map<String, Double> links = new LinkedHashMap<>();
        ClientClock clock = new ClientClock();
        long errors = 0;
        List<String> samples = new ArrayList<>();
        long deadline = t0 + LIMIT.toNanos();
        for (int round = 0; ; round++) {
            long roundStart = System.nanoTime();
            for (String n : neighbours) {
                if (!reports.containsKey(n)) {
                    String problem = report(herd, n, server, idPrefix + n + "-" + round, clock, t0, reports);
                    if (problem != null) {
                        errors++;
                        if (samples.size() < 5) {
                            samples.add(problem);
                        }
                    }
                }
                if (reports.containsKey(n) && !links.containsKey(n)) {
                    Optional<Instant> up = EventLogs.linkUp(logs, server, n, stopped);
                    // a link the server dials may come up within the millisecond its port is seen (polled) listening
                    up.ifPresent(t -> links.put(n, Math.max(0,
                            (t.getEpochSecond() * 1_000_000_000L + t.getNano() - wallMinusNano - t0) / 1e6)));
                }
            }
            long now = System.nanoTime();
            boolean reportsIn = reports.size() == neighbours.size();
            if (reportsIn && links.size() == neighbours.size()
                    || now > deadline + (reportsIn ? LOG_GRACE.toNanos() : 0)) {
                break;
            }
            LockSupport.parkNanos(roundStart + ROUND_NANOS - now); // paces the rounds; returns at once if late
        }
        return new Result(server, worst(neighbours, links, reports), links, reportsInOrder(neighbours, reports), start,
                errors, samples);
    }

    /**
     * The last neighbour's link up; NaN when a link or its reports were not seen, or came
     * after {@link #LIMIT}. Reports must arrive (the link carries them), but their time is not
     * the figure: a WHATSAT answers only once the server's Places provider answers, and a
     * restarted Java server loads its offline gazetteer (a few hundred milliseconds in a
     * cold JVM) after it runs, which says nothing about its links. The notes give both.
     */
    static double worst(List<String> neighbours, Map<String, Double> linkMillis, Map<String, Double> reportMillis) {
        double worst = 0;
        for (String n : neighbours) {
            Double link = linkMillis.get(n);
            Double seen = reportMillis.get(n);
            if (link == null || seen == null || link.isNaN() || seen.isNaN()) {
                return Double.NaN;
            }
            worst = Math.max(worst, link);
        }
        return worst > LIMIT.toMillis() ? Double.NaN : worst;
    }

    /**
     * One IAMAT at {@code neighbour} with a new id, then WHATSAT for it at {@code server};
     * records when the server first answers it. Returns a problem with a reply, or null.
     */
    private static String report(HerdLayout herd, String neighbour, String server, String id, ClientClock clock, long t0,
                                 Map<String, Double> reports) {
        String time = clock.next();
        String operands = " " + id + " " + RoundTrip.LOCATION + " " + time;
        try (LineClient at = LineClient.connect(herd.address(neighbour), neighbour, LineClient.defaultTimeout())) {
            at.send("IAMAT" + operands);
            String problem = Replies.checkAt(at.readLine(), neighbour, operands);
            if (problem != null) {
                return problem;
            }
        }
        try (LineClient ask = LineClient.connect(herd.address(server), server, LineClient.defaultTimeout())) {
            ask.send("WHATSAT " + id + " 10 1");
            String first = ask.readLine();
            long seen = System.nanoTime();
            if (first.startsWith("? ")) {
                return null; // not there yet
            }
            if (!time.equals(Replies.atTime(first)) || !first.contains(operands)) {
                return "WHATSAT " + id + " at " + server + " answered: " + first;
            }
            reports.put(neighbour, (seen - t0) / 1e6);
            return null;
        }
    }

    private static Map<String, Double> reportsInOrder(List<String> neighbours, Map<String, Double> reports) {
        Map<String, Double> out = new LinkedHashMap<>();
        neighbours.forEach(n -> out.put(n, reports.getOrDefault(n, Double.NaN)));
        return out;
    }
}
