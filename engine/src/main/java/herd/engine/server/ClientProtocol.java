package herd.engine.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.LocationReport;
import herd.engine.io.LineFramer;
import herd.engine.node.NodeContext;
import herd.engine.peer.FloodRouter;
import herd.engine.peer.LocationTable;
import herd.engine.places.GoogleJson;
import herd.engine.places.PlacesAnswers;
import herd.engine.places.PlacesProvider;
import herd.engine.places.PlacesQuery;
import herd.engine.protocol.AtLine;
import herd.engine.protocol.Command;
import herd.engine.protocol.CommandParser;
import herd.engine.protocol.ReportParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client protocol of SPEC §2 on one server: IAMAT stores and floods the report, then
 * answers its AT line; WHATSAT asks Places and answers when it does, in command order
 * ({@link ReplySequencer}); anything else, an IAMAT further ahead of the server's clock than
 * {@code limits.maxClockSkewSeconds} included, is answered {@code ? line}. Runs on I/O threads
 * and never blocks; Places answers complete replies on the provider's threads.
 */
final class ClientProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(ClientProtocol.class);
    private static final long OVERLONG_LINGER_MS = 2000;

    private final NodeContext node;
    private final LocationTable table;
    private final FloodRouter router;
    private final PlacesProvider places;
    private final ClientSlots slots;
    /** This server's name as it starts every AT line it makes. */
    private final byte[] serverName;

    ClientProtocol(NodeContext node, LocationTable table, FloodRouter router, PlacesProvider places,
                   ClientSlots slots) {
        this.node = node;
        this.table = table;
        this.router = router;
        this.places = places;
        this.slots = slots;
        this.serverName = node.name().getBytes(StandardCharsets.UTF_8);
    }

    void onFrame(ClientSession s, LineFramer.Frame frame) {
        Instant received = node.now();
        node.events().lineIn(received, s.connection.party(), frame.bytes(), frame.length());
        if (frame.overlong()) {
            // the framer now discards all input; reading goes on so the close is clean
            invalid(s, frame);
            s.replies.whenDrained(() -> s.connection.closeGracefully(
                    "line longer than " + node.limits().maxLineBytes() + " bytes", node.timer(), OVERLONG_LINGER_MS));
            return;
        }
        ReportParser report = s.reports;
        if (report.iAmAt(frame.bytes(), frame.length())) {
            // the common line, read on its bytes: no string but the client id, no regex, no BigDecimal
            if (admitted(s)) {
                if (report.time().isTooFarAhead(received, node.limits().maxClockSkewSeconds())) {
                    invalid(s, frame); // a far-future time would pin the client herd-wide
                    return;
                }
                node.counters().iamatIn.increment();
                byte[] at = report.reply(serverName, received.getEpochSecond(), received.getNano());
                router.offer(report.clientId(), report.time(), at, s.connection.party(), null); // forward before replying
                s.replies.reply(Reply.line(at));
            }
            return;
        }
        long read = System.nanoTime(); // a WHATSAT's latency starts here (an IAMAT never pays for the call)
        Optional<Command> parsed = CommandParser.parse(frame.bytes(), frame.length()); // ids as the bytes sent
        if (parsed.isEmpty()) {
            node.counters().ignoredIn.increment(); // blank lines are ignored
            return;
        }
        if (!admitted(s)) {
            return;
        }
        if (parsed.get() instanceof Command.WhatsAt whatsAt) {
            whatsAt(s, whatsAt, frame, read);
        } else {
            invalid(s, frame); // an IAMAT here is a malformed one
        }
    }

    /** Answers {@code ? line}. */
    private void invalid(ClientSession s, LineFramer.Frame frame) {
        node.counters().invalidIn.increment();
        s.replies.reply(Reply.invalid(frame));
    }

    /** True when {@code s} may have its command answered: its first command takes a client slot. */
    private boolean admitted(ClientSession s) {
        if (!s.commanded && !slots.withinCap()) {
            node.counters().ignoredIn.increment();
            s.connection.close(slots.refusal());
            return false;
        }
        s.commanded = true;
        return true;
    }

    /** A WHATSAT whose line was read at {@code asked} ({@link System#nanoTime()}). */
    private void whatsAt(ClientSession s, Command.WhatsAt cmd, LineFramer.Frame frame, long asked) {
        // The stored line itself, not one rebuilt from a LocationReport: that one's id is text
        // for people and would turn malformed UTF-8 into U+FFFD.
        byte[] at = table.line(cmd.clientId());
        if (at == null) {
            invalid(s, frame);
            return;
        }
        node.counters().whatsatIn.increment();
        LocationReport where = AtLine.parse(at, at.length).orElseThrow(); // the table holds well-formed lines only
        ReplySequencer.Slot slot = s.replies.reserve();
        places.nearby(PlacesQuery.of(where, cmd)).whenComplete((answer, failure) -> s.replies.complete(slot,
                () -> whatsAtReply(at, failure == null ? answer
                        : PlacesAnswers.error("UNKNOWN_ERROR", "Places lookup failed"), cmd.bound(), asked),
                e -> {
                    LOG.warn("{}: could not build the WHATSAT reply for {}", node.name(), where.clientId(), e);
                    return whatsAtReply(at, PlacesAnswers.error("UNKNOWN_ERROR", "Places lookup failed"),
                            cmd.bound(), asked);
                }));
    }

    /**
     * The reply to a WHATSAT asked at {@code askedAtNanos} ({@link System#nanoTime()}): the
     * stored AT line {@code at} as it is, then the JSON.
     */
    static Reply whatsAtReply(byte[] at, ObjectNode answer, int bound, long askedAtNanos) {
        ObjectNode cut = PlacesAnswers.cut(answer, bound);
        String json = GoogleJson.print(cut);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        // The log's text of the line is its UTF-8, as for every logged line (display only).
        return new Reply(at, json + "\n\n", new String(at, StandardCharsets.UTF_8) + " [json " + bytes + " bytes, "
                + PlacesAnswers.resultCount(cut) + " results]", askedAtNanos);
    }

    /** Sends {@code reply} to the client of {@code s}, in order (the sequencer's callback). */
    void send(ClientSession s, Reply reply) {
        if (s.connection.session.isClosing()) {
            return;
        }
        long limit = node.limits().clientQueueBytes();
        if (s.connection.queuedBytes() > limit) {
            s.connection.close("client is not reading: more than " + limit + " bytes queued");
            return;
        }
        s.connection.writeLine(reply.line());
        if (reply.rest() != null) {
            s.connection.write(reply.rest().getBytes(StandardCharsets.UTF_8));
        }
        node.counters().repliesOut.increment();
        if (reply.isWhatsAt()) {
            node.counters().whatsAtLatency.observe(System.nanoTime() - reply.askedAtNanos());
        }
        if (reply.rest() == null) {
            node.events().lineOut(node.now(), s.connection.party(), reply.line());
        } else {
            node.events().lineOut(node.now(), s.connection.party(), reply.logged());
        }
    }
}
