package herd.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private final List<LineFramer.Frame> frames = new ArrayList<>();

    /** Keeps a copy of each frame: the framer's own is valid during the callback only. */
    private void keep(LineFramer.Frame frame) {
        frames.add(LineFramer.Frame.detached(frame.text(), frame.overlong()));
    }

    private void feed(LineFramer f, byte[] bytes) {
        f.feed(ByteBuffer.wrap(bytes), this::keep);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> texts() {
        return frames.stream().map(LineFramer.Frame::text).toList();
    }

    @Test
    void splitsOnNewlineAndDropsCarriageReturn() {
        LineFramer f = new LineFramer(1024);
        feed(f, utf8("one\ntwo\r\nthree\r\r\n\n"));
        assertEquals(List.of("one", "two", "three\r", ""), texts());
    }

    @Test
    void joinsLinesSplitAcrossReads() {
        LineFramer f = new LineFramer(1024);
        feed(f, utf8("IAM"));
        feed(f, utf8("AT x"));
        assertTrue(frames.isEmpty());
        feed(f, utf8(" +1+1 1\n"));
        assertEquals(List.of("IAMAT x +1+1 1"), texts());
    }

    @Test
    void multiByteCharacterSplitAcrossReadsSurvives() {
        LineFramer f = new LineFramer(1024);
        byte[] zoe = utf8("Zoë\n");
        feed(f, new byte[] {zoe[0], zoe[1], zoe[2]});
        feed(f, new byte[] {zoe[3], zoe[4]});
        assertEquals(List.of("Zoë"), texts());
    }

    @Test
    void lastLineWithoutNewlineIsALineAtEndOfInput() {
        LineFramer f = new LineFramer(1024);
        feed(f, utf8("a\nlast"));
        f.endOfInput(this::keep);
        assertEquals(List.of("a", "last"), texts());
        frames.clear();
        LineFramer empty = new LineFramer(1024);
        feed(empty, utf8("a\n"));
        empty.endOfInput(this::keep);
        assertEquals(List.of("a"), texts());
    }

    @Test
    void overlongLineIsReportedOnceWithItsPrefixAndTheRestIgnored() {
        LineFramer f = new LineFramer(8);
        feed(f, utf8("ok\n0123456789abcdef\nnext\n"));
        assertEquals(List.of("ok", "01234567"), texts());
        assertTrue(frames.get(1).overlong());
        feed(f, utf8("more\n"));
        f.endOfInput(this::keep);
        assertEquals(2, frames.size());
        assertTrue(f.overflowed());
    }

    @Test
    void onAPeerLinkAnOverlongLineCostsOnlyItself() {
        LineFramer f = new LineFramer(8);
        f.skipOverlongLines();
        feed(f, utf8("ok\n0123456789"));
        feed(f, utf8("abcdef"));
        feed(f, utf8("ghij\nnext\n012345678\n"));
        feed(f, utf8("01234567\nlast"));
        f.endOfInput(this::keep);
        assertEquals(List.of("ok", "01234567", "next", "01234567", "01234567", "last"), texts());
        assertEquals(List.of(false, true, false, true, false, false),
                frames.stream().map(LineFramer.Frame::overlong).toList());
        assertFalse(f.overflowed());
    }

    @Test
    void lineOfExactlyTheLimitIsALine() {
        LineFramer f = new LineFramer(8);
        feed(f, utf8("01234567\n"));
        assertEquals(List.of("01234567"), texts());
        assertFalse(frames.get(0).overlong());
    }

    @Test
    void carriageReturnIsDroppedOnlyBeforeNewline() {
        LineFramer f = new LineFramer(8);
        feed(f, utf8("a\r\nb\r"));
        f.endOfInput(this::keep); // no terminator: the \r is the line's
        assertEquals(List.of("a", "b\r"), texts());
        frames.clear();
        LineFramer limited = new LineFramer(8);
        feed(limited, utf8("0123456\rxyz\n"));
        assertEquals(List.of("0123456\r"), texts(), "an overlong line's prefix keeps its bytes");
    }

    @Test
    void lineBytesAreTheBytesReceived() {
        LineFramer f = new LineFramer(64);
        byte[] line = {(byte) 0xFF, (byte) 0xFE, ' ', 'x', 0, (byte) 0xC3, '\r'};
        List<byte[]> got = new ArrayList<>();
        f.feed(ByteBuffer.wrap(line), frame -> got.add(Arrays.copyOf(frame.bytes(), frame.length())));
        f.endOfInput(frame -> got.add(Arrays.copyOf(frame.bytes(), frame.length())));
        assertEquals(1, got.size());
        assertArrayEquals(line, got.get(0));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        LineFramer f = new LineFramer(64);
        feed(f, new byte[] {'a', (byte) 0xFF, (byte) 0xC3, 'b', 0, '\n'});
        assertEquals(List.of("a\uFFFD\uFFFDb\u0000"), texts());
    }
}
