package herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Scenario 5: WHATSAT throughput on one server. Each client first reports its location
 * with IAMAT (so the reply's AT line is known exactly), then keeps WHATSATs in flight:
 * the same query each time (a cache would answer) or a new radius each time (no cache
 * can). Counting the stand-in Google's requests tells hits from misses.
 */
final class WhatsAtLoad {

    /** @param upstreamCalls requests the Places stand-in served during the load, or -1 if unknown */
    record Result(PipelinedLoad.Outcome load, long upstreamCalls) {

        double upstreamPerWhatsAt() {
            return upstreamCalls < 0 || load.answered() == 0 ? Double.NaN : upstreamCalls / (double) load.answered();
        }
    }

    /** What a probe WHATSAT got: the JSON's status and how many results it listed. */
    record Probe(String status, int results) {
        boolean answersPlaces() {
            return status.equals("OK") && results > 0;
        }
    }

    private WhatsAtLoad() {
    }

    static Result measure(HerdLayout herd, String server, PipelinedLoad.Kind kind, int clients, int depth,
                          String idPrefix, Duration warmup, Duration measure, LongSupplier upstream, int expectedResults) {
        List<PipelinedLoad.Client> cs = new ArrayList<>();
        try (LineClient c = LineClient.connect(herd.address(server), server, LineClient.defaultTimeout())) {
            for (int i = 0; i < clients; i++) {
                PipelinedLoad.Client client = new PipelinedLoad.Client(server, herd.address(server), idPrefix + i,
                        Throughput.location(i));
                String operands = " " + client.id + " " + client.location + " " + client.clock.next();
                c.send("IAMAT" + operands);
                String reply = c.readLine();
                String problem = Replies.checkAt(reply, server, operands);
                if (problem != null) {
                    throw new BenchException("cannot set up the WHATSAT load: " + problem);
                }
                client.storedAt = reply;
                cs.add(client);
            }
        }
        try (PipelinedLoad load = PipelinedLoad.connect(kind, cs, 32, Duration.ofSeconds(30))) {
            load.expectResults(expectedResults);
            long before = upstream == null ? 0 : upstream.getAsLong();
            PipelinedLoad.Outcome outcome = load.run(depth, 0, warmup, measure, Duration.ofSeconds(30));
            long calls = upstream == null ? -1 : upstream.getAsLong() - before;
            return new Result(outcome, calls);
        }
    }

    /** One IAMAT at UCLA and one WHATSAT 10 km around it: does this server's provider know places? */
    static Probe probe(HerdLayout herd, String server) {
        try (LineClient c = LineClient.connect(herd.address(server), server, LineClient.defaultTimeout())) {
            c.send("IAMAT bench-probe " + RoundTrip.LOCATION + " " + new ClientClock().next());
            c.readLine();
            c.send("WHATSAT bench-probe 10 20");
            String reply = c.readWhatsAtReply();
            if (reply.startsWith("? ")) {
                return new Probe("refused", 0);
            }
            try {
                var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.substring(reply.indexOf('\n') + 1));
                return new Probe(doc.path("status").asText("none"), doc.path("results").size());
            } catch (java.io.IOException e) {
                return new Probe("unreadable", 0);
            }
        }
    }
}
