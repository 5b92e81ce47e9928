package herd.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code launcher.jar} started as a real process, with its output captured to files. Every
 * process reads the test run's own cookie file ({@link #COOKIE}, through
 * {@code HERD_COOKIE_FILE}), never the user's {@code ~/.herd/cookie}, unless a test gives
 * its own.
 */
final class HerdProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("herd.jar", "target/launcher.jar"));

    /** Where the servers keep their cookie (the first to start makes it): a folder of this test run's. */
    static final String COOKIE_FILE_ENV = "HERD_COOKIE_FILE";
    static final Path COOKIE = testCookie();

    private static Path testCookie() {
        try {
            Path folder = Files.createTempDirectory("herd-it-cookie"); // 0700
            folder.toFile().deleteOnExit();
            Path file = folder.resolve("cookie");
            file.toFile().deleteOnExit(); // before its folder: deleteOnExit runs in reverse order
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every process started and not yet closed. Should the test JVM be stopped (Maven
     * interrupted, a fork timeout), its shutdown hook kills them, so that no herd outlives
     * the build holding ports.
     */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "herd-process-reaper"));
    }

    final Process process;
    final Path stdout;
    final Path stderr;

    private HerdProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static HerdProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, List.of(), args);
    }

    /** As {@link #start(Path, Map, String...)}, with options for the JVM before {@code -jar}. */
    static HerdProcess start(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        String tag = String.join("_", args).replaceAll("[^A-Za-z0-9_.-]", "") + "-" + System.nanoTime();
        Path out = workDir.resolve(tag + ".out");
        Path err = workDir.resolve(tag + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put(COOKIE_FILE_ENV, COOKIE.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        LIVE.add(p);
        p.onExit().thenAccept(LIVE::remove);
        return new HerdProcess(p, out, err);
    }

    /** Starts {@code launcher.jar NAME --config herd.json} in {@code workDir} and waits for its "herd: running" line. */
    static HerdProcess startRunning(Path workDir, String name) throws IOException {
        HerdProcess p = start(workDir, Map.of(), name, "--config", "herd.json");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            if (!p.process.isAlive()) {
                throw new AssertionError(name + " exited: " + p.err());
            }
            return p.err().contains("herd: running");
        });
        return p;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for exit, killing the process if it takes longer than {@code limit}. */
    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + limit + "; stderr: " + err());
        }
        return process.exitValue();
    }

    String out() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String err() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    static boolean accepts(int port) {
        return accepts("127.0.0.1", port);
    }

    static boolean accepts(String host, int port) {
        try (Socket s = new Socket(host, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    /** {@link #config(List)} with server {@code name} listening on {@code listen} (its host stays 127.0.0.1). */
    static String config(List<Integer> ports, String name, String listen) {
        String plain = config(ports);
        String server = "\"" + name + "\": {\"host\": \"127.0.0.1\", \"port\": ";
        int at = plain.indexOf(server);
        if (at < 0) {
            throw new IllegalArgumentException("no server " + name);
        }
        int end = plain.indexOf('}', at);
        return plain.substring(0, end) + ", \"listen\": \"" + listen + "\"" + plain.substring(end);
    }

    /** A default-shaped herd config on the given ports, logging to {@code logs/}. */
    static String config(List<Integer> ports) {
        String[] names = {"Goloman", "Hands", "Holiday", "Welsh", "Wilkes"};
        StringBuilder b = new StringBuilder("{\"servers\": {");
        for (int i = 0; i < names.length; i++) {
            b.append(i > 0 ? ", " : "").append('"').append(names[i]).append("\": {\"host\": \"127.0.0.1\", \"port\": ")
                    .append(ports.get(i)).append('}');
        }
        return b.append("}, \"places\": {\"provider\": \"google\", \"keyEnv\": \"HERD_IT_NO_KEY\"}, \"logDir\": \"logs\"}")
                .toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
