package herd.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * How many bytes a JVM's threads allocated while a JFR recording of
 * {@code jdk.ThreadAllocationStatistics} alone ran ({@link #SETTINGS}). With period
 * {@code everyChunk} that event is written once per live thread as the recording starts
 * and again as it stops, each carrying the thread's running total; the figure is, per
 * thread, the last total minus the first. A thread first seen in the second half of the
 * recording was born meanwhile, and all of its total counts; a thread that ended before
 * the recording stopped has no last event and is missed. JFR's own threads (named
 * {@code JFR ...}) are left out: they serve the recording, not the server. Stateless.
 */
final class AllocationStatistics {

    static final String EVENT = "jdk.ThreadAllocationStatistics";

    /** A JFR settings file ({@code .jfc}) that enables this one event and nothing else. */
    static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="allocation totals">
              <event name="jdk.ThreadAllocationStatistics">
                <setting name="enabled">true</setting>
                <setting name="period">everyChunk</setting>
              </event>
            </configuration>
            """;

    private AllocationStatistics() {
    }

    /** Bytes allocated during the recording in {@code jfr}, over all threads but JFR's own. */
    static long bytesAllocated(Path jfr) {
        List<RecordedEvent> events;
        try {
            events = RecordingFile.readAllEvents(jfr).stream()
                    .filter(e -> e.getEventType().getName().equals(EVENT)).toList();
        } catch (IOException e) {
            throw new BenchException("cannot read the JFR recording " + jfr + ": " + e.getMessage());
        }
        if (events.isEmpty()) {
            throw new BenchException(jfr + " holds no " + EVENT + " event");
        }
        Instant start = events.stream().map(RecordedEvent::getStartTime).min(Instant::compareTo).orElseThrow();
        Instant end = events.stream().map(RecordedEvent::getStartTime).max(Instant::compareTo).orElseThrow();
        Instant middle = start.plus(java.time.Duration.between(start, end).dividedBy(2));
        Map<Long, RecordedEvent> first = new HashMap<>();
        Map<Long, RecordedEvent> last = new HashMap<>();
        for (RecordedEvent e : events) {
            RecordedThread t = e.getThread("thread");
            if (t == null || String.valueOf(t.getJavaName()).startsWith("JFR ")) {
                continue;
            }
            long id = t.getJavaThreadId();
            first.merge(id, e, (a, b) -> b.getStartTime().isBefore(a.getStartTime()) ? b : a);
            last.merge(id, e, (a, b) -> b.getStartTime().isAfter(a.getStartTime()) ? b : a);
        }
        long total = 0;
        for (Map.Entry<Long, RecordedEvent> e : last.entrySet()) {
            RecordedEvent from = first.get(e.getKey());
            boolean bornMeanwhile = from.getStartTime().isAfter(middle);
            total += e.getValue().getLong("allocated") - (bornMeanwhile ? 0 : from.getLong("allocated"));
        }
        return total;
    }
}
