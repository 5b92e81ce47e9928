package herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 2: many clients, each with a few IAMATs in flight, at one server or spread
 * over several; every IAMAT carries a newer time, so every one is flooded through the
 * whole herd. Afterwards {@link UpdateAudit} checks that no update was lost.
 */
final class Throughput {

    record Result(PipelinedLoad.Outcome load, UpdateAudit.Result audit) {}

    private Throughput() {
    }

    /** Clients go to {@code servers} in turn: client i to {@code servers[i % n]}. */
    static Result measure(HerdLayout herd, List<String> servers, int clients, int depth, String idPrefix,
                          Duration warmup, Duration measure) {
        List<PipelinedLoad.Client> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String server = servers.get(i % servers.size());
            cs.add(new PipelinedLoad.Client(server, herd.address(server), idPrefix + i, location(i)));
        }
        PipelinedLoad.Outcome outcome;
        java.util.Map<String, String> newest;
        try (PipelinedLoad load = PipelinedLoad.connect(PipelinedLoad.Kind.IAMAT, cs, 32, Duration.ofSeconds(30))) {
            outcome = load.run(depth, 0, warmup, measure, Duration.ofSeconds(30));
            newest = load.newestTimes();
        }
        return new Result(outcome, UpdateAudit.audit(herd, newest, Duration.ofSeconds(30)));
    }

    /** A different plausible location per client (around Los Angeles). */
    static String location(int i) {
        return String.format(java.util.Locale.ROOT, "+%.6f-%.6f", 34.0 + (i % 1000) * 0.0001, 118.4 + (i / 1000) * 0.0001);
    }
}
