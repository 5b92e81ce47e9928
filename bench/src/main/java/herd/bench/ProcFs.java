package herd.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} says about the processes of a herd: resident memory, open
 * files, who listens on a port, and the open-file limit; and the machine's TCP counters
 * ({@code /proc/net/netstat}). Reading {@code /proc} touches no socket, so asking whether a
 * port listens does not show up in a herd's event log. Stateless and thread-safe.
 */
final class ProcFs {

    private static final Path PROC = Path.of("/proc");
    private static final String LISTEN = "0A";
    /** USER_HZ: 100 on every Linux the JDK runs on (it is not configurable at run time). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** {@code VmRSS} of {@code pid}, in bytes. */
    static long residentBytes(long pid) {
        return statusKilobytes(pid, "VmRSS:") * 1024;
    }

    private static long statusKilobytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/" + pid + "/status (has the process exited?): " + e.getMessage());
        }
        throw new BenchException("/proc/" + pid + "/status has no " + field);
    }

    /** CPU time {@code pid} has used so far, user plus system, in nanoseconds (clock-tick resolution). */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/" + pid + "/stat: " + e.getMessage());
        }
    }

    /** How many file descriptors {@code pid} has open (each TCP connection is one). */
    static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(PROC.resolve(pid + "/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new BenchException("cannot list /proc/" + pid + "/fd: " + e.getMessage());
        }
    }

    /** The soft limit on open files of {@code pid} ({@code "self"} for this process). */
    static long openFileLimit(String pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/" + pid + "/limits: " + e.getMessage());
        }
        throw new BenchException("/proc/" + pid + "/limits has no \"Max open files\"");
    }

    /** True when some process listens on TCP {@code port} (any local address). */
    static boolean isListening(int port) {
        return listeningInode(port).isPresent();
    }

    /** The process listening on TCP {@code port}, found through its socket's inode. */
    static OptionalLong listeningPid(int port) {
        OptionalLong inode = listeningInode(port);
        if (inode.isEmpty()) {
            return OptionalLong.empty();
        }
        String target = "socket:[" + inode.getAsLong() + "]";
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (Files.readSymbolicLink(fd).toString().equals(target)) {
                                return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                            }
                        } catch (IOException ignored) {
                            // the descriptor closed while we looked: not the listener
                        }
                    }
                } catch (IOException ignored) {
                    // the process exited while we looked, or is not ours to read
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot list /proc: " + e.getMessage());
        }
        return OptionalLong.empty();
    }

    private static OptionalLong listeningInode(int port) {
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(PROC.resolve(table));
                for (int i = 1; i < lines.size(); i++) {
                    OptionalLong inode = listenerInode(lines.get(i), port);
                    if (inode.isPresent()) {
                        return inode;
                    }
                }
            } catch (IOException e) {
                if (table.equals("net/tcp")) {
                    throw new BenchException("cannot read /proc/net/tcp: " + e.getMessage());
                }
            }
        }
        return OptionalLong.empty();
    }

    /** One row of {@code /proc/net/tcp}: its inode when it is a listener on {@code port}. */
    static OptionalLong listenerInode(String row, int port) {
        String[] f = row.strip().split("\\s+");
        if (f.length < 10 || !f[3].equals(LISTEN)) {
            return OptionalLong.empty();
        }
        String local = f[1];
        int colon = local.lastIndexOf(':');
        if (colon < 0 || Integer.parseInt(local.substring(colon + 1), 16) != port) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(f[9]));
    }

    /**
     * The counters of {@code /proc/net/netstat} ({@link #netstat(String)}), or empty when
     * this machine has no such file to read. They count for the whole network namespace
     * (every process of the machine, as a rule), not for one socket.
     */
    static Optional<Map<String, Long>> netstat() {
        try {
            // by lines, as for every /proc file here: a whole-file read of a size-0 /proc file can come back short
            return Optional.of(netstat(String.join("\n", Files.readAllLines(PROC.resolve("net/netstat")))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses {@code /proc/net/netstat}: pairs of lines, {@code Section: Name1 Name2 ...} then
     * {@code Section: value1 value2 ...}. Keys are {@code Section.Name}, such as
     * {@code TcpExt.ListenOverflows}. A values line counts only right after its own section's
     * names line, with as many fields; anything else is left out.
     */
    static Map<String, Long> netstat(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        String[] names = null;
        for (String line : text.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || !f[0].endsWith(":")) {
                names = null;
                continue;
            }
            if (names == null || !names[0].equals(f[0]) || names.length != f.length || !isCounter(f[1])) {
                names = isCounter(f[1]) ? null : f; // a names line: the next line may carry its values
                continue;
            }
            String section = f[0].substring(0, f[0].length() - 1);
            for (int k = 1; k < f.length; k++) {
                if (isCounter(f[k])) {
                    out.put(section + "." + names[k], Long.parseLong(f[k]));
                }
            }
            names = null;
        }
        return out;
    }

    private static boolean isCounter(String field) {
        if (field.isEmpty() || field.length() > 18) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            if (!Character.isDigit(field.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
