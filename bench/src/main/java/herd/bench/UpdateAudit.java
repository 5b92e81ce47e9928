package herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "zero lost updates" check: after a load, every server of the herd must hold each
 * client's newest report. Asks every server {@code WHATSAT id 1 1} for every client
 * (pipelined, on one connection per server) and compares the client time of the AT line
 * it answers with the newest time that client sent. Flooding is asynchronous, so servers
 * are asked again until all agree or {@code limit} passes; what still disagrees then is
 * lost. Runs on the caller's thread.
 */
final class UpdateAudit {

    private static final int PIPELINE = 64;

    /**
     * @param checked how many (server, client) pairs were checked
     * @param lost    pairs whose server never caught up within the limit
     * @param samples a few of the lost pairs, for people
     * @param seconds how long until every server agreed (or the limit)
     */
    record Result(long checked, long lost, List<String> samples, double seconds) {}

    private UpdateAudit() {
    }

    static Result audit(HerdLayout herd, Map<String, String> newestTimes, Duration limit) {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        Map<String, Set<String>> pending = new LinkedHashMap<>();
        for (String server : herd.names()) {
            pending.put(server, new LinkedHashSet<>(newestTimes.keySet()));
        }
        Map<String, String> lastSeen = new LinkedHashMap<>();
        while (true) {
            for (Map.Entry<String, Set<String>> e : pending.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    askServer(herd, e.getKey(), e.getValue(), newestTimes, lastSeen);
                }
            }
            long left = pending.values().stream().mapToLong(Set::size).sum();
            if (left == 0 || System.nanoTime() > deadline) {
                List<String> samples = new ArrayList<>();
                pending.forEach((server, ids) -> ids.stream().limit(3).forEach(id -> samples.add(server + " has "
                        + lastSeen.getOrDefault(server + " " + id, "nothing") + " for " + id + ", newest sent "
                        + newestTimes.get(id))));
                return new Result((long) herd.names().size() * newestTimes.size(), left, samples,
                        (System.nanoTime() - started) / 1e9);
            }
            pause();
        }
    }

    /** Asks one server about {@code ids}; removes those it already holds the newest report for. */
    private static void askServer(HerdLayout herd, String server, Set<String> ids, Map<String, String> newest,
                                  Map<String, String> lastSeen) {
        try (LineClient c = LineClient.connect(herd.address(server), server, LineClient.defaultTimeout())) {
            List<String> all = new ArrayList<>(ids);
            for (int i = 0; i < all.size(); i += PIPELINE) {
                List<String> chunk = all.subList(i, Math.min(all.size(), i + PIPELINE));
                StringBuilder lines = new StringBuilder();
                for (String id : chunk) {
                    lines.append(lines.length() == 0 ? "" : "\n").append("WHATSAT ").append(id).append(" 1 1");
                }
                c.send(lines.toString());
                for (String id : chunk) {
                    String reply = c.readWhatsAtReply();
                    if (reply.startsWith("? ")) {
                        continue; // does not know the client yet
                    }
                    String at = reply.substring(0, reply.indexOf('\n'));
                    String time = Replies.atTime(at);
                    lastSeen.put(server + " " + id, at);
                    if (newest.get(id).equals(time)) {
                        ids.remove(id);
                    }
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // flooding is still under way; ask again shortly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for the herd to agree");
        }
    }
}
