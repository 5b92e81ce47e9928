package herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 1: one client, one IAMAT at a time on one connection, each with a newer time
 * (so each is stored and flooded, as a real client's would be). Latency is write to
 * reply read, on the caller's thread.
 */
final class RoundTrip {

    static final String LOCATION = "+34.068930-118.445127";

    /**
     * @param latency    nanoseconds, from the end of the warm-up
     * @param errors     replies that were not the right AT line
     * @param newestTime the client's last IAMAT time, for the audit
     */
    record Result(Histogram latency, long errors, List<String> samples, String clientId, String newestTime) {}

    private RoundTrip() {
    }

    static Result measure(HerdLayout herd, String server, String clientId, Duration warmup, Duration measure,
                          long maxSamples) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        ClientClock clock = new ClientClock();
        long errors = 0;
        List<String> samples = new ArrayList<>();
        String time = null;
        try (LineClient c = LineClient.connect(herd.address(server), server, LineClient.defaultTimeout())) {
            long from = System.nanoTime() + warmup.toNanos();
            long to = from + measure.toNanos();
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= to || h.getTotalCount() >= maxSamples) {
                    break;
                }
                time = clock.next();
                String operands = " " + clientId + " " + LOCATION + " " + time;
                c.send("IAMAT" + operands);
                String reply = c.readLine();
                long t1 = System.nanoTime();
                String problem = Replies.checkAt(reply, server, operands);
                if (problem != null) {
                    errors++;
                    if (samples.size() < 5) {
                        samples.add(problem);
                    }
                } else if (t0 >= from) {
                    h.recordValue(t1 - t0);
                }
            }
        }
        return new Result(h, errors, samples, clientId, time);
    }
}
