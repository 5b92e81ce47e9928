package herd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A herd started by the benchmarks as real processes: {@code <command> NAME --config FILE}
 * for each server, one after the other (so each start-up is timed alone, not fighting the
 * others for two cores), or {@code <command> --herd --config FILE} once. Measures process
 * start to listening port through {@code /proc} (no probe connection), finds each server's
 * process id, and stops everything with SIGTERM (then SIGKILL). Used by one thread.
 */
final class HerdProcesses implements AutoCloseable {

    /** How the herd's servers map onto processes. */
    enum Arrangement {
        /** One process per server: how the original assignment ran, and each may use every core. */
        PER_SERVER,
        /** The whole herd in one process ({@code --herd}). */
        ONE_PROCESS
    }

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);

    private final String label;
    private final HerdLayout layout;
    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Double> startMillis = new LinkedHashMap<>();

    private HerdProcesses(String label, HerdLayout layout, Path workDir) {
        this.label = label;
        this.layout = layout;
        this.workDir = workDir;
    }

    /**
     * Starts the herd and waits until every server listens.
     *
     * @param command     the server command without name and config, e.g. {@code java -jar launcher.jar}
     * @param environment variables to set; a null value removes the variable
     */
    static HerdProcesses start(String label, List<String> command, Path configFile, HerdLayout layout,
                               Map<String, String> environment, Path workDir, Arrangement arrangement) {
        HerdProcesses herd = new HerdProcesses(label, layout, workDir);
        try {
            if (arrangement == Arrangement.PER_SERVER) {
                for (String server : layout.names()) {
                    herd.startOne(command, List.of(server, "--config", configFile.toString()), environment, server,
                            List.of(server));
                }
            } else {
                herd.startOne(command, List.of("--herd", "--config", configFile.toString()), environment, "herd",
                        layout.names());
            }
        } catch (RuntimeException e) {
            herd.close();
            throw e;
        }
        return herd;
    }

    private void startOne(List<String> command, List<String> args, Map<String, String> environment, String tag,
                          List<String> servers) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile())
                .redirectOutput(workDir.resolve(label + "-" + tag + ".out").toFile())
                .redirectError(workDir.resolve(label + "-" + tag + ".err").toFile());
        environment.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + label + " (" + String.join(" ", argv) + "): " + e.getMessage());
        }
        processes.add(p);
        Set<String> waiting = new LinkedHashSet<>(servers);
        long deadline = t0 + START_LIMIT.toNanos();
        while (!waiting.isEmpty()) {
            for (String server : List.copyOf(waiting)) {
                if (ProcFs.isListening(layout.address(server).getPort())) {
                    startMillis.put(server, (System.nanoTime() - t0) / 1e6);
                    waiting.remove(server);
                }
            }
            if (!p.isAlive()) {
                throw new BenchException(label + " " + tag + " exited with code " + p.exitValue() + " before listening: "
                        + tail(workDir.resolve(label + "-" + tag + ".err")));
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException(label + " " + tag + " did not listen within " + START_LIMIT.toSeconds() + " s");
            }
            parkMicros(500);
        }
        for (String server : servers) {
            OptionalLong pid = ProcFs.listeningPid(layout.address(server).getPort());
            pids.put(server, pid.orElse(p.pid()));
        }
    }

    private static void parkMicros(long micros) {
        java.util.concurrent.locks.LockSupport.parkNanos(micros * 1000);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    /** Milliseconds from process start to listening, by server. */
    Map<String, Double> startMillis() {
        return startMillis;
    }

    long pid(String server) {
        return pids.get(server);
    }

    /** Each server's process id (the same one for every server of a one-process herd). */
    Map<String, Long> pids() {
        return java.util.Collections.unmodifiableMap(pids);
    }

    /** CPU time used so far by all the herd's processes, in nanoseconds. */
    long cpuNanos() {
        return new LinkedHashSet<>(pids.values()).stream().mapToLong(ProcFs::cpuNanos).sum();
    }

    /** Resident bytes of each distinct process, by the first server it runs. */
    Map<String, Long> residentBytes() {
        Map<String, Long> out = new LinkedHashMap<>();
        Set<Long> seen = new LinkedHashSet<>();
        pids.forEach((server, pid) -> {
            if (seen.add(pid)) {
                out.put(server, ProcFs.residentBytes(pid));
            }
        });
        return out;
    }

    /** True while every process runs. */
    boolean allAlive() {
        return processes.stream().allMatch(Process::isAlive);
    }

    /** SIGTERM to every process, then SIGKILL to any still running after a while. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
