package herd.gui;

import herd.engine.HerdEvent;
import herd.engine.Party;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * When each server learned each report, and from whom: the engine's {@code LEARNED} events,
 * kept per report (a client id and its client time). A report's times are measured from its
 * <em>first LEARNED</em> on any server, which is the origin's (its IN is a few microseconds
 * earlier and is not used: the origin's LEARNED is the first moment the herd holds the
 * report, and every other server's LEARNED is measured on the same clock, from the same kind
 * of event).
 *
 * <p>Bounded: the newest {@link #capacity()} reports are kept (older ones are dropped, and
 * counted), and each report keeps at most {@value #LEARNS_PER_REPORT} learns (a server
 * relearns a report after each bring-up; the rest are counted too).
 *
 * <p>Thread-safety: {@link #learned} runs on the herd's I/O threads and only does a
 * concurrent-map lookup, a few field writes under the report's own lock and, for a new
 * report, one queue append; it never waits for a reader. Readers (the JavaFX thread, the
 * export) copy a report's learns under the same per-report lock.
 */
final class LearnTimes {

    static final int LEARNS_PER_REPORT = 64;

    /** A report as the herd floods it: the client and the client's own time text. */
    record ReportKey(String clientId, String clientTime) {
    }

    /** One server's learn of a report: when (microseconds since the epoch, UTC) and from whom. */
    record Learn(String server, long atMicros, Party from) {
    }

    /** One report and its learns, in the order they were recorded. */
    static final class Report {
        final ReportKey key;
        private final List<Learn> learns = new ArrayList<>(6);
        private long firstMicros = Long.MAX_VALUE;

        Report(ReportKey key) {
            this.key = key;
        }

        /** Adds a learn; returns its time after the report's first learn, or -1 when it was not kept. */
        synchronized long add(Learn learn) {
            if (learns.size() >= LEARNS_PER_REPORT) {
                return -1;
            }
            learns.add(learn);
            firstMicros = Math.min(firstMicros, learn.atMicros());
            return learn.atMicros() - firstMicros;
        }

        /** The first learn's time (the origin's), microseconds since the epoch. */
        synchronized long firstMicros() {
            return firstMicros;
        }

        synchronized List<Learn> learns() {
            return List.copyOf(learns);
        }

        /** The newest learn of this report by {@code server}, or null. */
        synchronized Learn lastBy(String server) {
            for (int i = learns.size() - 1; i >= 0; i--) {
                if (learns.get(i).server().equals(server)) {
                    return learns.get(i);
                }
            }
            return null;
        }
    }

    private final int capacity;
    private final Map<ReportKey, Report> reports = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Report> arrival = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final LongAdder droppedReports = new LongAdder();
    private final LongAdder droppedLearns = new LongAdder();
    private final LongAdder recorded = new LongAdder();

    /** @param capacity how many reports to keep, the newest */
    LearnTimes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** How many learns were recorded so far: a change says the grid's times may have changed. */
    long recorded() {
        return recorded.sum();
    }

    int capacity() {
        return capacity;
    }

    /**
     * Records a LEARNED event (any thread).
     *
     * @return the report it belongs to and the learn's time after the report's first, or null
     *         when the learn was not kept
     */
    Report learned(HerdEvent.LocationLearned event) {
        ReportKey key = new ReportKey(event.report().clientId(), event.report().clientTime());
        Report report = reports.get(key);
        if (report == null) {
            Report made = new Report(key);
            report = reports.putIfAbsent(key, made);
            if (report == null) {
                report = made;
                arrival.add(made);
                if (kept.incrementAndGet() > capacity) {
                    Report oldest = arrival.poll();
                    if (oldest != null) {
                        reports.remove(oldest.key, oldest);
                        kept.decrementAndGet();
                        droppedReports.increment();
                    }
                }
            }
        }
        if (report.add(new Learn(event.server(), micros(event.at()), event.from())) < 0) {
            droppedLearns.increment();
            return null;
        }
        recorded.increment();
        return report;
    }

    /** The report of {@code clientId} at {@code clientTime}, or null when none is kept. */
    Report report(String clientId, String clientTime) {
        return reports.get(new ReportKey(clientId, clientTime));
    }

    /** The kept reports, oldest first (by when their first learn was recorded). */
    List<Report> reports() {
        return List.copyOf(arrival);
    }

    /** How many reports were dropped to keep the newest {@link #capacity()}. */
    long droppedReports() {
        return droppedReports.sum();
    }

    /** How many learns were not kept because their report already had {@value #LEARNS_PER_REPORT}. */
    long droppedLearns() {
        return droppedLearns.sum();
    }

    static long micros(java.time.Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
    }
}
