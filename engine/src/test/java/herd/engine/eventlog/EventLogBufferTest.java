package herd.engine.eventlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.EventLogFormat;
import herd.engine.HerdEvent;
import herd.engine.LocationReport;
import herd.engine.Party;
import herd.engine.node.NodeEvents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The log's bytes, socket-free: every line a server appends is exactly
 * {@link EventLogFormat#line} of the event a listener gets, plus a newline, in UTF-8; and
 * no line is lost without being counted.
 */
class EventLogBufferTest {

    private final EventLogBuffer buffer = new EventLogBuffer();
    private final List<HerdEvent> heard = new ArrayList<>();
    private final NodeEvents events = new NodeEvents("Goloman", buffer, heard::add, () -> true);

    /** What the buffer holds, taken as the writer takes it. */
    private static byte[] written(EventLogBuffer buffer) {
        List<EventLogBuffer.Block> blocks = new ArrayList<>();
        buffer.takeBlocks(blocks);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (EventLogBuffer.Block b : blocks) {
            out.write(b.bytes, 0, b.length);
            buffer.giveBack(b);
        }
        return out.toByteArray();
    }

    private byte[] expected() {
        StringBuilder lines = new StringBuilder();
        heard.forEach(e -> lines.append(EventLogFormat.line(e)).append('\n'));
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void assertSameAsFormat() {
        byte[] expected = expected();
        byte[] actual = written(buffer);
        assertArrayEquals(expected, actual, () -> "expected\n" + new String(expected, StandardCharsets.UTF_8)
                + "\nwritten\n" + new String(actual, StandardCharsets.UTF_8));
    }

    @Test
    void everyKindOfEventIsTheFormattedLineInUtf8() {
        Instant at = Instant.parse("2026-11-23T23:05:01.000007999Z");
        Party client = Party.client("127.0.0.1:39244");
        Party peer = Party.peer("Holiday");
        LocationReport r = new LocationReport("Welsh", "+0.263873386", "kiwi.cs.ucla.edu", "+34.068930-118.445127",
                "1520023934.918963997");
        events.opened(at, client);
        events.closed(at, client, "closed by remote");
        events.lineIn(at, client, "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.918963997");
        events.lineIn(at, peer, "HERD-PEER Goloman Hands");
        events.lineOut(at, client, r.atLine() + " [json 199 bytes, 0 results]");
        events.lineOut(at, peer, r.atLine());
        events.linkUp(at, "Holiday", "127.0.0.1:40112 over TLS");
        events.linkDown(at, "Holiday", "no line from peer Holiday for 5 s");
        byte[] line = r.atLine().getBytes(StandardCharsets.UTF_8);
        events.learned(at, line, client);
        events.lineOut(at, peer, line); // the same array again: its bytes are copied, not escaped again
        events.lineOut(at, Party.peer("Wilkes"), line);
        events.serverState(at, true, "listening on 127.0.0.1:12000");
        events.serverState(at, false, "taken down");
        events.notice(at, false, "config herd.json; places provider: offline");
        events.notice(at, true, "event log fell behind: 3 events (all servers) were not written");
        events.lineIn(at, client, ""); // no payload: no space after the party
        assertEquals(16, heard.size());
        assertSameAsFormat();
    }

    @Test
    void controlCharactersBackslashAndNonAsciiAreEscapedAsTheFormatDoes() {
        Instant at = Instant.parse("1970-01-01T00:00:00.999999Z");
        Party client = Party.client("[::1]:5000");
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            every.append(c);
        }
        events.lineIn(at, client, every.toString());
        events.lineIn(at, client, "a\\b\r\n\t\u0000\u001b\u007f\u0080\u009f é ü \u20ac \u4e2d \ud83d\ude00 \uffff");
        events.lineIn(at, client, "lone \ud83d high, lone \ude00 low, at the end \ud83d");
        events.lineIn(at, client, "\ude00\ud83d");
        events.lineIn(at, client, "sep\u2028par\u2029nel\u0085rlo\u202Ebom\uFEFFlri\u2066alm\u061C \u2027\u202F ok");
        events.notice(at, true, "peer Hänsel sent \u0007");
        events.lineIn(at, Party.peer("Hölle"), "HERD-PEER Hölle Goloman");
        assertSameAsFormat();
    }

    @Test
    void linesGivenAsBytesAreLoggedAsTheirDecodedText() {
        Instant at = Instant.parse("2026-11-23T23:05:01.000001Z");
        Party client = Party.client("127.0.0.1:5000");
        byte[] buffer = new byte[300];
        byte[][] lines = {
            "IAMAT kiwi +34.068930-118.445127 1520023934.918963997".getBytes(StandardCharsets.UTF_8),
            "a\\b\r\t\u0000\u001b\u007f end".getBytes(StandardCharsets.UTF_8),
            "Zoë \u20ac \ud83d\ude00".getBytes(StandardCharsets.UTF_8),
            {'a', (byte) 0xFF, (byte) 0xC3, 'b', '\\'}, // malformed UTF-8: logged as a decoder repairs it
            {},
        };
        for (byte[] l : lines) {
            // one reused buffer, as the framer hands lines: a repeated array is not a repeated line
            System.arraycopy(l, 0, buffer, 0, l.length);
            events.lineIn(at, client, buffer, l.length);
        }
        byte[] at1 = "AT Goloman +0.100000000 kiwi +1+1 1".getBytes(StandardCharsets.UTF_8);
        events.learned(at, at1, client);
        events.lineOut(at, Party.peer("Hands"), at1);
        events.lineOut(at, client, at1);
        assertSameAsFormat();
    }

    @Test
    void linesLongerThanABlockAndManyBlocksKeepTheirBytesAndOrder() {
        Instant at = Instant.parse("2026-11-23T23:05:01.5Z");
        Party client = Party.client("127.0.0.1:1");
        events.lineIn(at, client, "x".repeat(3 * EventLogBuffer.BLOCK_BYTES));
        events.lineIn(at, client, "\u0001".repeat(EventLogBuffer.BLOCK_BYTES)); // 4 bytes each when escaped
        for (int i = 0; i < 5000; i++) {
            events.lineOut(at, client, "AT Goloman +0.1 client" + i + " +34-118 " + i);
        }
        assertSameAsFormat();
    }

    @Test
    void randomEventsAtRandomTimesAreTheFormattedLines() {
        Random random = new Random(11);
        long base = Instant.parse("2026-11-23T23:05:01Z").getEpochSecond();
        char[] alphabet = "aZ09 .+-:/\\\t\r\n\u0000\u001f\u007f\u0085\u00e9\u2028\u202e\ufeff\u20ac\ud83d\ude00\ud800".toCharArray();
        String previous = "";
        for (int i = 0; i < 10_000; i++) {
            Instant at = Instant.ofEpochSecond(base + random.nextInt(4), random.nextInt(1_000_000_000));
            String payload;
            if (random.nextInt(4) == 0) {
                payload = previous; // the same string again, as a flooded AT line is
            } else {
                StringBuilder b = new StringBuilder();
                int n = random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(120);
                for (int k = 0; k < n; k++) {
                    b.append(alphabet[random.nextInt(alphabet.length)]);
                }
                payload = b.toString();
            }
            previous = payload;
            Party party = random.nextBoolean() ? Party.client("127.0.0.1:" + random.nextInt(65536))
                    : Party.peer(random.nextBoolean() ? "Hands" : "Wilkes");
            switch (random.nextInt(6)) {
                case 0 -> events.lineIn(at, party, payload);
                case 1 -> events.lineOut(at, party, payload);
                case 2 -> events.closed(at, party, payload);
                case 3 -> events.notice(at, random.nextBoolean(), payload);
                case 4 -> events.linkDown(at, party.name(), payload);
                default -> events.opened(at, party);
            }
            if (random.nextInt(500) == 0) {
                assertSameAsFormat(); // the writer takes part-filled blocks too
                heard.clear();
            }
        }
        assertSameAsFormat();
    }

    @Test
    void withoutListenersNoEventIsMadeAndTheLineIsStillWritten() {
        List<HerdEvent> none = new ArrayList<>();
        NodeEvents headless = new NodeEvents("Goloman", buffer, none::add, () -> false);
        headless.lineIn(Instant.parse("2026-11-23T23:05:01Z"), Party.client("127.0.0.1:1"), "IAMAT x");
        assertTrue(none.isEmpty());
        assertEquals("2026-11-23T23:05:01.000000Z IN client/127.0.0.1:1 IAMAT x\n",
                new String(written(buffer), StandardCharsets.UTF_8));
    }

    @Test
    void aLineThatFindsNoRoomIsCountedNeverSilentlyLost() {
        EventLogBuffer small = new EventLogBuffer(3L * EventLogBuffer.BLOCK_BYTES);
        Instant at = Instant.parse("2026-11-23T23:05:01Z");
        int appended = 10_000;
        for (int i = 0; i < appended; i++) {
            small.append(at, "IN", Party.client("127.0.0.1:1"), "IAMAT client" + i + " +34-118 " + i);
        }
        long dropped = small.takeDropped();
        long kept = new String(written(small), StandardCharsets.UTF_8).lines().count();
        assertTrue(dropped > 0, "the bound was reached");
        assertEquals(appended, kept + dropped);
        assertEquals(0, small.takeDropped(), "a count is reported once");
    }
}
