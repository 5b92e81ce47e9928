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
 * least. A report {@code to} never shows within 5 s is lost. Caller's thread.
 */
final class Propagation {

    private static final long GIVE_UP_NS = TimeUnit.SECONDS.toNanos(5);

    /** @param latency nanoseconds from IAMAT reply to the first WHATSAT reply showing it */
    record Result(Histogram latency, long errors, long lost, List<String> samples) {}

    private Propagation() {
    }

    static Result measure(HerdLayout herd, String from, String to, String clientId, Duration measure, long maxSamples) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        ClientClock clock = new ClientClock();
        long errors = 0;
        long lost = 0;
        List<String> samples = new ArrayList<>();
        try (LineClient reporter = LineClient.connect(herd.address(from), from, LineClient.defaultTimeout());
             LineClient asker = LineClient.connect(herd.address(to), to, LineClient.defaultTimeout())) {
            long end = System.nanoTime() + measure.toNanos();
            while (System.nanoTime() < end && h.getTotalCount() + lost < maxSamples) {
                String time = clock.next();
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
                        lost++;
                        sample(samples, to + " never showed " + clientId + " at " + time);
                        break;
                    }
                }
            }
        }
        return new Result(h, errors, lost, samples);
    }

    private static void sample(List<String> samples, String s) {
        if (samples.size() < 5) {
            samples.add(s);
        }
    }
}
