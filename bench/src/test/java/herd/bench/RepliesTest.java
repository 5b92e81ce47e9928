package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepliesTest {

    private static final String OPS = " kiwi +34.068930-118.445127 1520023934.918963997";

    @Test
    void rightAtLineIsAccepted() {
        assertNull(Replies.checkAt("AT Goloman +0.263873386" + OPS, "Goloman", OPS));
        assertNull(Replies.checkAt("AT Goloman -12.000000001" + OPS, "Goloman", OPS));
    }

    @Test
    void wrongServerOperandsOrDifferenceAreErrors() {
        assertNotNull(Replies.checkAt("AT Hands +0.263873386" + OPS, "Goloman", OPS));
        assertNotNull(Replies.checkAt("AT Goloman +0.263873386 kiwi +34.068930-118.445127 1520023934.9", "Goloman", OPS));
        assertNotNull(Replies.checkAt("AT Goloman 0.263873386" + OPS, "Goloman", OPS));
        assertNotNull(Replies.checkAt("AT Goloman +0.26387338" + OPS, "Goloman", OPS));
        assertNotNull(Replies.checkAt("? IAMAT" + OPS, "Goloman", OPS));
    }

    @Test
    void atTimeIsTheLastFieldOfAWellFormedAtLine() {
        assertEquals("1520023934.918963997", Replies.atTime("AT Goloman +0.263873386" + OPS));
        assertNull(Replies.atTime("? WHATSAT kiwi 1 1"));
    }

    @Test
    void whatsAtReplyNeedsItsAtLineJsonAndBlankLine() {
        String at = "AT Goloman +0.263873386" + OPS;
        String json = "{\n   \"html_attributions\" : [],\n   \"results\" : [ {\"a\" : 1} ],\n   \"status\" : \"OK\"\n}";
        assertNull(Replies.checkWhatsAt(at + "\n" + json + "\n\n", at, 1, true));
        assertNull(Replies.checkWhatsAt(at + "\n" + json + "\n\n", at, 1, false));
        assertNull(Replies.checkWhatsAt(at + "\n" + json + "\n\n", null, -1, true));
        assertTrue(Replies.checkWhatsAt(at + "\n" + json + "\n\n", at, 2, true).contains("expected 2"));
        assertNotNull(Replies.checkWhatsAt(at + "\n" + json + "\n", at, 1, false));
        assertNotNull(Replies.checkWhatsAt("AT Hands +0.263873386" + OPS + "\n" + json + "\n\n", at, 1, false));
        assertNotNull(Replies.checkWhatsAt(at + "\n{\n\n}\n\n", at, -1, false));
        assertNotNull(Replies.checkWhatsAt(at + "\n{\"status\" : }\n\n", at, -1, true));
    }
}
