package herd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a herd's event logs ({@code <logDir>/<Name>.log}, README "Log format":
 * {@code <time> <KIND> <party> <payload>}), which both herds write alike: which peer links
 * are up, how many events of a kind were logged before a moment, whether the herd said it
 * left events out of its logs, and how much was written.
 * Stateless; reads files that the herd may still be appending to.
 */
final class EventLogs {

    private EventLogs() {
    }

    /** The neighbours whose link {@code server}'s log shows up now (last PEER_UP after any PEER_DOWN). */
    static Set<String> peersUp(Path logDir, String server) {
        Set<String> up = new LinkedHashSet<>();
        try (Stream<String> lines = lines(logDir.resolve(server + ".log"))) {
            lines.forEach(line -> {
                String[] f = line.split(" ", 4);
                if (f.length >= 3 && f[2].startsWith("peer/")) {
                    if (f[1].equals("PEER_UP")) {
                        up.add(f[2].substring(5));
                    } else if (f[1].equals("PEER_DOWN")) {
                        up.remove(f[2].substring(5));
                    }
                }
            });
        }
        return up;
    }

    /** How many events of {@code kind} all logs in {@code logDir} recorded before {@code until}. */
    static long count(Path logDir, String kind, Instant until) {
        return count(logDir, kind, Instant.EPOCH, until);
    }

    /** How many events of {@code kind} all logs in {@code logDir} recorded in [{@code since}, {@code until}). */
    static long count(Path logDir, String kind, Instant since, Instant until) {
        long n = 0;
        for (Path log : logs(logDir)) {
            try (Stream<String> lines = lines(log)) {
                n += lines.filter(line -> is(line, kind, until) && !Instant.parse(line.substring(0, line.indexOf(' ')))
                        .isBefore(since)).count();
            }
        }
        return n;
    }

    /**
     * The start of the payload of the ERROR line the Java engine writes when its event-log
     * queue overflowed: {@code ERROR - event log fell behind: N events (all servers) were not
     * written}. Such a herd answered its clients but left events out of its logs. The asyncio
     * herd buffers without a bound and never writes it.
     */
    static final String FELL_BEHIND = "event log fell behind";

    /**
     * How many "event log fell behind" lines all logs in {@code logDir} recorded in
     * [{@code since}, {@code until}): each says that some events were not written. A herd
     * run as one process writes the same report into every server's log, once per file.
     */
    static long fellBehind(Path logDir, Instant since, Instant until) {
        long n = 0;
        for (Path log : logs(logDir)) {
            try (Stream<String> lines = lines(log)) {
                n += lines.filter(line -> isFellBehind(line, since, until)).count();
            }
        }
        return n;
    }

    /** Up to {@code max} "event log fell behind" lines logged in [{@code since}, {@code until}), for people. */
    static java.util.List<String> fellBehindSamples(Path logDir, Instant since, Instant until, int max) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Path log : logs(logDir)) {
            try (Stream<String> lines = lines(log)) {
                lines.filter(line -> isFellBehind(line, since, until)).limit(max - out.size())
                        .forEach(l -> out.add(log.getFileName() + ": " + l));
            }
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    /** {@code <time> ERROR <party> event log fell behind...}, logged in [since, until). */
    private static boolean isFellBehind(String line, Instant since, Instant until) {
        if (!is(line, "ERROR", until)) {
            return false;
        }
        String[] f = line.split(" ", 4);
        return f.length == 4 && f[3].startsWith(FELL_BEHIND) && !Instant.parse(f[0]).isBefore(since);
    }

    /** Up to {@code max} lines of {@code kind} logged before {@code until}, for people. */
    static java.util.List<String> samples(Path logDir, String kind, Instant until, int max) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Path log : logs(logDir)) {
            try (Stream<String> lines = lines(log)) {
                lines.filter(line -> is(line, kind, until)).limit(max - out.size()).forEach(l -> out.add(log.getFileName() + ": " + l));
            }
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    /** Bytes of event log the herd has written so far. */
    static long bytes(Path logDir) {
        long n = 0;
        for (Path log : logs(logDir)) {
            try {
                n += Files.size(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    /** The line logs {@code kind} before {@code until}; cheap for the millions of lines that do not. */
    private static boolean is(String line, String kind, Instant until) {
        int space = line.indexOf(' ');
        return space > 0 && line.startsWith(kind, space + 1) && line.length() > space + 1 + kind.length()
                && line.charAt(space + 1 + kind.length()) == ' ' && before(line.substring(0, space), until);
    }

    private static boolean before(String time, Instant until) {
        try {
            return Instant.parse(time).isBefore(until);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static java.util.List<Path> logs(Path logDir) {
        try (Stream<Path> files = Files.list(logDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new BenchException("cannot list event logs in " + logDir + ": " + e.getMessage());
        }
    }

    private static Stream<String> lines(Path log) {
        try {
            if (!Files.exists(log)) {
                return Stream.empty();
            }
            // ISO-8859-1, not UTF-8: a herd may log bytes that are not UTF-8 (a client's raw id)
            java.io.BufferedReader in = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1);
            return in.lines().onClose(() -> {
                try {
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new BenchException("cannot read event log " + log + ": " + e.getMessage());
        }
    }
}
