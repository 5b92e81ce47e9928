package herd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a herd's event logs ({@code <logDir>/<Name>.log}, README "Log format":
 * {@code <time> <KIND> <party> <payload>}), which both herds write alike: which peer links
 * are up and since when, how many events of a kind were logged in a window, which links
 * dropped (apart from those a planned restart drops), whether the herd said it left events
 * out of its logs, and how much was written.
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

    /**
     * A server stopped and started again on purpose in [{@code from}, {@code until}): the
     * PEER_DOWN lines that causes, in its own log and in its neighbours' about it, are no
     * dropped links.
     */
    record Restart(String server, Instant from, Instant until) {

        /** True when {@code line} of {@code log} is a PEER_DOWN this restart explains. */
        boolean explains(Path log, String line) {
            String[] f = line.split(" ", 4);
            if (f.length < 3 || !f[1].equals("PEER_DOWN")) {
                return false;
            }
            Instant t = Instant.parse(f[0]);
            return !t.isBefore(from) && t.isBefore(until)
                    && (log.getFileName().toString().equals(server + ".log") || f[2].equals("peer/" + server));
        }
    }

    /** How many peer links all logs in {@code logDir} say dropped before {@code until}, restarts aside. */
    static long droppedLinks(Path logDir, Instant until, java.util.List<Restart> planned) {
        return droppedLinkSamples(logDir, until, Integer.MAX_VALUE, planned).size();
    }

    /** Up to {@code max} PEER_DOWN lines logged before {@code until}, restarts aside, for people. */
    static java.util.List<String> droppedLinkSamples(Path logDir, Instant until, int max, java.util.List<Restart> planned) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Path log : logs(logDir)) {
            try (Stream<String> lines = lines(log)) {
                lines.filter(line -> is(line, "PEER_DOWN", until) && planned.stream().noneMatch(r -> r.explains(log, line)))
                        .limit(max - out.size()).forEach(l -> out.add(log.getFileName() + ": " + l));
            }
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    /**
     * When the link between {@code a} and {@code b} came up at or after {@code since}: the
     * later of each end's first PEER_UP line about the other, once both ends have logged one.
     */
    static Optional<Instant> linkUp(Path logDir, String a, String b, Instant since) {
        Optional<Instant> atA = firstPeerUp(logDir, a, b, since);
        Optional<Instant> atB = firstPeerUp(logDir, b, a, since);
        if (atA.isEmpty() || atB.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(atA.get().isAfter(atB.get()) ? atA.get() : atB.get());
    }

    private static Optional<Instant> firstPeerUp(Path logDir, String server, String peer, Instant since) {
        String marker = " PEER_UP peer/" + peer;
        try (Stream<String> lines = lines(logDir.resolve(server + ".log"))) {
            return lines.filter(line -> line.contains(marker) && line.split(" ", 4)[2].equals("peer/" + peer))
                    .map(line -> Instant.parse(line.substring(0, line.indexOf(' '))))
                    .filter(t -> !t.isBefore(since)).findFirst();
        }
    }

    /**
     * The bytes (payload and newline) of every line {@code server} and its {@code neighbours}
     * logged sending to each other ({@code PEER_OUT}) since {@code since}: what their links
     * carried, heartbeats apart (never logged).
     */
    static long peerBytes(Path logDir, String server, java.util.List<String> neighbours, Instant since) {
        long n = 0;
        for (String from : concat(server, neighbours)) {
            try (Stream<String> lines = lines(logDir.resolve(from + ".log"))) {
                n += lines.mapToLong(line -> {
                    String[] f = line.split(" ", 4);
                    boolean between = f.length == 4 && f[1].equals("PEER_OUT") && (from.equals(server)
                            ? neighbours.contains(f[2].substring(f[2].indexOf('/') + 1)) : f[2].equals("peer/" + server));
                    return between && !Instant.parse(f[0]).isBefore(since) ? f[3].length() + 1 : 0;
                }).sum();
            }
        }
        return n;
    }

    private static java.util.List<String> concat(String first, java.util.List<String> rest) {
        java.util.List<String> all = new java.util.ArrayList<>(rest);
        all.add(0, first);
        return all;
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
