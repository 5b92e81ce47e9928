package herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Scenario 4: many idle client connections on one server. Reads the server process's
 * resident memory before they connect and once it has accepted them all (its open-file
 * count says so) and its memory has settled; measures the round trip of another client
 * while they are connected; then has every idle client report once, to show that each
 * connection still works, and audits those reports across the herd. Caller's thread.
 */
final class Capacity {

    /** Descriptors a server needs besides its clients: links, logs, the JVM's own files. */
    private static final int SPARE_FILES = 256;

    record Result(int connections, long residentBefore, long residentAfter, RoundTrip.Result roundTrip,
                  PipelinedLoad.Outcome check, UpdateAudit.Result audit) {

        double bytesPerConnection() {
            return (residentAfter - residentBefore) / (double) connections;
        }
    }

    private Capacity() {
    }

    static Result measure(HerdLayout herd, String server, long pid, int connections, String idPrefix,
                          Duration roundTrip) {
        requireFileLimits(pid, connections);
        long before = ProcFs.residentBytes(pid);
        int filesBefore = ProcFs.openFiles(pid);
        List<PipelinedLoad.Client> cs = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            cs.add(new PipelinedLoad.Client(server, herd.address(server), idPrefix + i, Throughput.location(i)));
        }
        long after;
        RoundTrip.Result rt;
        PipelinedLoad.Outcome check;
        Map<String, String> newest;
        try (PipelinedLoad idle = PipelinedLoad.connect(PipelinedLoad.Kind.IAMAT, cs, 32, Duration.ofMinutes(2))) {
            // Other descriptors of the server may close meanwhile (an earlier scenario's client), so
            // allow a few short; the IAMAT on every idle connection below proves each one works.
            int slack = Math.max(8, connections / 1000);
            awaitCondition(() -> ProcFs.openFiles(pid) >= filesBefore + connections - slack, Duration.ofSeconds(60),
                    () -> server + " accepted only " + (ProcFs.openFiles(pid) - filesBefore) + " of " + connections
                            + " connections within 60 s");
            after = settledResident(pid);
            rt = RoundTrip.measure(herd, server, idPrefix + "rt", Duration.ofMillis(500), roundTrip, Long.MAX_VALUE);
            check = idle.run(1, 1, Duration.ZERO, Duration.ofDays(1), Duration.ofSeconds(60));
            newest = idle.newestTimes();
        }
        return new Result(connections, before, after, rt, check, UpdateAudit.audit(herd, newest, Duration.ofSeconds(60)));
    }

    private static void requireFileLimits(long pid, int connections) {
        long need = connections + SPARE_FILES;
        long self = ProcFs.openFileLimit("self");
        long server = ProcFs.openFileLimit(Long.toString(pid));
        if (self < need || server < need) {
            throw new BenchException(connections + " idle connections need an open-file limit of at least " + need
                    + " here and in the server; this tool has " + self + ", the server (pid " + pid + ") has " + server
                    + ". Raise it with `ulimit -n $(ulimit -Hn)` before starting both (bench/run.sh does), "
                    + "or use fewer --connections.");
        }
    }

    /** Resident memory once it stops changing (two readings 500 ms apart within 1 %), at most 5 s. */
    static long settledResident(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long last = ProcFs.residentBytes(pid);
        while (System.nanoTime() < deadline) {
            pause(500);
            long now = ProcFs.residentBytes(pid);
            if (Math.abs(now - last) <= last / 100) {
                return now;
            }
            last = now;
        }
        return last;
    }

    static void awaitCondition(BooleanSupplier condition, Duration limit, java.util.function.Supplier<String> failure) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new BenchException(failure.get());
            }
            pause(20);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // waiting on another process, which has no way to tell us
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }
}
