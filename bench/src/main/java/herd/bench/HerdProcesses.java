package herd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * start to listening port through {@code /proc} (no probe connection), then to the first
 * answer (one line that changes nothing, right after the port listens: a server that binds
 * its port before it can serve holds that client in the kernel's backlog until it can),
 * finds each server's process id, can stop and start one server again (a restart), and
 * stops everything with SIGTERM (then SIGKILL). Used by one thread.
 *
 * <p>The servers authenticate their peer links with a cookie of the benchmark's own, in the
 * work folder ({@code HERD_COOKIE_FILE}), never the user's {@code ~/.herd/cookie}. It is
 * written before the first start, as a user's cookie exists after their first start ever,
 * so that no timed start-up pays for making one.
 */
final class HerdProcesses implements AutoCloseable {

    /** How the herd's servers map onto processes. */
    enum Arrangement {
        /** One process per server: how the original assignment ran, and each may use every core. */
        PER_SERVER,
        /** The whole herd in one process ({@code --herd}). */
        ONE_PROCESS
    }

    /**
     * One server's latest start, timed from its process's start.
     *
     * @param listeningMillis   until {@code /proc} showed its port listening
     * @param firstAnswerMillis until it answered the first line (sent once the port listened)
     * @param listeningNanos    {@link System#nanoTime()} when the port was seen listening
     */
    record Start(double listeningMillis, double firstAnswerMillis, long listeningNanos) {}

    /** A line that changes no state: both herds answer it {@code ? HELLO}, as any invalid line. */
    static final String PROBE = "HELLO";

    /** Where launcher.jar finds the cookie its peer links prove. */
    static final String COOKIE_FILE_ENV = "HERD_COOKIE_FILE";

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);

    private final String label;
    private final HerdLayout layout;
    private final Path workDir;
    private final List<String> command;
    private final Path configFile;
    private final Map<String, String> environment;
    private final Arrangement arrangement;
    /** By the server it runs, or "herd" for a one-process herd. */
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Start> starts = new LinkedHashMap<>();

    private HerdProcesses(String label, HerdLayout layout, Path workDir, List<String> command, Path configFile,
                          Map<String, String> environment, Arrangement arrangement) {
        this.label = label;
        this.layout = layout;
        this.workDir = workDir;
        this.command = List.copyOf(command);
        this.configFile = configFile;
        this.environment = new java.util.HashMap<>(environment);
        this.arrangement = arrangement;
        if (!this.environment.containsKey(COOKIE_FILE_ENV)) {
            this.environment.put(COOKIE_FILE_ENV, cookieIn(workDir).toString());
        }
    }

    /** The benchmark's cookie in {@code workDir}, made (owner-only, 256 random bits) if absent. */
    static Path cookieIn(Path workDir) {
        Path file = workDir.resolve("herd-cookie").toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.writeString(Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new BenchException("cannot write the herd's cookie in " + workDir + ": " + e.getMessage());
        }
        return file;
    }

    /**
     * Starts the herd and waits until every server listens and has answered one line.
     *
     * @param command     the server command without name and config, e.g. {@code java -jar launcher.jar}
     * @param environment variables to set; a null value removes the variable
     */
    static HerdProcesses start(String label, List<String> command, Path configFile, HerdLayout layout,
                               Map<String, String> environment, Path workDir, Arrangement arrangement) {
        HerdProcesses herd = new HerdProcesses(label, layout, workDir, command, configFile, environment, arrangement);
        try {
            if (arrangement == Arrangement.PER_SERVER) {
                for (String server : layout.names()) {
                    herd.startOne(List.of(server, "--config", configFile.toString()), server, List.of(server));
                }
            } else {
                herd.startOne(List.of("--herd", "--config", configFile.toString()), "herd", layout.names());
            }
        } catch (RuntimeException e) {
            herd.close();
            throw e;
        }
        return herd;
    }

    /**
     * Stops one server of a herd run as one process per server (SIGTERM, then SIGKILL) and
     * returns once its process has exited.
     */
    void stop(String server) {
        requirePerServer(server);
        Process p = processes.remove(server);
        if (p == null) {
            throw new IllegalStateException(server + " is not running");
        }
        pids.remove(server);
        terminate(p);
    }

    /**
     * Starts one stopped server again with the same command, config and environment, and
     * waits until it listens and has answered one line.
     */
    Start restart(String server) {
        requirePerServer(server);
        if (processes.containsKey(server)) {
            throw new IllegalStateException(server + " is still running");
        }
        startOne(List.of(server, "--config", configFile.toString()), server, List.of(server));
        return starts.get(server);
    }

    private void requirePerServer(String server) {
        if (arrangement != Arrangement.PER_SERVER) {
            throw new BenchException("restarting " + server + " alone needs one process per server");
        }
    }

    private void startOne(List<String> args, String tag, List<String> servers) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(args);
        // appended to: a restarted server's output follows its first life's
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(label + "-" + tag + ".out").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(workDir.resolve(label + "-" + tag + ".err").toFile()));
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
        processes.put(tag, p);
        Set<String> waiting = new LinkedHashSet<>(servers);
        Map<String, Long> listening = new LinkedHashMap<>();
        long deadline = t0 + START_LIMIT.toNanos();
        while (!waiting.isEmpty()) {
            for (String server : List.copyOf(waiting)) {
                if (ProcFs.isListening(layout.address(server).getPort())) {
                    listening.put(server, System.nanoTime());
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
            parkMicros(5000); // 5 ms: a tighter poll takes a core from the server starting (Java starts on both)
        }
        // the probes follow the last port of a one-process herd; with one process per server, right after its port
        listening.forEach((server, at) -> starts.put(server,
                new Start((at - t0) / 1e6, (firstAnswer(server, deadline) - t0) / 1e6, at)));
        for (String server : servers) {
            OptionalLong pid = ProcFs.listeningPid(layout.address(server).getPort());
            pids.put(server, pid.orElse(p.pid()));
        }
    }

    /** Sends {@link #PROBE} and returns {@link System#nanoTime()} when its answer arrived. */
    private long firstAnswer(String server, long deadline) {
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
        try (LineClient c = LineClient.connect(layout.address(server), server, left)) {
            c.send(PROBE);
            String answer = c.readLine();
            long at = System.nanoTime();
            if (!answer.equals("? " + PROBE)) {
                throw new BenchException(label + " " + server + " answered " + PROBE + " with \"" + answer
                        + "\", not \"? " + PROBE + "\"");
            }
            return at;
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

    /** Each server's latest start: to listening and to its first answer. */
    Map<String, Start> starts() {
        return java.util.Collections.unmodifiableMap(starts);
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
        return processes.values().stream().allMatch(Process::isAlive);
    }

    /** SIGTERM to every process, then SIGKILL to any still running after a while. */
    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.destroy();
        }
        processes.values().forEach(HerdProcesses::terminate);
        processes.clear();
    }

    /** SIGTERM (again, if sent already) and waits; SIGKILL if it has not exited after a while. */
    private static void terminate(Process p) {
        p.destroy();
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
}
