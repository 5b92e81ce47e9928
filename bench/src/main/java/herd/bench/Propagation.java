package herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 3: how long after its IAMAT reply at one server ({@code from}, Welsh) another
 * server ({@code to}, Hands, three hops away) answers WHATSAT with that report. One client
 * reports, another asks {@code to} again and again (one WHATSAT in flight) until the AT
 * line carries the new time; the figure therefore includes one WHATSAT round trip at
 * least. A report {@code to} does not show within 5 s is counted as late and the next one
 * is sent (whether anything was lost is for {@link UpdateAudit} to say, on the newest
 * report: a newer report may rightly overtake an older one). Caller's thread.
 */
final class Propagation {

    private static final long GIVE_UP_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * @param latency    nanoseconds from IAMAT reply to the first WHATSAT reply showing it
     * @param late       reports {@code to} had not shown after 5 s
     * @param newestTime the last report's client time, for the audit
     */
    record Result(Histogram latency, long errors, long late, List<String> samples, String clientId, String newestTime) {}

    private Propagation() {
    }

    static Result measure(HerdLayout herd, String from, String to, String clientId, Duration measure, long maxSamples) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        ClientClock clock = new ClientClock();
        long errors = 0;
        long late = 0;
        String newest = null;
        List<String> samples = new ArrayList<>();
        try (LineClient reporter = LineClient.connect(herd.address(from), from, LineClient.defaultTimeout());
             LineClient asker = LineClient.connect(herd.address(to), to, LineClient.defaultTimeout())) {
            long end = System.nanoTime() + measure.toNanos();
            while (System.nanoTime() < end && h.getTotalCount() + late < maxSamples) {
                String time = clock.next();
                newest = time;
                String operands = " " + clientId + " " + RoundTrip.LOCATION + " " + time;
                reporter.send("IAMAT" + operands);
                String reply = reporter.readLine();
                long t0 = System.nanoTime();
                String problem = Replies.checkAt(reply, from, operands);
                if (problem != null) {
                    errors++;
                    sample(samples, problem);
                    continue;
                }
                String query = "WHATSAT " + clientId + " 1 1";
                while (true) {
                    asker.send(query);
                    String answer = asker.readWhatsAtReply();
                    long t1 = System.nanoTime();
                    if (!answer.startsWith("? ")) {
                        String bad = Replies.checkWhatsAt(answer, null, -1, false);
                        if (bad != null) {
                            errors++;
                            sample(samples, bad);
                            break;
                        }
                        if (time.equals(Replies.atTime(answer.substring(0, answer.indexOf('\n'))))) {
                            h.recordValue(t1 - t0);
                            break;
                        }
                    }
                    if (t1 - t0 > GIVE_UP_NS) {
                        late++;
                        sample(samples, to + " did not show " + clientId + " at " + time + " within 5 s");
                        break;
                    }
                }
            }
        }
        return new Result(h, errors, late, samples, clientId, newest);
    }

    private static void sample(List<String> samples, String s) {
        if (samples.size() < 5) {
            samples.add(s);
        }
    }
}
