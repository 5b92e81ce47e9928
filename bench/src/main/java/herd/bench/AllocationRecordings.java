package herd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes allocated by each JVM of a Java herd over a stretch of a scenario: a JFR recording
 * of {@link AllocationStatistics#EVENT} alone, started in every server process with
 * {@code jcmd PID JFR.start} before the stretch and stopped into a file with
 * {@code jcmd PID JFR.stop} after it, so the servers run with no JVM flag, as users run
 * them. A process whose recording cannot start or be read is left out and a note says why;
 * the benchmark goes on. Used by one thread.
 */
final class AllocationRecordings {

    private static final String NAME = "herd-bench-alloc";
    private static final String PRIMER = "herd-bench-first";

    /**
     * @param bytes     bytes allocated, by the first server of each process that was measured
     * @param processes how many distinct processes the herd has
     * @param notes     why a process is missing from {@code bytes}, for people
     */
    record Result(Map<String, Long> bytes, int processes, List<String> notes) {

        /** True when every process of the herd was measured. */
        boolean complete() {
            return bytes.size() == processes;
        }

        long total() {
            return bytes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Path dir;
    /** Process id by the first server it runs, for every process of the herd. */
    private final Map<String, Long> processes = new LinkedHashMap<>();
    private final Map<String, Long> recording = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private AllocationRecordings(Path dir, Map<String, Long> pids) {
        this.dir = dir;
        pids.forEach((server, pid) -> {
            if (!processes.containsValue(pid)) {
                processes.put(server, pid);
            }
        });
    }

    /**
     * Starts and at once stops a recording in each distinct process of {@code pids}, to be
     * done before a herd's warm-up. The first recording in a JVM costs far more than the
     * next: JFR then redefines the JDK's file and socket classes ({@code SocketChannelImpl},
     * {@code FileChannelImpl}, ...) to add its hooks, which throws away the compiled code that
     * uses them: a load run just after it measured under a third of the herd's usual
     * replies/s (seen with this herd and {@code bench.jar throughput}). Done before the
     * warm-up, the JIT compiler has recompiled that code by the time a load is measured.
     * Returns notes on any process where it failed.
     */
    static List<String> prime(Map<String, Long> pids, Path dir) {
        AllocationRecordings r = new AllocationRecordings(dir, pids);
        Path settings = r.settings();
        if (settings == null) {
            return List.copyOf(r.notes);
        }
        r.processes.forEach((server, pid) -> {
            try {
                String reply = Jcmd.run(pid, "JFR.start", "name=" + PRIMER, "settings=" + settings);
                if (!reply.contains("Started recording")) {
                    r.notes.add("JFR at " + server + " not started before the warm-up: " + reply.replace('\n', ' '));
                    return;
                }
                Jcmd.run(pid, "JFR.stop", "name=" + PRIMER);
            } catch (BenchException e) {
                r.notes.add("JFR at " + server + " not started before the warm-up: " + e.getMessage());
            }
        });
        return List.copyOf(r.notes);
    }

    /**
     * Starts a recording in each distinct process of {@code pids} (by server); its settings
     * and recordings are files in {@code dir}, which the caller deletes.
     */
    static AllocationRecordings start(Map<String, Long> pids, Path dir) {
        AllocationRecordings r = new AllocationRecordings(dir, pids);
        Path settings = r.settings();
        if (settings == null) {
            return r;
        }
        r.processes.forEach((server, pid) -> {
            try {
                String reply = Jcmd.run(pid, "JFR.start", "name=" + NAME, "settings=" + settings);
                if (reply.contains("Started recording")) {
                    r.recording.put(server, pid);
                } else {
                    r.notes.add("allocation at " + server + " not measured: JFR.start answered "
                            + reply.replace('\n', ' '));
                }
            } catch (BenchException e) {
                r.notes.add("allocation at " + server + " not measured: " + e.getMessage());
            }
        });
        return r;
    }

    /** The settings file, written in {@code dir}; null, with a note, if it cannot be written. */
    private Path settings() {
        Path settings = dir.resolve("allocation.jfc").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Files.writeString(settings, AllocationStatistics.SETTINGS);
            return settings;
        } catch (IOException e) {
            notes.add("allocation not measured: cannot write " + settings + ": " + e.getMessage());
            return null;
        }
    }

    /** Stops every recording that started and reads what each process allocated meanwhile. */
    Result stop() {
        Map<String, Long> bytes = new LinkedHashMap<>();
        recording.forEach((server, pid) -> {
            Path jfr = dir.resolve("alloc-" + server + ".jfr").toAbsolutePath();
            try {
                Jcmd.run(pid, "JFR.stop", "name=" + NAME, "filename=" + jfr);
                if (!Files.isRegularFile(jfr)) {
                    throw new BenchException("JFR.stop wrote no " + jfr);
                }
                bytes.put(server, AllocationStatistics.bytesAllocated(jfr));
            } catch (BenchException e) {
                notes.add("allocation at " + server + " not measured: " + e.getMessage());
            }
        });
        recording.clear();
        return new Result(bytes, processes.size(), List.copyOf(notes));
    }
}
