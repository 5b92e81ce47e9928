package herd.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    private static Command parse(String line) {
        return CommandParser.parse(line).orElseThrow();
    }

    @Test
    void iamatKeepsOperandsExactly() {
        Command.IAmAt c = (Command.IAmAt) parse("IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.918963997");
        assertEquals("kiwi.cs.ucla.edu", c.clientId());
        assertEquals("+34.068930-118.445127", c.location().text());
        assertEquals(new BigDecimal("34.068930"), c.location().latitude());
        assertEquals(new BigDecimal("-118.445127"), c.location().longitude());
        assertEquals("1520023934.918963997", c.timeText());
    }

    @Test
    void iamatFieldsOverTheDefaultBoundsAreInvalid() {
        String id = "c".repeat(256);
        String location = " +34." + "1".repeat(22) + "-118." + "4".repeat(21) + " ";
        String time = "1".repeat(20) + "." + "9".repeat(10);
        assertInstanceOf(Command.IAmAt.class, parse("IAMAT " + id + location + time));
        assertInstanceOf(Command.Invalid.class, parse("IAMAT c" + id + location + time));
        assertInstanceOf(Command.Invalid.class, parse("IAMAT " + id + location + time + "9"));
        assertInstanceOf(Command.Invalid.class, parse("IAMAT " + id + location.replace("+34.", "+34.1") + time));
        assertInstanceOf(Command.Invalid.class, parse("IAMAT " + id + location.replace("-118.", "-118.4") + time));
        String attack = "IAMAT kiwi +1-2 " + "1".repeat(65_535 - 16);
        assertEquals(new Command.Invalid(attack), parse(attack));
    }

    @Test
    void fieldsMaySeparateByAnyRunOfSpecWhiteSpace() {
        Command.IAmAt c = (Command.IAmAt) parse(" \t IAMAT\u000B\fkiwi \t\r +1-2\t 15  \r");
        assertEquals("kiwi", c.clientId());
        assertEquals("+1-2", c.location().text());
        assertEquals("15", c.timeText());
    }

    @Test
    void utf8ClientIdIsAnId() {
        Command.IAmAt c = (Command.IAmAt) parse("IAMAT Zoë-📱 +0+0 1");
        assertEquals("Zoë-📱", c.clientId());
    }

    @Test
    void blankLineIsNoCommand() {
        assertTrue(CommandParser.parse("").isEmpty());
        assertTrue(CommandParser.parse(" \t\f\u000B ").isEmpty());
    }

    @Test
    void whatsatParsesRadiusAndBound() {
        Command.WhatsAt c = (Command.WhatsAt) parse("WHATSAT kiwi 10 5");
        assertEquals(new BigDecimal("10"), c.radiusKm());
        assertEquals(5, c.bound());
        Command.WhatsAt edge = (Command.WhatsAt) parse("WHATSAT kiwi 50 20");
        assertEquals(20, edge.bound());
        Command.WhatsAt fraction = (Command.WhatsAt) parse("WHATSAT kiwi 0.5 1");
        assertEquals(new BigDecimal("0.5"), fraction.radiusKm());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "iamat kiwi +34.068930-118.445127 1520023934.918963997",
            "IAMAT kiwi +34.068930-118.445127",
            "IAMAT kiwi +34.068930-118.445127 1520023934.918963997 extra",
            "IAMAT kiwi 34.068930-118.445127 1520023934.9",
            "IAMAT kiwi +34.068930 1520023934.9",
            "IAMAT kiwi +91-118 1520023934.9",
            "IAMAT kiwi +90.0000001+0 1",
            "IAMAT kiwi -34+180.5 1",
            "IAMAT kiwi +34.-118 1",
            "IAMAT kiwi +.5-118 1",
            "IAMAT kiwi +34-118+1 1",
            "IAMAT kiwi +34-118 1e9",
            "IAMAT kiwi +34-118 -1520023934",
            "IAMAT kiwi +34-118 +1520023934",
            "IAMAT kiwi +34-118 inf",
            "IAMAT kiwi +34-118 nan",
            "IAMAT kiwi +34-118 1520023934.",
            "IAMAT kiwi +34-118 .5",
            "WHATSAT kiwi 0 5",
            "WHATSAT kiwi 0.0 5",
            "WHATSAT kiwi 51 5",
            "WHATSAT kiwi 50.0001 5",
            "WHATSAT kiwi -1 5",
            "WHATSAT kiwi 10 0",
            "WHATSAT kiwi 10 21",
            "WHATSAT kiwi 10 5.0",
            "WHATSAT kiwi 10 -5",
            "WHATSAT kiwi 10 99999999999999999999",
            "WHATSAT kiwi 1e1 5",
            "WHATSAT kiwi 10",
            "WHATSAT kiwi 10 5 5",
            "whatsat kiwi 10 5",
            "AT Goloman +0.263873386 kiwi +34.068930-118.445127 1520023934.918963997",
            "HERD-PEER Goloman Hands",
            "HELLO",
    })
    void invalidLinesAreEchoedAsTheyCame(String line) {
        Command.Invalid c = assertInstanceOf(Command.Invalid.class, parse(line));
        assertEquals(line, c.line());
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(Command.Invalid.class, CommandParser.parse(b, b.length).orElseThrow(), "the same on bytes");
    }

    @Test
    void whatsatOnBytesNamesTheClientByTheBytesSent() {
        byte[] ff = "WHATSAT z\u00ff 10 5".getBytes(StandardCharsets.ISO_8859_1);
        byte[] fe = "WHATSAT z\u00fe 10 5".getBytes(StandardCharsets.ISO_8859_1);
        Command.WhatsAt a = (Command.WhatsAt) CommandParser.parse(ff, ff.length).orElseThrow();
        Command.WhatsAt b = (Command.WhatsAt) CommandParser.parse(fe, fe.length).orElseThrow();
        assertArrayEquals(new byte[] {'z', (byte) 0xFF}, ClientId.bytes(a.clientId()));
        assertNotEquals(a.clientId(), b.clientId(), "both decode to z\uFFFD, yet they are two clients");
        byte[] iamat = "IAMAT z\u00ff +1+1 1".getBytes(StandardCharsets.ISO_8859_1);
        ReportParser report = new ReportParser();
        assertTrue(report.iAmAt(iamat, iamat.length));
        assertEquals(report.clientId(), a.clientId(), "WHATSAT finds what IAMAT stored");
        byte[] zoe = "WHATSAT Zoë-📱 1 1".getBytes(StandardCharsets.UTF_8);
        Command.WhatsAt text = (Command.WhatsAt) CommandParser.parse(zoe, zoe.length).orElseThrow();
        assertEquals(ClientId.key("Zoë-📱"), text.clientId());
        assertEquals("Zoë-📱", ClientId.text(text.clientId()));
    }

    @Test
    void coordinatesAcceptTheFullRange() {
        assertTrue(Coordinates.parse("+90-180").isPresent());
        assertTrue(Coordinates.parse("-90.000+180.000").isPresent());
        assertTrue(Coordinates.parse("+0+0").isPresent());
        assertTrue(Coordinates.parse("-90.0001+0").isEmpty());
        assertTrue(Coordinates.parse("+0-180.0001").isEmpty());
    }

    @Test
    void coordinateParamsAreGooglesPlainForm() {
        Coordinates c = Coordinates.parse("+34.068930-118.445127").orElseThrow();
        assertEquals("34.068930", c.latitudeParam());
        assertEquals("-118.445127", c.longitudeParam());
    }
}
