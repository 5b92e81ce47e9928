package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.testing.LineClient;
import herd.engine.testing.StandInGoogle;
import herd.engine.testing.TestHerds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client protocol and flooding on a real five-server herd in this process, over
 * loopback sockets, with a real HTTP server standing in for Google.
 */
class HerdProtocolTest {

    private static final Pattern AT_REPLY = Pattern.compile("AT (\\w+) ([+-]\\d+\\.\\d{9}) (\\S+) (\\S+) (\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path logs;
    static StandInGoogle google;
    static Herd herd;
    static final List<HerdEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startHerd() throws Exception {
        google = new StandInGoogle();
        HerdConfig config = TestHerds.config(logs, google.url(), 1500);
        herd = Herd.create(config, config.serverNames(), TestHerds.keyEnv());
        herd.subscribe(events::add);
        herd.startAll();
        awaitAllLinksUp();
    }

    @AfterAll
    static void stopHerd() {
        herd.close();
        google.close();
    }

    static void awaitAllLinksUp() {
        await().atMost(WAIT).until(() -> herd.servers().stream()
                .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
    }

    private static int port(String name) {
        return TestHerds.port(herd, name);
    }

    private static String newClient() {
        return "client-" + IDS.incrementAndGet() + ".test";
    }

    /** The bytes of {@code chars}, one byte per char: how these tests write lines that are not UTF-8. */
    private static byte[] raw(String chars) {
        return chars.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void awaitEverywhere(String client, String time) {
        await().atMost(WAIT).until(() -> herd.servers().stream().allMatch(s ->
                s.location(client).map(r -> r.clientTime().equals(time)).orElse(false)));
    }

    @Test
    void iamatIsAnsweredWithTheAtLine() throws Exception {
        String reply = LineClient.exchange(port("Goloman"),
                "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.918963997\n");
        var m = AT_REPLY.matcher(reply.strip());
        assertTrue(m.matches(), reply);
        assertTrue(reply.endsWith("\n") && !reply.endsWith("\n\n"), "exactly one line: " + reply);
        assertEquals("Goloman", m.group(1));
        assertTrue(m.group(2).startsWith("+"), "the client's time is in the past");
        assertEquals("kiwi.cs.ucla.edu", m.group(3));
        assertEquals("+34.068930-118.445127", m.group(4));
        assertEquals("1520023934.918963997", m.group(5));
    }

    @Test
    void clientTimeInTheFutureGivesANegativeDifference() throws Exception {
        String reply = LineClient.exchange(port("Hands"), "IAMAT " + newClient() + " +1-1 " + secondsFromNow(60) + ".5\n");
        assertTrue(reply.split(" ")[2].startsWith("-"), reply);
    }

    private static long secondsFromNow(long seconds) {
        return System.currentTimeMillis() / 1000 + seconds;
    }

    @Test
    void farFutureIamatIsRefusedSoALaterRealReportReachesEveryServer() throws Exception {
        // The pin attack: a time no real report can beat would hold the id herd-wide forever,
        // and every later real IAMAT would get a normal-looking AT reply and be discarded.
        String client = newClient();
        String pin = "IAMAT " + client + " +66.5+25.7 99999999999.0";
        assertEquals("? " + pin + "\n", LineClient.exchange(port("Goloman"), pin + "\n"), "refused like any invalid line");
        String now = secondsFromNow(0) + ".25";
        assertTrue(LineClient.exchange(port("Hands"), "IAMAT " + client + " +1+1 " + now + "\n").startsWith("AT Hands "));
        awaitEverywhere(client, now);
        assertEquals(5, herd.servers().size());
    }

    @Test
    void reportJustInsideTheClockSkewIsAcceptedAndJustOutsideIsNot() throws Exception {
        String client = newClient();
        String inside = "IAMAT " + client + " +1+1 " + secondsFromNow(3600 - 30) + ".5";
        assertTrue(LineClient.exchange(port("Welsh"), inside + "\n").startsWith("AT Welsh -"), "accepted, negative difference");
        String outside = "IAMAT " + client + " +2+2 " + secondsFromNow(3600 + 30) + ".5";
        assertEquals("? " + outside + "\n", LineClient.exchange(port("Welsh"), outside + "\n"));
        String longFraction = "IAMAT " + client + " +2+2 " + secondsFromNow(3600 + 30) + ".1234567891234";
        assertEquals("? " + longFraction + "\n", LineClient.exchange(port("Welsh"), longFraction + "\n"), "exact path too");
    }

    @Test
    void reportPropagatesAcrossThreeHops() throws Exception {
        String client = newClient();
        String at = LineClient.exchange(port("Welsh"), "IAMAT " + client + " +34.068930-118.445127 1700000000.5\n")
                .strip();
        awaitEverywhere(client, "1700000000.5");
        String reply = LineClient.exchange(port("Hands"), "WHATSAT " + client + " 10 3\n");
        assertEquals(at, reply.lines().findFirst().orElseThrow(), "Hands answers with Welsh's own AT line");
    }

    @Test
    void newestReportWinsWhereverItArrives() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Welsh"), "IAMAT " + client + " +10+10 200.5\n");
        awaitEverywhere(client, "200.5");
        LineClient.exchange(port("Hands"), "IAMAT " + client + " +20+20 100\n");
        LineClient.exchange(port("Goloman"), "IAMAT " + client + " +30+30 200.50\n"); // equal is not newer
        String marker = newClient();
        LineClient.exchange(port("Hands"), "IAMAT " + marker + " +0+0 1\n");
        LineClient.exchange(port("Goloman"), "IAMAT " + marker + " +0+0 2\n");
        awaitEverywhere(marker, "2"); // links are FIFO: anything sent before the markers has arrived
        for (HerdServer s : herd.servers()) {
            assertEquals("+10+10", s.location(client).orElseThrow().location(), s.name());
        }
        assertTrue(events.stream().noneMatch(e -> e instanceof HerdEvent.LineOut o && o.remote().isPeer()
                && (o.line().endsWith(client + " +20+20 100") || o.line().endsWith(client + " +30+30 200.50"))),
                "a report that is not newer is never forwarded");
    }

    @Test
    void updateIsNotEchoedToTheServerItCameFrom() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Welsh"), "IAMAT " + client + " +1+1 5\n");
        awaitEverywhere(client, "5");
        // Holiday stores a report before it forwards it, so "stored everywhere" does not yet
        // mean "forwarded". Holiday reads Welsh's link in order: once a later report from
        // Welsh has gone through Holiday to Goloman, Holiday is done with the first one.
        // Checked against the mutation "FloodRouter forwards to the source link too".
        String marker = newClient();
        LineClient.exchange(port("Welsh"), "IAMAT " + marker + " +1+1 1\n");
        awaitEverywhere(marker, "1");
        assertTrue(events.stream().anyMatch(e -> e instanceof HerdEvent.LineOut o && o.server().equals("Holiday")
                && o.remote().name().equals("Goloman") && o.line().contains(client)), "the check below can see lines");
        assertTrue(events.stream().noneMatch(e -> e instanceof HerdEvent.LineOut o && o.server().equals("Holiday")
                && o.remote().name().equals("Welsh") && o.line().contains(client)), "Holiday never sends it back");
    }

    @Test
    void forgedAtLineFromAClientIsRefusedAndNotLearned() throws Exception {
        String client = newClient();
        String forged = "AT Goloman +0.000000001 " + client + " +1+1 1800000000";
        assertEquals("? " + forged + "\n", LineClient.exchange(port("Hands"), forged + "\n"));
        String marker = newClient();
        LineClient.exchange(port("Hands"), "IAMAT " + marker + " +0+0 1\n");
        awaitEverywhere(marker, "1");
        assertTrue(herd.servers().stream().allMatch(s -> s.location(client).isEmpty()));
    }

    @Test
    void peerHandshakeFromANonNeighbourIsAnInvalidCommand() throws Exception {
        assertEquals("? HERD-PEER Welsh Hands\n", LineClient.exchange(port("Hands"), "HERD-PEER Welsh Hands\n"));
        assertEquals("? HERD-PEER Goloman Holiday\n", LineClient.exchange(port("Hands"), "HERD-PEER Goloman Holiday\n"));
        // a handshake that is not the first line is an ordinary invalid command
        assertEquals("? x\n? HERD-PEER Goloman Hands\n", LineClient.exchange(port("Hands"), "x\nHERD-PEER Goloman Hands\n"));
    }

    @Test
    void invalidCommandsAreEchoedAndTheConnectionStaysOpen() throws Exception {
        try (LineClient c = new LineClient(port("Holiday"))) {
            c.send("iamat a +1+1 1\n");
            assertEquals("? iamat a +1+1 1", c.readLine());
            c.send("WHATSAT nobody-knows-me 10 5\r\n");
            assertEquals("? WHATSAT nobody-knows-me 10 5", c.readLine());
            c.send("  \t \n\nIAMAT a +91+1 1\n");
            assertEquals("? IAMAT a +91+1 1", c.readLine());
            c.send("IAMAT z +1+1 1\n");
            assertTrue(c.readLine().startsWith("AT Holiday "));
        }
    }

    @Test
    void whatsatAnswersAtLineAndGoogleJsonCutToTheBound() throws Exception {
        String client = newClient();
        String at = LineClient.exchange(port("Goloman"), "IAMAT " + client + " +34.068930-118.445127 1600000000\n").strip();
        int before = google.requests.size();
        String reply = LineClient.exchange(port("Goloman"), "WHATSAT " + client + " 10 3\n");
        assertTrue(reply.startsWith(at + "\n{\n   \"html_attributions\" : [],\n   \"next_page_token\" : \"CvQ-tok\",\n"), reply);
        assertTrue(reply.endsWith("\n   ],\n   \"status\" : \"OK\"\n}\n\n"), reply);
        assertFalse(reply.substring(0, reply.length() - 2).contains("\n\n"), "no blank line inside");
        assertEquals(3, reply.split("\"name\"", -1).length - 1, "cut to 3 results");
        assertTrue(reply.contains("\"name\" : \"Café Nº2\""), "UTF-8 kept");
        assertTrue(reply.contains("\"types\" : [ \"cafe\", \"food\" ]"), reply);
        Map<String, String> request = google.requests.get(before);
        assertEquals("34.068930,-118.445127", request.get("location"));
        assertEquals("10000", request.get("radius"), "radius in metres");
        assertEquals(StandInGoogle.KEY, request.get("key"));
    }

    @Test
    void fractionalRadiusIsSentInMetres() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Wilkes"), "IAMAT " + client + " +1.5-2.25 1600000000\n");
        int before = google.requests.size();
        LineClient.exchange(port("Wilkes"), "WHATSAT " + client + " 0.25 20\n");
        assertEquals("250", google.requests.get(before).get("radius"));
        assertEquals("1.5,-2.25", google.requests.get(before).get("location"));
    }

