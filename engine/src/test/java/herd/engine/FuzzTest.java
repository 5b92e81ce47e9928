package herd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import herd.engine.config.HerdConfig;
import herd.engine.config.Limits;
import herd.engine.config.PlacesSettings;
import herd.engine.protocol.AtLine;
import herd.engine.protocol.Command;
import herd.engine.protocol.CommandParser;
import herd.engine.protocol.Fields;
import herd.engine.testing.LineClient;
import herd.engine.testing.TestHerds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input, generated from a seed: random bytes, mutations of valid commands, NUL,
 * invalid UTF-8, long lines. Every line must get exactly one reply, in order — the reply its
 * command calls for, {@code ? } and the line only where the line is invalid — and the server
 * must live on. The seed is
 * printed; replay a failure with {@code -Dherd.fuzz.seed=N}.
 */
class FuzzTest {

    static long seed;

    @TempDir
    Path logs;

    @BeforeAll
    static void pickSeed() {
        String given = System.getProperty("herd.fuzz.seed");
        seed = given != null ? Long.parseLong(given) : System.nanoTime();
        System.out.println("FuzzTest seed: " + seed + " (replay with -Dherd.fuzz.seed=" + seed + ")");
    }

    private static final String[] TEMPLATES = {
        "IAMAT fz +34.068930-118.445127 1520023934.918963997",
        "IAMAT kiwi.cs.ucla.edu -90+180 1",
        "WHATSAT fz 10 5",
        "WHATSAT fz 50 20",
        "WHATSAT nobody 1 1",
        "AT Goloman +0.263873386 fz +34.068930-118.445127 1520023934.918963997",
        "HERD-PEER Goloman Hands",
        "IAMAT Zoë-📱 +0.5-0.5 0.000000001",
    };

