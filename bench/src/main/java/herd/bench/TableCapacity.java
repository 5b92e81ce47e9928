package herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 4b: what one client in the location table costs a server. Over
 * {@value #CONNECTIONS} pipelined connections to {@code server} ({@value #DEPTH} IAMATs in
 * flight on each), sends one IAMAT for each of {@code clients} client ids never used
 * before, so that each adds an entry to the table of every server of the herd (the report
 * is flooded); checks every reply; then audits about 100 of those ids, and each
 * connection's last, at every server, so that a herd that dropped reports cannot look
 * small. The server's resident memory ({@code VmRSS}) is read before and after, each time
 * once it has settled; the figure is the difference divided by the clients.
 *
 * <p>A JVM is first asked for a full collection ({@code jcmd PID GC.run}) before each of
 * the two readings: G1 then gives back to the system the heap it does not need, so garbage
 * made while the table filled does not count. What it keeps still does: after a full
 * collection G1 sizes the heap so that 40–70 % of it is free (JDK 17's
 * {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio}), and resident memory includes
 * that free heap, so the figure is above the table's live bytes. For a JVM the heap in
 * use after each collection ({@code jcmd PID GC.heap_info}) is read too: the live bytes
 * per client, without the free heap. An asyncio server has nothing to ask; its figure
 * includes what Python's allocator keeps. Caller's thread.
 */
final class TableCapacity {

    static final int CONNECTIONS = 4;
    static final int DEPTH = 64;
    private static final int AUDITED = 100;
    /** A line of {@code GC.heap_info} that sizes a heap or a generation. */
    private static final Pattern HEAP = Pattern.compile("(?m)^\\s*(\\S.*?)\\s+total \\d+K, used (\\d+)K");

    /**
     * @param clients distinct client ids reported (the request rounded up to a multiple of the connections)
     * @param load    the IAMATs: replies, errors, rate
     * @param audit   the sampled ids at every server
     * @param audited the sampled ids and their newest client times
     */
    record Result(long clients, long residentBefore, long residentAfter, long heapBefore, long heapAfter,
                  PipelinedLoad.Outcome load, UpdateAudit.Result audit, java.util.Map<String, String> audited) {

        double bytesPerClient() {
            return (residentAfter - residentBefore) / (double) clients;
        }

        /** Java heap in use after a full collection, added per client; NaN when the server is no JVM. */
        double heapBytesPerClient() {
            return heapBefore < 0 ? Double.NaN : (heapAfter - heapBefore) / (double) clients;
        }
    }

    private TableCapacity() {
    }

    /**
     * @param idPrefix   client ids start with it (the run's tag: no other scenario's ids)
     * @param collectJvm true when the server is a JVM to ask for a full collection before each reading
     */
    static Result measure(HerdLayout herd, String server, long pid, long clients, String idPrefix, boolean collectJvm) {
        int connections = (int) Math.min(CONNECTIONS, Math.max(1, clients));
        long perConnection = (clients + connections - 1) / connections;
        List<PipelinedLoad.Client> cs = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            cs.add(new PipelinedLoad.Client(server, herd.address(server), idPrefix + i, Throughput.location(i)));
        }
        long heapBefore = collectJvm ? collectedHeap(pid) : -1;
        long before = Capacity.settledResident(pid);
        PipelinedLoad.Outcome load;
        java.util.Map<String, String> audited;
        try (PipelinedLoad table = PipelinedLoad.connect(PipelinedLoad.Kind.IAMAT_NEW_CLIENT, cs, CONNECTIONS,
                Duration.ofSeconds(30))) {
            table.auditEvery(Math.max(1, perConnection * connections / AUDITED));
            load = table.run(DEPTH, perConnection, Duration.ZERO, Duration.ofDays(1), Duration.ofSeconds(60));
            audited = table.newestTimes();
        }
        // The audit comes first: once every server holds the last ids, flooding is over and
        // no peer link's queue still holds part of the table.
        UpdateAudit.Result audit = UpdateAudit.audit(herd, audited, Duration.ofSeconds(120));
        long heapAfter = collectJvm ? collectedHeap(pid) : -1;
        long after = Capacity.settledResident(pid);
        return new Result(perConnection * connections, before, after, heapBefore, heapAfter, load, audit, audited);
    }

    /** Runs a full collection in the JVM {@code pid} and returns the heap in use after it. */
    private static long collectedHeap(long pid) {
        Jcmd.run(pid, "GC.run");
        return heapUsed(Jcmd.run(pid, "GC.heap_info"));
    }

    /**
     * Bytes of Java heap in use, from {@code jcmd PID GC.heap_info}: the {@code used} of
     * each line with a {@code total} (one for G1, one per generation for the serial and
     * parallel collectors; Metaspace lines have none).
     */
    static long heapUsed(String heapInfo) {
        Matcher m = HEAP.matcher(heapInfo);
        long kb = 0;
        boolean found = false;
        while (m.find()) {
            kb += Long.parseLong(m.group(2));
            found = true;
        }
        if (!found) {
            throw new BenchException("GC.heap_info said nothing of the heap in use: " + heapInfo.replace('\n', ' '));
        }
        return kb * 1024;
    }
}