    @Test
    void googleErrorStatusPassesThroughAsSent() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Goloman"), "IAMAT " + client + " +5+5 1\n");
        google.answer("5,5", StandInGoogle.Answer.ok(
                "{\"html_attributions\":[],\"results\":[],\"status\":\"OVER_QUERY_LIMIT\",\"error_message\":\"slow down\"}"));
        String reply = LineClient.exchange(port("Goloman"), "WHATSAT " + client + " 1 1\n");
        assertTrue(reply.endsWith("""
                {
                   "html_attributions" : [],
                   "results" : [],
                   "status" : "OVER_QUERY_LIMIT",
                   "error_message" : "slow down"
                }

                """), reply);
    }

    @Test
    void httpErrorBecomesUnknownError() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Goloman"), "IAMAT " + client + " +6+6 1\n");
        google.answer("6,6", new StandInGoogle.Answer(500, "oops", null));
        String reply = LineClient.exchange(port("Goloman"), "WHATSAT " + client + " 1 1\n");
        assertTrue(reply.endsWith("""
                {
                   "html_attributions" : [],
                   "results" : [],
                   "status" : "UNKNOWN_ERROR",
                   "error_message" : "Places answered HTTP 500"
                }

                """), reply);
    }

    @Test
    void malformedBodyBecomesUnknownError() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Goloman"), "IAMAT " + client + " +7+7 1\n");
        google.answer("7,7", StandInGoogle.Answer.ok("{\"results\": [ oops"));
        String reply = LineClient.exchange(port("Goloman"), "WHATSAT " + client + " 1 1\n");
        assertTrue(reply.contains("\"status\" : \"UNKNOWN_ERROR\",\n   \"error_message\" : \"Places answered a body that is not JSON\""),
                reply);
        assertFalse(reply.contains(StandInGoogle.KEY));
    }

    @Test
    void stalledPlacesCallTimesOutWithoutBlockingOtherClients() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Goloman"), "IAMAT " + client + " +8+8 1\n");
        CountDownLatch never = new CountDownLatch(1);
        google.answer("8,8", new StandInGoogle.Answer(200, StandInGoogle.body(1), never));
        try (LineClient stalled = new LineClient(port("Goloman"))) {
            stalled.send("WHATSAT " + client + " 1 1\n");
            // while Places stalls, another client on the same server is answered at once
            String other = LineClient.exchange(port("Goloman"), "IAMAT " + newClient() + " +1+1 1\n");
            assertTrue(other.startsWith("AT Goloman "), other);
            assertEquals(1, never.getCount(), "the stalled call is still pending");
            String reply = stalled.finish();
            assertTrue(reply.contains("\"error_message\" : \"Places did not answer within 1500 ms\""), reply);
        } finally {
            never.countDown();
        }
    }

    @Test
    void pipelinedRepliesKeepCommandOrderBehindASlowWhatsat() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Wilkes"), "IAMAT " + client + " +9+9 1\n");
        CountDownLatch release = new CountDownLatch(1);
        google.answer("9,9", new StandInGoogle.Answer(200, StandInGoogle.body(2), release));
        String later = newClient();
        try (LineClient c = new LineClient(port("Wilkes"))) {
            c.send("WHATSAT " + client + " 5 2\nIAMAT " + later + " +1+1 2\nbogus\n");
            // the IAMAT behind the stalled WHATSAT has been processed (stored) but not answered
            await().atMost(WAIT).until(() -> herd.server("Wilkes").location(later).isPresent());
            release.countDown();
            String all = c.finish();
            String[] parts = all.split("\n\n", 2);
            assertTrue(parts[0].startsWith("AT "), all);
            assertTrue(parts[0].contains("\"status\" : \"OK\""), all);
            assertTrue(parts[1].startsWith("AT Wilkes "), all);
            assertTrue(parts[1].contains(later), all);
            assertTrue(parts[1].endsWith("\n? bogus\n"), all);
        }
    }

    @Test
    void halfClosingClientGetsEveryReplyThenTheServerCloses() throws Exception {
        String a = newClient();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            many.append("IAMAT ").append(a).append(" +1+1 ").append(i + 1).append('\n');
        }
        many.append("WHATSAT ").append(a).append(" 1 1\n").append("IAMAT ").append(a).append(" +1+1 999"); // last line, no \n
        String all = LineClient.exchange(port("Hands"), many.toString());
        List<String> lines = all.lines().toList();
        assertTrue(lines.get(0).endsWith(a + " +1+1 1"));
        assertTrue(lines.get(199).endsWith(a + " +1+1 200"));
        assertTrue(lines.get(200).startsWith("AT Hands "), "WHATSAT answers with the newest AT line");
        assertTrue(all.endsWith("}\n\nAT " + lines.get(lines.size() - 1).substring(3) + "\n"), all);
        assertTrue(lines.get(lines.size() - 1).endsWith(a + " +1+1 999"), "the unterminated last line is a command");
    }

    @Test
    void crlfAndUtf8AreHandled() throws Exception {
        String reply = LineClient.exchange(port("Welsh"), "IAMAT Zoë's-📱 +1+1 1.5\r\n");
        assertTrue(reply.endsWith(" Zoë's-📱 +1+1 1.5\n"), reply);
        assertTrue(herd.server("Welsh").location("Zoë's-📱").isPresent(), "the API finds a UTF-8 id by its text");
        String bad = LineClient.exchange(port("Welsh"), "héllo wörld\r\n");
        assertEquals("? héllo wörld\n", bad);
    }

    @Test
    void invalidLineIsEchoedByteForByte() throws Exception {
        // Malformed UTF-8, a NUL and a C1 byte come back as sent; CRLF and LF are terminators, not
        // line bytes; a last line without \n has no terminator, so its \r is the line's own.
        byte[] reply = LineClient.exchange(port("Goloman"),
                raw("\u00ff\u00fe IAMAT x\r\nnul\u0000\u0085 \u00c3( \u00ed\u00a0\u0080\nlast\u00ff\r"));
        assertArrayEquals(raw("? \u00ff\u00fe IAMAT x\n? nul\u0000\u0085 \u00c3( \u00ed\u00a0\u0080\n? last\u00ff\r\n"),
                reply, () -> new String(reply, StandardCharsets.ISO_8859_1));
    }

    @Test
    void clientIdIsItsBytesFromIamatToWhatsatAtAnotherServer() throws Exception {
        byte[] id = raw(newClient() + "-\u00ff\u00c3(\u0000");
        byte[] at = LineClient.exchange(port("Welsh"), concat(raw("IAMAT "), id, raw(" +1+1 1700000000\n")));
        String atText = new String(at, StandardCharsets.ISO_8859_1);
        assertTrue(atText.matches("AT Welsh [+-]\\d+\\.\\d{9} .* \\+1\\+1 1700000000\n"), atText);
        assertArrayEquals(concat(raw(atText.substring(0, atText.indexOf(" ", 9) + 1)), id, raw(" +1+1 1700000000\n")), at,
                atText);
        String marker = newClient();
        LineClient.exchange(port("Welsh"), "IAMAT " + marker + " +0+0 1\n");
        awaitEverywhere(marker, "1"); // links are FIFO: the report sent before the marker has arrived
        byte[] reply = LineClient.exchange(port("Hands"), concat(raw("WHATSAT "), id, raw(" 10 1\n")));
        assertArrayEquals(at, Arrays.copyOf(reply, at.length), "Hands answers with Welsh's AT line, byte for byte");
        assertTrue(new String(reply, StandardCharsets.UTF_8).contains("\"status\" : \"OK\""));
    }

    @Test
    void idsThatDifferOnlyInMalformedBytesAreDistinctClients() throws Exception {
        // Each id decodes to the same text (its last byte becomes U+FFFD), so only bytes tell them apart.
        String base = newClient() + "-";
        byte[] ff = raw(base + "\u00ff");
        byte[] fe = raw(base + "\u00fe");
        LineClient.exchange(port("Goloman"), concat(raw("IAMAT "), ff, raw(" +11+11 5\n")));
        LineClient.exchange(port("Goloman"), concat(raw("IAMAT "), fe, raw(" +12+12 6\n")));
        String marker = newClient();
        LineClient.exchange(port("Goloman"), "IAMAT " + marker + " +0+0 1\n");
        awaitEverywhere(marker, "1");
        for (String server : List.of("Goloman", "Welsh")) {
            assertTrue(whatsatFirstLine(server, ff).endsWith(base + "\u00ff +11+11 5"), server);
            assertTrue(whatsatFirstLine(server, fe).endsWith(base + "\u00fe +12+12 6"), server);
            byte[] unknown = concat(raw("WHATSAT "), raw(base + "\u00fd"), raw(" 1 1"));
            assertArrayEquals(concat(raw("? "), unknown, raw("\n")),
                    LineClient.exchange(port(server), concat(unknown, raw("\n"))), server);
        }
        // for people (the API, the monitor) an id is its UTF-8 text: two clients, one text
        assertEquals(2, herd.server("Welsh").locations().stream().filter(r -> r.clientId().equals(base + "\uFFFD")).count());
    }

    /** The first line of the WHATSAT reply for {@code id}, one char per byte. */
    private static String whatsatFirstLine(String server, byte[] id) throws IOException {
        byte[] reply = LineClient.exchange(port(server), concat(raw("WHATSAT "), id, raw(" 1 1\n")));
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf('\n'));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void overlongLineIsAnsweredWithAPrefixAndTheConnectionClosed() throws Exception {
        byte[] huge = new byte[200_000];
        java.util.Arrays.fill(huge, (byte) 'x');
        try (LineClient c = new LineClient(port("Holiday"))) {
            c.send("IAMAT ok +1+1 1\n");
            assertTrue(c.readLine().startsWith("AT Holiday"));
            c.sendBytes(huge);
            String reply = c.readToEnd(); // the server closes: no half-close needed
            assertTrue(reply.startsWith("? xxxx"), reply.substring(0, 20));
            assertEquals(2 + 64 * 1024 + 1, reply.getBytes(StandardCharsets.UTF_8).length, "? + 64 KiB prefix + \\n");
        }
    }

    @Test
    void eventLogHasOneParsableLinePerEvent() throws Exception {
        String client = newClient();
        LineClient.exchange(port("Welsh"), "IAMAT " + client + " +1+1 1\nbad\tline\n");
        awaitEverywhere(client, "1");
        Pattern line = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z [A-Z_]+ (client/[\\d.:]+|peer/\\w+|-)( .*)?");
        await().atMost(WAIT).until(() -> Files.readString(logs.resolve("Hands.log")).contains("LEARNED peer/"));
        await().atMost(WAIT).until(() -> Files.readString(logs.resolve("Welsh.log")).contains("? bad\\tline"));
        for (String server : herd.config().serverNames()) {
            List<String> lines = Files.readAllLines(logs.resolve(server + ".log"));
            assertFalse(lines.isEmpty(), server);
            for (String l : lines) {
                assertTrue(line.matcher(l).matches(), server + ": " + l);
                assertFalse(l.contains(StandInGoogle.KEY), "never the key");
            }
        }
        String welsh = Files.readString(logs.resolve("Welsh.log"));
        assertTrue(welsh.contains(" IN client/127.0.0.1:"), welsh);
        assertTrue(welsh.contains(" PEER_OUT peer/Holiday AT Welsh "), welsh);
        assertTrue(welsh.contains(" PEER_UP peer/Holiday via 127.0.0.1:"), welsh);
    }

    @Test
    void whatsatReplyIsLoggedAsItsAtLineWithSizeAndCount() throws Exception {
        String client = newClient();
        String at = LineClient.exchange(port("Hands"), "IAMAT " + client + " +2+3 1\n").strip();
        String reply = LineClient.exchange(port("Hands"), "WHATSAT " + client + " 2 4\n");
        assertTrue(reply.contains("\"status\" : \"OK\""), "Places answered in time: " + reply);
        int jsonBytes = reply.getBytes(StandardCharsets.UTF_8).length - at.length() - 3;
        await().atMost(WAIT).until(() -> Files.readString(logs.resolve("Hands.log"))
                .contains(" OUT client/127.0.0.1:"));
        await().atMost(WAIT).until(() -> Files.readString(logs.resolve("Hands.log"))
                .contains(at + " [json " + jsonBytes + " bytes, 4 results]"));
    }

    @Test
    void aClientResetMidWhatsatIsClosedWithItsCauseAndDisturbsNoOne() throws Exception {
        // Checked against two mutations: exceptionCaught not closing the connection itself (MINA
        // then closes it without the cause: "closed by remote"), and sessionClosed not freeing
        // the client's slot.
        String client = newClient();
        LineClient.exchange(port("Goloman"), "IAMAT " + client + " +7+7 1\n");
        CountDownLatch release = new CountDownLatch(1);
        google.answer("7,7", new StandInGoogle.Answer(200, StandInGoogle.body(3), release));
        int from = events.size();
        int party;
        try (Socket vanishing = new Socket("127.0.0.1", port("Goloman"))) {
            party = vanishing.getLocalPort();
            vanishing.setSoLinger(true, 0); // close with a reset: the server's next read fails
            vanishing.getOutputStream().write(("WHATSAT " + client + " 1 1\n").getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> google.requests.stream().anyMatch(q -> "7,7".equals(q.get("location"))));
        }
        try {
            await().atMost(WAIT).until(() -> events.subList(from, events.size()).stream().anyMatch(e ->
                    e instanceof HerdEvent.ConnectionClosed c && c.server().equals("Goloman")
                            && c.remote().equals(Party.client("127.0.0.1:" + party))
                            && c.reason().startsWith("connection error: ")));
        } finally {
            release.countDown(); // Places answers now; the reply has nowhere to go
        }
        String later = newClient();
        String all = LineClient.exchange(port("Goloman"), "WHATSAT " + client + " 1 1\nIAMAT " + later + " +1+1 1\n");
        String[] parts = all.split("\n\n", 2);
        assertTrue(parts[0].startsWith("AT Goloman ") && parts[0].contains("\"status\" : \"OK\""), all);
        assertTrue(parts[1].matches("AT Goloman [+-]\\d+\\.\\d{9} " + Pattern.quote(later) + " \\+1\\+1 1\n"), all);
        await().atMost(WAIT).until(() -> herd.server("Goloman").stats().clientsOpen() == 0);
        assertTrue(events.subList(from, events.size()).stream().noneMatch(e -> e instanceof HerdEvent.Notice n && n.error()),
                "no error was reported");
    }
}
