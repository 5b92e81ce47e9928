package herd.gui;

import herd.engine.config.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The status bar's account of the person's last action, said anew from each poll of the
 * herd, so that it never contradicts what the graph draws from the same poll: after a
 * restore it says {@code restoring link Holiday–Welsh…} while the link is still cut or
 * redialling and {@code link Holiday–Welsh restored (up)} once it is connected; a bring-up
 * says {@code bringing up Holiday…} until the server listens, then how many of its links
 * are connected. (Said once when the action ran, a restore's words could arrive after the
 * link had moved on, or the graph could move on while the bar still showed the cut.)
 *
 * <p>Thread-safety: {@link #say} from any thread (the operator's); {@link #text} on the
 * JavaFX thread.
 */
final class StatusLine {

    /** What an action says, as words for one poll of the herd. */
    @FunctionalInterface
    interface Claim {

        /** @param herd a poll of the herd; never read by a {@link #fixed} claim (may be null there) */
        String words(HerdSnapshot herd);

        /** Words that hold whatever the herd does next (an error, a change of the herd's servers). */
        static Claim fixed(String text) {
            return herd -> text;
        }

        /** A cut asked for: said done once the link is drawn cut. */
        static Claim cutting(Link link) {
            return herd -> herd.edge(link) == EdgeState.CUT
                    ? "link " + link + " cut: both ends dropped it and will not redial"
                    : "cutting link " + link + "…";
        }

        /** A restore asked for: "restoring" until the link is connected. */
        static Claim restoring(Link link) {
            return herd -> switch (herd.edge(link)) {
                case CONNECTED -> "link " + link + " restored (up)";
                case REDIALLING -> "restoring link " + link + ": redialling…";
                case CUT -> "restoring link " + link + "…";
                case DOWN -> "link " + link + " no longer cut; down while " + downEnd(herd, link) + " is down";
            };
        }

        /** A take-down asked for: said done once the server is down. */
        static Claim takingDown(String server) {
            return herd -> {
                HerdSnapshot.ServerSnapshot s = herd.servers().get(server);
                if (s == null) {
                    return server + " is no longer in the herd";
                }
                return s.up() ? "taking " + server + " down…"
                        : server + " taken down: port closed, connections dropped, table forgotten";
            };
        }

        /** A bring-up asked for: "bringing up" until it listens, then its links as they are. */
        static Claim bringingUp(String server) {
            return herd -> {
                HerdSnapshot.ServerSnapshot s = herd.servers().get(server);
                if (s == null) {
                    return server + " is no longer in the herd";
                }
                if (!s.up()) {
                    return "bringing up " + server + "…";
                }
                List<Link> links = herd.links().stream().filter(l -> l.touches(server)).toList();
                List<String> redialling = links.stream().filter(l -> herd.edge(l) == EdgeState.REDIALLING)
                        .map(l -> l.other(server)).toList();
                if (!redialling.isEmpty()) {
                    return server + " up, redialling " + String.join(", ", redialling) + "…";
                }
                long connected = links.stream().filter(l -> herd.edge(l) == EdgeState.CONNECTED).count();
                return server + " brought up (up, " + connected + " of " + links.size() + " links connected)";
            };
        }

        /**
         * Heal all: "healing" until every link it restored is connected and every server it
         * brought up is up with no link redialling; then {@code healed Goloman–Hands, Welsh}.
         */
        static Claim healing(List<Link> links, List<String> servers) {
            List<String> healed = new ArrayList<>();
            links.forEach(l -> healed.add(l.toString()));
            healed.addAll(servers);
            return herd -> {
                List<String> waiting = new ArrayList<>();
                for (Link l : links) {
                    if (herd.edge(l) != EdgeState.CONNECTED) {
                        waiting.add("restoring " + l);
                    }
                }
                for (String server : servers) {
                    HerdSnapshot.ServerSnapshot s = herd.servers().get(server);
                    if (s != null && (!s.up() || herd.links().stream()
                            .anyMatch(l -> l.touches(server) && herd.edge(l) == EdgeState.REDIALLING))) {
                        waiting.add("bringing up " + server);
                    }
                }
                return waiting.isEmpty() ? "healed " + String.join(", ", healed)
                        : "healing: " + String.join(", ", waiting) + "…";
            };
        }

        private static String downEnd(HerdSnapshot herd, Link link) {
            HerdSnapshot.ServerSnapshot a = herd.servers().get(link.dialer());
            return a == null || !a.up() ? link.dialer() : link.acceptor();
        }
    }

    private final AtomicReference<Claim> last;

    /** @param first what the bar says before any action */
    StatusLine(String first) {
        last = new AtomicReference<>(Claim.fixed(first));
    }

    /** The person's latest action, replacing the one before. */
    void say(Claim claim) {
        last.set(claim);
    }

    /** What the bar says for this poll of the herd. */
    String text(HerdSnapshot herd) {
        return last.get().words(herd);
    }
}
