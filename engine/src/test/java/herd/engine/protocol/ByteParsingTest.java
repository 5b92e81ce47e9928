package herd.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.Limits;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The byte parsers ({@link ClientTime}, {@link Coordinates#isValid}, {@link ReportParser},
 * {@link TimeDifference#write}) against the exact definitions they replace: the regexes and
 * {@link BigDecimal} arithmetic of SPEC §2 and §3, kept here as the oracle. Random and edge
 * inputs: nine and more fraction digits, seconds beyond a long, leading zeros.
 */
class ByteParsingTest {

    // ---- the oracle: the definitions as regexes and exact decimals ----

    private static final Pattern TIME = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern ISO_6709 = Pattern.compile("([+-]\\d+(?:\\.\\d+)?)([+-]\\d+(?:\\.\\d+)?)");
    private static final Pattern DIFFERENCE = Pattern.compile("[+-]\\d+\\.\\d{9}");

    private static boolean oracleLocation(String text) {
        Matcher m = ISO_6709.matcher(text);
        return m.matches() && new BigDecimal(m.group(1)).abs().compareTo(BigDecimal.valueOf(90)) <= 0
                && new BigDecimal(m.group(2)).abs().compareTo(BigDecimal.valueOf(180)) <= 0;
    }

    private static boolean oracleIamat(List<String> f) {
        return f.size() == 4 && f.get(0).equals("IAMAT") && oracleLocation(f.get(2)) && TIME.matcher(f.get(3)).matches();
    }

    private static boolean oracleAt(List<String> f) {
        return f.size() == 6 && f.get(0).equals("AT") && DIFFERENCE.matcher(f.get(2)).matches()
                && oracleLocation(f.get(4)) && TIME.matcher(f.get(5)).matches();
    }

    /** The default field bounds (config {@code limits}): id bytes, digits of the time and of each coordinate. */
    private static boolean oracleWithinBounds(String id, String location, String time) {
        Matcher m = ISO_6709.matcher(location);
        return m.matches() && id.getBytes(StandardCharsets.UTF_8).length <= 256 && digitCount(time) <= 30
                && digitCount(m.group(1)) <= 24 && digitCount(m.group(2)) <= 24;
    }

    private static long digitCount(String s) {
        return s.chars().filter(c -> c >= '0' && c <= '9').count();
    }

    private static String oracleDifference(long seconds, int nanos, String clientTime) {
        BigDecimal server = BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
        BigDecimal diff = server.subtract(new BigDecimal(clientTime)).setScale(9, RoundingMode.HALF_EVEN);
        return (diff.signum() < 0 ? "" : "+") + diff.toPlainString();
    }

    // ---- random inputs ----

    private final Random random = new Random(20261203);

    private String digits(int max) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(max + 1);
        int zeros = random.nextInt(4) == 0 ? random.nextInt(25) : 0; // leading zeros, sometimes many
        b.append("0".repeat(zeros));
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    /** A time-like token: mostly well-formed, with 0-25 integer and 0-25 fraction digits; sometimes broken. */
    private String time() {
        String whole = digits(random.nextBoolean() ? 12 : 25);
        String t = random.nextInt(5) == 0 ? whole : whole + "." + digits(random.nextBoolean() ? 10 : 25);
        return switch (random.nextInt(20)) {
            case 0 -> "-" + t;
            case 1 -> t + "e5";
            case 2 -> "." + t;
            case 3 -> t + ".";
            case 4 -> t.replace('.', ',');
            case 5 -> "١٢٣"; // Arabic-Indic digits: not SPEC digits
            default -> t;
        };
    }

    private String degrees(int max) {
        String whole = random.nextInt(3) == 0 ? String.valueOf(max) : String.valueOf(random.nextInt(max + 30));
        if (random.nextInt(6) == 0) {
            whole = "0".repeat(random.nextInt(5)) + whole;
        }
        String d = switch (random.nextInt(6)) {
            case 0 -> whole;
            case 1 -> whole + "." + "0".repeat(1 + random.nextInt(4));
            case 2 -> whole + ".";
            default -> whole + "." + digits(8);
        };
        return (random.nextBoolean() ? "+" : "-") + d;
    }

    private String location() {
        return switch (random.nextInt(12)) {
            case 0 -> degrees(90);
            case 1 -> degrees(90) + degrees(180) + degrees(180);
            case 2 -> "+" + degrees(90) + degrees(180);
            case 3 -> degrees(90).substring(1) + degrees(180);
            default -> degrees(90) + degrees(180);
        };
    }

    private String space() {
        String[] s = {" ", " ", " ", "  ", "\t", " \u000B", "\f", "\r "};
        return s[random.nextInt(s.length)];
    }

    @Test
    void clientTimesCompareExactlyAsDecimals() {
        for (int i = 0; i < 50_000; i++) {
            String a = time();
            String b = random.nextInt(4) == 0 ? a + "0" : time();
            ClientTime ta = ClientTime.parse(a);
            ClientTime tb = ClientTime.parse(b);
            assertEquals(TIME.matcher(a).matches(), ta != null, a);
            if (ta == null || tb == null) {
                continue;
            }
            assertEquals(0, new BigDecimal(a).compareTo(ta.toBigDecimal()), a);
            assertEquals(Integer.signum(new BigDecimal(a).compareTo(new BigDecimal(b))),
                    Integer.signum(ta.compareTo(tb)), a + " vs " + b);
        }
    }

    @Test
    void clientTimeEdges() {
        assertTrue(ClientTime.parse("1520023934.918963997").isFixed());
        assertTrue(ClientTime.parse("999999999999999999.999999999").isFixed(), "18 digits, 9 fraction digits");
        assertFalse(ClientTime.parse("1000000000000000000").isFixed(), "19 integer digits: the exact fallback");
        assertFalse(ClientTime.parse("1.0000000001").isFixed(), "10 fraction digits: the exact fallback");
        assertTrue(ClientTime.parse("0000000000000000000000001.5").isFixed(), "leading zeros are not digits that count");
        assertTrue(ClientTime.parse("5.000000000000000000001").isAfter(ClientTime.parse("5")));
        assertFalse(ClientTime.parse("5.000000000").isAfter(ClientTime.parse("5")), "equal value, other text");
        assertTrue(ClientTime.parse("99999999999999999999999").isAfter(ClientTime.parse("999999999999999999.999999999")));
        assertTrue(ClientTime.parse("10").isAfter(ClientTime.parse("9.999999999999999999999")));
        for (String bad : new String[] {"", ".", "1.", ".5", "+1", "-1", "1e5", "inf", "nan", "1.2.3", "1 ", "0x10"}) {
            assertNull(ClientTime.parse(bad), bad);
        }
    }

    @Test
    void differencesAreTheExactDecimalRoundedHalfEven() {
        byte[] out = new byte[120];
        for (int i = 0; i < 50_000; i++) {
            String t = time();
            ClientTime ct = ClientTime.parse(t);
            if (ct == null) {
                continue;
            }
            long seconds = random.nextInt(3) == 0 ? random.nextLong(0, 4_000_000_000L) : 1_764_720_000L + random.nextInt(100);
            int nanos = random.nextInt(1_000_000_000);
            String written = new String(out, 0, TimeDifference.write(seconds, nanos, ct, out, 0), StandardCharsets.US_ASCII);
            assertEquals(oracleDifference(seconds, nanos, t), written, seconds + "." + nanos + " - " + t);
        }
    }

    @Test
    void locationsAreValidExactlyAsTheIso6709Definition() {
        for (int i = 0; i < 50_000; i++) {
            String l = location();
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            assertEquals(oracleLocation(l), Coordinates.isValid(b, 0, b.length), l);
            assertEquals(oracleLocation(l), Coordinates.parse(l).isPresent(), l);
        }
        for (String ok : new String[] {"+90-180", "-90.000+180.0", "+0090+0180", "+0+0", "-00.5-179.999999999"}) {
            assertTrue(oracleLocation(ok) && Coordinates.parse(ok).isPresent(), ok);
        }
        for (String bad : new String[] {"+90.0000001+0", "+0+180.1", "+91+0", "90+0", "+1.+2", "+1+.2", "++1+1",
                                        "+1+1+1", "+1", "+1-", "+١+2", "+1+2 "}) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertFalse(oracleLocation(bad), bad);
            assertFalse(Coordinates.isValid(b, 0, b.length), bad);
        }
    }

    @Test
    void iamatLinesParseExactlyAsTheDefinitionSays() {
        ReportParser parser = new ReportParser();
        byte[] server = "Goloman".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 30_000; i++) {
            String id = random.nextInt(10) == 0 ? "zoë-" + i : "kiwi" + i;
            String word = random.nextInt(15) == 0 ? "IAMAt" : "IAMAT";
            String line = (random.nextInt(8) == 0 ? space() : "") + word + space() + id + space() + location() + space()
                    + time() + (random.nextInt(8) == 0 ? space() : "") + (random.nextInt(20) == 0 ? " extra" : "");
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            List<String> f = Fields.split(line);
            boolean valid = oracleIamat(f) && oracleWithinBounds(f.get(1), f.get(2), f.get(3));
            assertEquals(valid, parser.iAmAt(b, b.length), line);
            assertEquals(valid, CommandParser.parse(line).orElseThrow() instanceof Command.IAmAt, line);
            assertEquals(valid, CommandParser.parse(b, b.length).orElseThrow() instanceof Command.IAmAt, line);
            if (valid) {
                assertEquals(ClientId.key(f.get(1)), parser.clientId());
                assertEquals(0, new BigDecimal(f.get(3)).compareTo(parser.time().toBigDecimal()));
                long seconds = 1_764_720_000L + random.nextInt(1000);
                int nanos = random.nextInt(1_000_000_000);
                String expected = "AT Goloman " + oracleDifference(seconds, nanos, f.get(3)) + " " + f.get(1) + " "
                        + f.get(2) + " " + f.get(3);
                assertEquals(expected, new String(parser.reply(server, seconds, nanos), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void atLinesParseExactlyAsTheDefinitionSays() {
        ReportParser parser = new ReportParser();
        for (int i = 0; i < 30_000; i++) {
            String diff = switch (random.nextInt(8)) {
                case 0 -> "+0.12345678";
                case 1 -> "0.123456789";
                case 2 -> "-12.1234567890";
                case 3 -> "+1.12345678a";
                default -> (random.nextBoolean() ? "+" : "-") + digits(12) + "1." + "123456789";
            };
            String line = (random.nextInt(15) == 0 ? "AT:" : "AT") + space() + "Welsh" + space() + diff + space()
                    + "client" + i + space() + location() + space() + time() + (random.nextInt(20) == 0 ? " x" : "");
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            List<String> f = Fields.split(line);
            boolean valid = oracleAt(f) && oracleWithinBounds(f.get(3), f.get(4), f.get(5))
                    && f.get(2).length() <= 1 + Math.max(30, 19) + 1 + 1 + 9; // the difference a time of 30 digits can make
            assertEquals(valid, parser.at(b, b.length), line);
            assertEquals(oracleAt(f), AtLine.parse(line).isPresent(), line); // no bounds: lines already taken
            if (valid) {
                assertEquals(f.get(3), parser.clientId());
                assertEquals(0, new BigDecimal(f.get(5)).compareTo(parser.time().toBigDecimal()));
                assertArrayEquals(String.join(" ", f).getBytes(StandardCharsets.UTF_8), parser.atLine(), line);
            }
        }
    }

    @Test
    void clientIdIsTheBytesSentThroughIamatAndAt() {
        ReportParser client = new ReportParser();
        byte[] id = {'z', (byte) 0xFF, (byte) 0xC3, '(', 0, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        byte[] line = join("IAMAT ".getBytes(StandardCharsets.US_ASCII), id, " +1+1 7".getBytes(StandardCharsets.US_ASCII));
        assertTrue(client.iAmAt(line, line.length));
        assertArrayEquals(id, ClientId.bytes(client.clientId()));
        byte[] at = client.reply("Welsh".getBytes(StandardCharsets.US_ASCII), 8, 0);
        assertArrayEquals(join("AT Welsh +1.000000000 ".getBytes(StandardCharsets.US_ASCII), id,
                " +1+1 7".getBytes(StandardCharsets.US_ASCII)), at);
        ReportParser peer = new ReportParser();
        assertTrue(peer.at(at, at.length));
        assertEquals(client.clientId(), peer.clientId(), "a peer keys the flooded line as the server that made it");
        assertArrayEquals(at, peer.atLine());
        // ids that a UTF-8 decoder makes the same text are different ids
        byte[] other = line.clone();
        other[7] = (byte) 0xFE;
        assertTrue(client.iAmAt(other, other.length));
        assertFalse(peer.clientId().equals(client.clientId()));
        assertEquals(new String(id, StandardCharsets.UTF_8), ClientId.text(peer.clientId()));
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---- field bounds ----

    private static boolean iAmAt(ReportParser p, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return p.iAmAt(b, b.length);
    }

    private static boolean at(ReportParser p, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return p.at(b, b.length);
    }

    @Test
    void fieldsOverTheirBoundsAreRefused() {
        // id at most 4 bytes, time at most 5 digits, each coordinate at most 3 digits
        ReportParser p = new ReportParser(new Limits(1024, 1024, 1024, 1, 1, 4, 5, 3, 3600, 30, 1024));
        assertTrue(iAmAt(p, "IAMAT abcd +1.25-2.5 12345"));
        assertTrue(iAmAt(p, "IAMAT zoë +1.25-180 1234.5")); // 4 bytes; a point is no digit
        assertFalse(iAmAt(p, "IAMAT abcde +1.25-2.5 12345"));
        assertFalse(iAmAt(p, "IAMAT zoëy +1.25-2.5 12345")); // 5 bytes
        assertFalse(iAmAt(p, "IAMAT abcd +1.25-2.5 123456"));
        assertFalse(iAmAt(p, "IAMAT abcd +1.25-2.5 1234.56"));
        assertFalse(iAmAt(p, "IAMAT abcd +001.25-2.5 12345")); // leading zeros are digits too
        assertFalse(iAmAt(p, "IAMAT abcd +1.25-2.555 12345"));
        String diff = " +1.123456789 ";
        assertTrue(at(p, "AT Welsh" + diff + "abcd +1.25-2.5 12345"));
        assertFalse(at(p, "AT Welsh" + diff + "abcde +1.25-2.5 12345"));
        assertFalse(at(p, "AT Welsh" + diff + "abcd +1.25-2.5 123456"));
        assertFalse(at(p, "AT Welsh" + diff + "abcd +1.255-2.5 12345"));
        // a difference may have max(5, 19) + 1 integer digits
        assertTrue(at(p, "AT Welsh -" + "9".repeat(20) + ".123456789 abcd +1.25-2.5 12345"));
        assertFalse(at(p, "AT Welsh -" + "9".repeat(21) + ".123456789 abcd +1.25-2.5 12345"));
    }

    @Test
    void theLongestReplyWithinTheBoundsFitsItsBoundAndIsTakenByAPeer() {
        Limits limits = Limits.defaults();
        ReportParser edge = new ReportParser(limits);
        ReportParser peer = new ReportParser(limits);
        byte[] server = "Goloman".getBytes(StandardCharsets.UTF_8);
        String id = "x".repeat(limits.maxClientIdBytes());
        String lat = "-89." + "9".repeat(limits.maxCoordinateDigits() - 2);
        String lng = "+179." + "9".repeat(limits.maxCoordinateDigits() - 3);
        for (String time : List.of("9".repeat(limits.maxTimeDigits()), "0." + "0".repeat(limits.maxTimeDigits() - 1),
                "1" + "0".repeat(limits.maxTimeDigits() - 1), "1764720000.123456789")) {
            assertTrue(iAmAt(edge, "IAMAT " + id + " " + lat + lng + " " + time), time);
            byte[] reply = edge.reply(server, 1_764_720_000L, 999_999_999);
            assertTrue(reply.length <= limits.longestAtLine(server.length), reply.length + " bytes for " + time);
            assertTrue(peer.at(reply, reply.length), new String(reply, StandardCharsets.UTF_8));
        }
        assertFalse(iAmAt(edge, "IAMAT x" + id + " " + lat + lng + " 1"));
    }

    /** The server time of an AT line (client time plus difference) as epoch nanoseconds, against exact decimals. */
    @Test
    void anAtLinesServerTimeIsItsClientTimePlusItsDifference() {
        ReportParser p = ReportParser.unbounded();
        assertTrue(at(p, "AT Welsh +0.263873386 kiwi +34.068930-118.445127 1520023934.918963997"));
        assertEquals(1_520_023_935_182_837_383L, p.serverTimeNanos());
        assertTrue(at(p, "AT Welsh -1.918963998 kiwi +1+1 1520023934.918963997"));
        assertEquals(1_520_023_932_999_999_999L, p.serverTimeNanos(), "a negative difference borrows a second");
        assertTrue(at(p, "AT Welsh +275452127.123456789 kiwi +1+1 1520023934.918963997"));
        assertEquals(1_795_476_062_042_420_786L, p.serverTimeNanos(), "the README's example, a carry into the seconds");
        assertTrue(at(p, "AT Welsh +0.000000000 kiwi +1+1 1520023934.9189639971"));
        assertEquals(Long.MIN_VALUE, p.serverTimeNanos(), "a time held as an exact decimal has none");
        assertTrue(at(p, "AT Welsh -2.000000000 kiwi +1+1 1"));
        assertEquals(Long.MIN_VALUE, p.serverTimeNanos(), "before 1970");
        assertTrue(at(p, "AT Welsh -1.500000000 kiwi +1+1 1.4"));
        assertEquals(Long.MIN_VALUE, p.serverTimeNanos(), "a tenth of a second before 1970: the borrow makes it so");
        assertTrue(at(p, "AT Welsh +9999999999.000000000 kiwi +1+1 1"));
        assertEquals(Long.MIN_VALUE, p.serverTimeNanos(), "after 2262, past a long of nanoseconds");
        assertTrue(at(p, "AT Welsh +" + "9".repeat(19) + ".000000000 kiwi +1+1 1"));
        assertEquals(Long.MIN_VALUE, p.serverTimeNanos(), "19 integer digits of difference");
        assertTrue(iAmAt(p, "IAMAT kiwi +1+1 1"));
        assertEquals(Long.MIN_VALUE, p.serverTimeNanos(), "an IAMAT carries no server time");

        Random random = new Random(14);
        BigDecimal limit = BigDecimal.valueOf(Long.MAX_VALUE);
        for (int i = 0; i < 10_000; i++) {
            String time = random.nextInt(2_000_000_000) + "." + random.nextInt(1_000_000_000);
            BigDecimal diff = BigDecimal.valueOf(random.nextLong() % 3_000_000_000_000_000_000L, 9);
            String line = "AT Welsh " + (diff.signum() < 0 ? "" : "+") + diff.toPlainString() + " kiwi +1+1 " + time;
            assertTrue(at(p, line), line);
            BigDecimal nanos = new BigDecimal(time).add(diff).movePointRight(9);
            long expected = nanos.signum() < 0 || nanos.compareTo(limit) > 0 ? Long.MIN_VALUE : nanos.longValueExact();
            assertEquals(expected, p.serverTimeNanos(), line);
        }
    }
}
