package herd.gui;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Writes an {@link Experiment} to a folder, the raw material for a report's figures (the
 * README's "A link-kill experiment" documents the format):
 * <ul>
 * <li>{@code actions.csv}: {@code at,at_us,action,target,detail}</li>
 * <li>{@code learned.csv}: {@code client,report_time,server,learned_at,learned_us,after_first_us,from}</li>
 * <li>{@code links.csv}: {@code at,at_us,link,state,detail}</li>
 * <li>{@code herd.log}: every server's event log lines since recording began, each prefixed
 *     with its server's name and a space (a log line does not name its server), merged and
 *     sorted by time (stable: lines of one time keep their file order, servers by name)</li>
 * </ul>
 * CSV with a header line, RFC 4180 quoting (a field with a comma, quote, CR or LF is quoted,
 * quotes doubled), CRLF line ends; times as ISO 8601 UTC with microseconds plus microseconds
 * since recording began ({@code *_us}). Runs on the caller's thread (never the JavaFX thread:
 * it reads the log files).
 */
final class ExperimentExport {

    static final List<String> FILES = List.of("actions.csv", "learned.csv", "links.csv", "herd.log");
    /** Lines of different servers are merged through a window this large (events reach the log milliseconds apart at most). */
    static final int MERGE_WINDOW = 200_000;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** What was written. */
    record Summary(Path dir, int actions, int learns, int linkChanges, long logLines) {
        String describe() {
            return "exported to " + dir + ": " + actions + " actions, " + learns + " learns, " + linkChanges
                    + " link changes, " + logLines + " log lines";
        }
    }

    private ExperimentExport() {
    }

    /**
     * @param servers the herd's servers now (the merged log also takes every server that
     *                started while recording)
     * @param logDir  where the servers' event logs are
     */
    static Summary write(Path dir, Experiment experiment, Collection<String> servers, Path logDir) throws IOException {
        Files.createDirectories(dir);
        long start = experiment.startMicros();
        int actions = 0;
        try (Writer out = Files.newBufferedWriter(dir.resolve("actions.csv"), StandardCharsets.UTF_8)) {
            row(out, "at", "at_us", "action", "target", "detail");
            for (Timeline.Action a : experiment.timeline().actions()) {
                row(out, time(a.atMicros()), Long.toString(a.atMicros() - start), a.action(), a.target(), a.detail());
                actions++;
            }
        }
        int learns = 0;
        try (Writer out = Files.newBufferedWriter(dir.resolve("learned.csv"), StandardCharsets.UTF_8)) {
            row(out, "client", "report_time", "server", "learned_at", "learned_us", "after_first_us", "from");
            for (LearnTimes.Report r : experiment.learns().reports()) {
                long first = r.firstMicros();
                List<LearnTimes.Learn> sorted = new ArrayList<>(r.learns());
                sorted.sort(Comparator.comparingLong(LearnTimes.Learn::atMicros));
                for (LearnTimes.Learn l : sorted) {
                    row(out, r.key.clientId(), r.key.clientTime(), l.server(), time(l.atMicros()),
                            Long.toString(l.atMicros() - start), Long.toString(l.atMicros() - first), l.from().toString());
                    learns++;
                }
            }
        }
        int changes = 0;
        try (Writer out = Files.newBufferedWriter(dir.resolve("links.csv"), StandardCharsets.UTF_8)) {
            row(out, "at", "at_us", "link", "state", "detail");
            for (LinkChanges.Change c : experiment.links().changes()) {
                row(out, time(c.atMicros()), Long.toString(c.atMicros() - start), c.linkName(), c.state(), c.detail());
                changes++;
            }
        }
        TreeSet<String> names = new TreeSet<>(servers);
        names.addAll(experiment.servers());
        long lines = mergeLogs(dir.resolve("herd.log"), new ArrayList<>(names), logDir, time(start));
        return new Summary(dir, actions, learns, changes, lines);
    }

    /** ISO 8601 UTC with six fraction digits, as the event log writes times. */
    static String time(long micros) {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000));
    }

    /** One CSV record, RFC 4180: CRLF-terminated, a field quoted when it must be. */
    static void row(Writer out, String... fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields[i]));
        }
        out.write("\r\n");
    }

    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** One server's log lines, oldest file first ({@code .N} … {@code .1}, then {@code <Name>.log}). */
    private static final class ServerLines implements AutoCloseable {
        final String server;
        final int order;
        private final List<Path> files = new ArrayList<>();
        private BufferedReader reader;
        String next;

        ServerLines(String server, int order, Path logDir) throws IOException {
            this.server = server;
            this.order = order;
            for (int n = 1; Files.exists(logDir.resolve(server + ".log." + n)); n++) {
                files.add(0, logDir.resolve(server + ".log." + n));
            }
            if (Files.exists(logDir.resolve(server + ".log"))) {
                files.add(logDir.resolve(server + ".log"));
            }
        }

        /** Moves to the next line at or after {@code from}; false at the end. */
        boolean advance(String from) throws IOException {
            while (true) {
                if (reader == null) {
                    if (files.isEmpty()) {
                        next = null;
                        return false;
                    }
                    reader = Files.newBufferedReader(files.remove(0), StandardCharsets.UTF_8);
                }
                String line = reader.readLine();
                if (line == null) {
                    reader.close();
                    reader = null;
                } else if (timeOf(line).compareTo(from) >= 0) {
                    next = line;
                    return true;
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
            }
        }
    }

    private record Pending(String time, long seq, String text) {
    }

    /**
     * Every server's lines from {@code from} on, into {@code target} sorted by time: the
     * servers' files are read side by side, always from the one whose next line is earliest,
     * through a window of {@value #MERGE_WINDOW} lines that puts lines a writer wrote out of
     * order by a few microseconds back in order.
     */
    private static long mergeLogs(Path target, List<String> servers, Path logDir, String from) throws IOException {
        List<ServerLines> sources = new ArrayList<>();
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            for (int i = 0; i < servers.size(); i++) {
                ServerLines s = new ServerLines(servers.get(i), i, logDir);
                sources.add(s);
                s.advance(from);
            }
            PriorityQueue<Pending> window = new PriorityQueue<>(
                    Comparator.comparing(Pending::time).thenComparingLong(Pending::seq));
            long seq = 0;
            while (true) {
                ServerLines earliest = null;
                for (ServerLines s : sources) {
                    if (s.next != null && (earliest == null || timeOf(s.next).compareTo(timeOf(earliest.next)) < 0)) {
                        earliest = s;
                    }
                }
                if (earliest == null) {
                    break;
                }
                window.add(new Pending(timeOf(earliest.next), seq++, earliest.server + " " + earliest.next));
                earliest.advance(from);
                if (window.size() > MERGE_WINDOW) {
                    out.write(window.poll().text());
                    out.write('\n');
                    written++;
                }
            }
            while (!window.isEmpty()) {
                out.write(window.poll().text());
                out.write('\n');
                written++;
            }
        } finally {
            for (ServerLines s : sources) {
                s.close();
            }
        }
        return written;
    }

    /** A log line's time: its text up to the first space. */
    private static String timeOf(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }
}