    /** One random line (no {@code \n} inside), as bytes. */
    static byte[] randomLine(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) { // raw bytes, any value but newline
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\n') {
                    b[i] = 0;
                }
            }
            return b;
        }
        if (kind == 1) { // white space only
            StringBuilder s = new StringBuilder();
            for (int i = r.nextInt(6); i > 0; i--) {
                s.append(" \t\r\f\u000B".charAt(r.nextInt(5)));
            }
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }
        String base = TEMPLATES[r.nextInt(TEMPLATES.length)];
        byte[] b = base.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b);
        byte[] m = out.toByteArray();
        for (int i = r.nextInt(4); i > 0 && m.length > 0; i--) {
            m = mutate(m, r);
        }
        return m;
    }

    private static byte[] mutate(byte[] b, Random r) {
        int at = r.nextInt(b.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (r.nextInt(7)) {
            case 0 -> { // delete a byte
                out.write(b, 0, at);
                out.write(b, at + 1, b.length - at - 1);
            }
            case 1 -> { // replace with a random byte (not newline)
                out.writeBytes(b);
                byte[] c = out.toByteArray();
                int v = r.nextInt(255) + 1;
                c[at] = (byte) (v == '\n' ? 0 : v);
                return c;
            }
            case 2 -> { // insert something nasty
                byte[][] nasty = {{0}, {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {'\r'}, {'\t'},
                    " ".getBytes(), "+".getBytes(), "-".getBytes(), ".".getBytes(), "9".repeat(30).getBytes()};
                out.write(b, 0, at);
                out.writeBytes(nasty[r.nextInt(nasty.length)]);
                out.write(b, at, b.length - at);
            }
            case 3 -> { // duplicate a span
                int len = r.nextInt(Math.min(20, b.length - at)) + 1;
                out.write(b, 0, at + len);
                out.write(b, at, b.length - at);
            }
            case 4 -> { // truncate
                out.write(b, 0, at);
            }
            case 5 -> { // change case of a letter
                out.writeBytes(b);
                byte[] c = out.toByteArray();
                if (Character.isLetter(c[at])) {
                    c[at] ^= 0x20;
                }
                return c;
            }
            default -> { // grow: a long field, still under the line limit
                out.write(b, 0, at);
                out.writeBytes("z".repeat(r.nextInt(3000)).getBytes());
                out.write(b, at, b.length - at);
            }
        }
        return out.toByteArray();
    }

    private static boolean blank(String line) {
        return line.chars().allMatch(c -> " \t\r\f\u000B".indexOf(c) >= 0);
    }

    @Test
    void parserAnswersEveryRandomLineWithoutThrowing() {
        Random r = new Random(seed);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            String line = new String(randomLine(r), StandardCharsets.UTF_8);
            Optional<Command> c = CommandParser.parse(line);
            assertEquals(blank(line) || line.isEmpty(), c.isEmpty(), "blank lines only are skipped: " + line);
            if (c.isPresent() && c.get() instanceof Command.Invalid inv) {
                assertEquals(line, inv.line());
            } else if (c.isPresent()) {
                valid++;
            }
            AtLine.parse(line); // must not throw either
        }
        assertTrue(valid > 1000, "the generator also makes valid commands: " + valid);
    }

    @Test
    void liveServerAnswersEveryFuzzedLineOnceAndInOrder() throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("offline"));
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int lines = 0;
        try (Herd herd = Herd.start(config, List.of("Hands"), Map.of())) {
            int port = TestHerds.port(herd, "Hands");
            LineClient.exchange(port, "IAMAT fz +34.068930-118.445127 1\n");
            Set<String> known = new HashSet<>(Set.of("fz"));
            for (int conn = 0; conn < 400; conn++) {
                List<byte[]> sent = new ArrayList<>();
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                // a client line first: a valid HERD-PEER handshake as a first line would (rightly) open a peer link
                byte[] opener = ("IAMAT fz-" + conn + " +1+1 1").getBytes(StandardCharsets.UTF_8);
                sent.add(opener);
                wire.writeBytes(opener);
                wire.write('\n');
                int n = 1 + r.nextInt(60);
                boolean lastTerminated = true;
                for (int i = 0; i < n; i++) {
                    byte[] line = randomLine(r);
                    sent.add(line);
                    wire.writeBytes(line);
                    lastTerminated = i + 1 < n || r.nextBoolean(); // sometimes the last line has no newline
                    if (lastTerminated) {
                        wire.write('\n');
                    }
                }
                byte[] reply;
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(15_000);
                    s.getOutputStream().write(wire.toByteArray());
                    s.shutdownOutput();
                    reply = s.getInputStream().readAllBytes();
                }
                lines += checkReplies(sent, lastTerminated, new String(reply, StandardCharsets.ISO_8859_1), conn, known);
            }
            assertTrue(LineClient.exchange(port, "IAMAT alive +1+1 1\n").startsWith("AT Hands "), "still serving");
        }
        System.out.println("FuzzTest: " + lines + " fuzzed lines answered by a live server (seed " + seed + ")");
    }

    /**
     * Walks the replies alongside the lines sent; returns how many lines needed a reply. Each
     * line's expected reply comes from the pure parser (pinned by its own tests) and the
     * clients this server has been told about so far ({@code known}, updated here): an
     * invalid line or a WHATSAT for an unknown client gets {@code ? } and the line, a valid
     * IAMAT its AT line, a WHATSAT for a known client the stored AT line and JSON. Checked
     * against the mutation "WHATSAT always answered with ? and the line", which the old
     * check (any line may get {@code ? }) accepted. Lines and replies are read one char per
     * byte (ISO-8859-1): every comparison is byte for byte, and ids are the server's keys, so
     * two ids that differ only in malformed UTF-8 are two clients here too.
     */
    private static int checkReplies(List<byte[]> sent, boolean lastTerminated, String replies, int conn,
                                    Set<String> known) {
        // split on \n only: String.lines() would also split on the lone \r a fuzzed line may hold
        List<String> out = new ArrayList<>(List.of(replies.split("\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1); // after the final \n
        }
        int pos = 0;
        int answered = 0;
        for (int i = 0; i < sent.size(); i++) {
            String line = new String(sent.get(i), StandardCharsets.ISO_8859_1);
            boolean terminated = i + 1 < sent.size() || lastTerminated;
            if (terminated && line.endsWith("\r")) { // \r\n ends a line; a \r with no \n after it is the line's
                line = line.substring(0, line.length() - 1);
            }
            if (blank(line)) {
                continue;
            }
            answered++;
            String where = "seed " + seed + ", connection " + conn + ", line <" + line + ">";
            if (pos >= out.size()) {
                fail("no reply for " + where);
            }
            String got = out.get(pos++);
            byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1); // as sent: the bounds count bytes
            Command command = CommandParser.parse(bytes, bytes.length).orElseThrow();
            boolean refused = command instanceof Command.Invalid
                    || command instanceof Command.WhatsAt w && !known.contains(w.clientId())
                    || command instanceof Command.IAmAt a && a.time().isLaterThan( // limits.maxClockSkewSeconds
                            System.currentTimeMillis() / 1000 + Limits.defaults().maxClockSkewSeconds(), 0);
            if (refused) {
                assertEquals("? " + line, got, where);
                continue;
            }
            if (command instanceof Command.IAmAt iAmAt) {
                assertTrue(got.startsWith("AT Hands "), "unexpected reply <" + got + "> for " + where + "; bytes sent "
                        + line.codePoints().boxed().toList() + ", got " + got.codePoints().boxed().toList());
                List<String> at = Fields.split(got);
                assertEquals(Fields.split(line).subList(1, 4), at.subList(3, 6), "IAMAT operands copied: " + where);
                known.add(iAmAt.clientId());
            } else {
                assertTrue(got.startsWith("AT Hands "), "the stored AT line <" + got + "> for " + where);
                assertTrue(pos < out.size() && out.get(pos).equals("{"), "WHATSAT JSON follows: " + where);
                while (pos < out.size() && !out.get(pos).isEmpty()) {
                    pos++;
                }
                pos++; // the blank line that ends a WHATSAT reply
            }
        }
        assertEquals(out.size(), pos, "no extra replies (seed " + seed + ", connection " + conn + ")");
        return answered;
    }

    @Test
    void millionCharacterClientIdIsRefusedWithoutGrowingMemory() throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000);
        try (Herd herd = Herd.start(config, List.of("Wilkes"), Map.of())) {
            int port = TestHerds.port(herd, "Wilkes");
            String huge = "IAMAT " + "id".repeat(500_000) + " +1+1 1\n";
            String reply = LineClient.exchange(port, huge);
            assertTrue(reply.startsWith("? IAMAT idid"), reply.substring(0, 20));
            assertEquals(2 + 65536 + 1, reply.getBytes(StandardCharsets.UTF_8).length);
            assertTrue(LineClient.exchange(port, "IAMAT ok +1+1 1\n").startsWith("AT Wilkes "));
            assertTrue(herd.server("Wilkes").location("id".repeat(500_000)).isEmpty());
        } catch (IOException e) {
            fail("the server must answer, then close cleanly: " + e);
        }
    }
}
