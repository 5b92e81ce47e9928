package herd.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.places.GoogleJson;
import herd.engine.places.PlacesAnswers;
import herd.engine.places.PlacesQuery;
import herd.engine.protocol.Command;
import herd.engine.protocol.CommandParser;
import herd.engine.protocol.TimeDifference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MINA handler of one server, for accepted and dialled connections alike: frames
 * bytes into lines, then dispatches each line as a client command (SPEC §2) or a peer
 * message (SPEC §3). Runs on MINA I/O threads and never blocks: WHATSAT hands its reply to
 * the connection's {@link ReplySequencer} when Places answers.
 */
final class ServerHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);
    private static final long OVERLONG_LINGER_MS = 2000;

    private final HerdServer server;

    ServerHandler(HerdServer server) {
        this.server = server;
    }

    @Override
    public void sessionCreated(IoSession session) {
        if (Connection.of(session) == null) {
            Connection.accepted(session, server.context().limits().maxLineBytes(),
                    new ReplySequencer(reply -> sendReply(session, reply)));
        }
    }

    @Override
    public void sessionOpened(IoSession session) {
        Connection c = Connection.of(session);
        int open = c.isClient() ? server.stats.clientsOpen.incrementAndGet() : 0;
        server.emit(new HerdEvent.ConnectionOpened(now(), server.name(), c.party));
        // Headroom for the neighbours, which arrive looking like clients until their handshake.
        if (open > server.context().limits().maxClients() + server.neighbourCount()) {
            c.close(tooManyClients());
            return;
        }
        if (c.role == Connection.Role.DIALING) {
            server.handshake().open(c);
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        Connection c = Connection.of(session);
        IoBuffer buffer = (IoBuffer) message;
        // Every reply and peer line this read causes leaves in one write per connection.
        WriteBatch.during(() -> c.framer.feed(buffer.buf(), frame -> onFrame(c, frame)));
    }

    @Override
    public void inputClosed(IoSession session) {
        Connection c = Connection.of(session);
        if (c.inputDone) {
            return;
        }
        c.inputDone = true;
        session.suspendRead(); // MINA fires inputClosed on every later read otherwise
        c.framer.endOfInput(frame -> onFrame(c, frame));
        if (c.framer.overflowed()) {
            c.closeAfterFlush("line longer than " + server.context().limits().maxLineBytes() + " bytes");
        } else if (c.isClient()) {
            c.replies.whenDrained(() -> c.closeAfterFlush("client closed its sending side; all replies sent"));
        } else {
            c.close("peer closed the connection");
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        Connection c = Connection.of(session);
        if (c == null) {
            return;
        }
        if (c.isClient()) {
            server.stats.clientsOpen.decrementAndGet();
        }
        String reason = c.closeReason != null ? c.closeReason : "closed by remote";
        server.emit(new HerdEvent.ConnectionClosed(now(), server.name(), c.party, reason));
        if (c.link != null) {
            c.link.closed(session, reason);
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        Connection c = Connection.of(session);
        if (event == SslEvent.SECURED && c != null && c.link != null) {
            server.handshake().tlsSecured(c);
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        Connection c = Connection.of(session);
        if (c == null) {
            return;
        }
        switch (IdleRule.onIdle(c.link != null, status)) {
            case CLOSE_IDLE_CLIENT -> c.close("idle for " + server.context().limits().idleTimeoutSeconds() + " s");
            case SEND_HEARTBEAT -> c.link.heartbeat(session);
            case CLOSE_SILENT_PEER -> c.close(c.role == Connection.Role.PEER
                    ? "no line from peer " + c.link.peer + " for " + PeerLink.SILENCE_SECONDS + " s"
                    : "handshake with " + c.link.peer + " took over " + PeerLink.SILENCE_SECONDS + " s");
            case NONE -> { }
        }
    }

    private String tooManyClients() {
        return "refused: " + server.context().limits().maxClients() + " client connections already open (limits.maxClients)";
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        Connection c = Connection.of(session);
        String what = cause instanceof IOException ? cause.getMessage() : cause.toString();
        if (!(cause instanceof IOException)) {
            LOG.warn("{}: unexpected failure on {}", server.name(), c == null ? session : c.party, cause);
        }
        if (c != null) {
            c.close("connection error: " + what);
        } else {
            session.closeNow();
        }
    }

    private void onFrame(Connection c, LineFramer.Frame frame) {
        switch (c.role) {
            case NEW, CLIENT -> onClientFrame(c, frame);
            case DIALING -> server.handshake().onAnswer(c, frame);
            case AUTHENTICATING -> server.handshake().onProof(c, frame);
            case PEER -> onPeerFrame(c, frame);
            default -> throw new IllegalStateException("unknown role " + c.role);
        }
    }

    // ---- clients -------------------------------------------------------------------------

    private void onClientFrame(Connection c, LineFramer.Frame frame) {
        Instant received = now();
        String line = frame.text();
        if (c.role == Connection.Role.NEW && frame instanceof LineFramer.Frame.Line
                && (line.startsWith(PeerTls.REQUEST + " ") && c.link == null && server.handshake().acceptTls(c, line)
                    || line.startsWith(PeerLink.HELLO + " ") && server.handshake().accept(c, line))) {
            return;
        }
        server.stats.clientLinesIn.increment();
        server.emit(new HerdEvent.LineIn(received, server.name(), c.party, line));
        if (frame instanceof LineFramer.Frame.Overlong) {
            // the framer now discards all input; reading goes on so the close is clean
            c.replies.reply(Reply.invalid(line));
            c.replies.whenDrained(() -> c.closeGracefully(
                    "line longer than " + server.context().limits().maxLineBytes() + " bytes",
                    server.context().timer(), OVERLONG_LINGER_MS));
            return;
        }
        Optional<Command> parsed = CommandParser.parse(line);
        if (parsed.isEmpty()) {
            return; // blank lines are ignored
        }
        if (c.role == Connection.Role.NEW
                && server.stats.clientsOpen.get() > server.context().limits().maxClients()) {
            c.close(tooManyClients());
            return;
        }
        c.role = Connection.Role.CLIENT;
        Command command = parsed.get();
        if (command instanceof Command.IAmAt iAmAt) {
            iAmAt(c, iAmAt, received);
        } else if (command instanceof Command.WhatsAt whatsAt) {
            whatsAt(c, whatsAt, line);
        } else {
            c.replies.reply(Reply.invalid(line));
        }
    }

    private void iAmAt(Connection c, Command.IAmAt cmd, Instant received) {
        LocationReport report = new LocationReport(server.name(), TimeDifference.format(received, cmd.time()),
                cmd.clientId(), cmd.location().text(), cmd.timeText());
        server.router().offer(report, c.party, null); // forward before replying
        c.replies.reply(Reply.line(report.atLine()));
    }

    private void whatsAt(Connection c, Command.WhatsAt cmd, String line) {
        Optional<LocationReport> known = server.table.get(cmd.clientId());
        if (known.isEmpty()) {
            c.replies.reply(Reply.invalid(line));
            return;
        }
        LocationReport where = known.get();
        ReplySequencer.Slot slot = c.replies.reserve();
        server.places().nearby(PlacesQuery.of(where, cmd))
                .exceptionally(failure -> PlacesAnswers.error("UNKNOWN_ERROR", "Places lookup failed"))
                .thenAccept(answer -> c.replies.complete(slot, whatsAtReply(where, answer, cmd.bound())));
    }

    static Reply whatsAtReply(LocationReport where, ObjectNode answer, int bound) {
        ObjectNode cut = PlacesAnswers.cut(answer, bound);
        String json = GoogleJson.print(cut);
        String at = where.atLine();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        return new Reply(at + "\n" + json + "\n\n",
                at + " [json " + bytes + " bytes, " + PlacesAnswers.resultCount(cut) + " results]");
    }

    private void sendReply(IoSession session, Reply reply) {
        Connection c = Connection.of(session);
        if (session.isClosing()) {
            return;
        }
        if (session.getScheduledWriteBytes() > server.context().limits().clientQueueBytes()) {
            c.close("client is not reading: more than " + server.context().limits().clientQueueBytes()
                    + " bytes queued");
            return;
        }
        c.write(reply.wire().getBytes(StandardCharsets.UTF_8));
        server.stats.repliesOut.increment();
        server.emit(new HerdEvent.LineOut(now(), server.name(), c.party, reply.logged()));
    }

    // ---- peers (the handshake is PeerHandshake's) ------------------------------------------

    private void onPeerFrame(Connection c, LineFramer.Frame frame) {
        if (frame.text().equals(PeerLink.HEARTBEAT)) {
            return; // its arrival alone resets the silence timer
        }
        server.stats.peerLinesIn.increment();
        server.emit(new HerdEvent.LineIn(now(), server.name(), c.party, frame.text()));
        if (frame instanceof LineFramer.Frame.Overlong) {
            c.close("peer sent a line longer than " + server.context().limits().maxLineBytes() + " bytes");
            return;
        }
        Optional<LocationReport> report = LocationReport.parseAtLine(frame.text());
        if (report.isPresent()) {
            server.router().offer(report.get(), c.party, c.link);
        } else if (!frame.text().isBlank()) {
            server.emit(new HerdEvent.Notice(now(), server.name(), true,
                    "ignored a malformed line from peer " + c.link.peer));
        }
    }

    private Instant now() {
        return server.context().clock().instant();
    }
}
