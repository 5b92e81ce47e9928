package herd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code jcmd}, run against a server's JVM by process id: how the benchmark asks
 * a running Java server for a full collection or a JFR recording without a flag on its
 * command line (the herd is measured as a user starts it). Uses the {@code jcmd} of the
 * JDK this tool runs on, the one the comparison starts the servers with. Each call starts
 * one {@code jcmd} process and waits for it on the caller's thread. Stateless.
 */
final class Jcmd {

    private static final long LIMIT_SECONDS = 60;

    private Jcmd() {
    }

    /**
     * Runs {@code jcmd PID COMMAND...} and returns what it printed. jcmd exits 0 for some
     * failed commands (a JFR settings file it cannot parse), so callers that can check the
     * reply's wording do.
     *
     * @throws BenchException when jcmd cannot start, fails, or takes more than a minute
     */
    static String run(long pid, String... command) {
        List<String> argv = new ArrayList<>();
        argv.add(executable());
        argv.add(Long.toString(pid));
        argv.addAll(List.of(command));
        Path output;
        try {
            // to a file, not a pipe: a jcmd that hangs must not hang this tool past the limit
            output = Files.createTempFile("herd-bench-jcmd-", ".txt");
        } catch (IOException e) {
            throw new BenchException("cannot make a file for jcmd's output: " + e.getMessage());
        }
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            output.toFile().delete();
            throw new BenchException("cannot run jcmd: " + e.getMessage());
        }
        String what = "jcmd " + pid + " " + String.join(" ", command);
        try {
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BenchException(what + " took more than " + LIMIT_SECONDS + " s");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new BenchException(what + " failed (exit " + p.exitValue() + "): " + out.replace('\n', ' '));
            }
            return out;
        } catch (IOException e) {
            throw new BenchException("cannot read the output of " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while " + what + " ran");
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                System.err.println("bench: cannot delete " + output + ": " + e.getMessage());
            }
        }
    }

    private static String executable() {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(beside) ? beside.toString() : "jcmd";
    }
}
