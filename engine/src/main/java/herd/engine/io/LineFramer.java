package herd.engine.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines ending in {@code \n} (a {@code \r} right before it is
 * dropped too; any other byte, a {@code \r} ending an unterminated last line or an overlong
 * prefix included, is the line's own: an invalid line is echoed with exactly these bytes),
 * bounded in memory: a line longer than {@code maxLineBytes} is reported once as an
 * overlong {@link Frame} with the prefix seen so far, after which the framer ignores all
 * further input (the connection is to be closed), or, once told to {@link #skipOverlongLines()}
 * (peer links, where one bad record must not cost the link), only the rest of that line. At
 * end of input an unterminated last line is still a line.
 *
 * <p>A line costs no object: the framer hands out one {@link Frame} over its own buffer,
 * valid only during the callback; {@link Frame#text()} decodes it (malformed UTF-8 becomes
 * U+FFFD) for the lines that need a string and may lose bytes (handshakes, display); what
 * must keep every byte reads {@link Frame#bytes()}.
 *
 * <p>Not thread-safe: one framer per connection, fed by that connection's I/O thread.
 */
public final class LineFramer {

    /** One line as the framer found it. Valid during the callback only, unless {@link #detached}. */
    public static final class Frame {
        private byte[] bytes;
        private int length;
        private boolean overlong;
        private String text;

        private Frame() {
        }

        /** A frame of its own holding {@code text}'s UTF-8 bytes (tests, callers that keep a line). */
        public static Frame detached(String text, boolean overlong) {
            Frame f = new Frame();
            f.bytes = text.getBytes(StandardCharsets.UTF_8);
            f.length = f.bytes.length;
            f.overlong = overlong;
            f.text = text;
            return f;
        }

        /** The line's bytes are {@code bytes()[0, length())}, without the terminator. */
        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }

        /** True for the prefix of a line longer than the limit. */
        public boolean overlong() {
            return overlong;
        }

        /** The line as text; decoded once, on the first call. */
        public String text() {
            if (text == null) {
                text = new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            return text;
        }

        /** True when the line is exactly {@code ascii} (an ASCII word such as a heartbeat). */
        public boolean is(byte[] ascii) {
            if (length != ascii.length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (bytes[i] != ascii[i]) {
                    return false;
                }
            }
            return true;
        }

        /** True when the line starts with {@code ascii}. */
        public boolean startsWith(byte[] ascii) {
            if (length < ascii.length) {
                return false;
            }
            for (int i = 0; i < ascii.length; i++) {
                if (bytes[i] != ascii[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return (overlong ? "overlong: " : "") + text();
        }
    }

    private static final int INITIAL_BYTES = 256;
    private static final int KEPT_BYTES = 4096;

    private final int maxLineBytes;
    private final Frame frame = new Frame();
    private byte[] pending = new byte[INITIAL_BYTES];
    private int length;
    private boolean overflowed;
    private long lines;
    /** After an overlong line: go on with the line after it instead of ignoring all input. */
    private boolean skipOverlong;
    /** Discarding the rest of an overlong line, up to its {@code \n} ({@link #skipOverlong} only). */
    private boolean discarding;

    public LineFramer(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * From now on an overlong line costs only itself: after its prefix is reported, the rest
     * of it, up to its {@code \n}, is discarded and the next line framed as usual.
     */
    public void skipOverlongLines() {
        skipOverlong = true;
    }

    /** Consumes every byte remaining in {@code in}, handing each complete line to {@code out}. */
    public void feed(ByteBuffer in, Consumer<Frame> out) {
        while (in.hasRemaining() && !overflowed) {
            int start = in.position();
            int limit = in.limit();
            int newline = indexOfNewline(in, start, limit);
            if (discarding) {
                in.position(newline < 0 ? limit : newline + 1);
                discarding = newline < 0;
                continue;
            }
            int end = newline < 0 ? limit : newline;
            int room = maxLineBytes - length;
            if (end - start > room) {
                copy(in, start, room);
                in.position(start + room);
                if (skipOverlong) {
                    discarding = true;
                } else {
                    overflowed = true;
                }
                emit(out, true, false);
                continue;
            }
            copy(in, start, end - start);
            if (newline < 0) {
                in.position(limit);
            } else {
                in.position(newline + 1);
                emit(out, false, true);
            }
        }
        if (overflowed) {
            in.position(in.limit());
        }
    }

    /** Hands out the unterminated last line, if the stream ended inside one. */
    public void endOfInput(Consumer<Frame> out) {
        if (!overflowed && length > 0) {
            emit(out, false, false);
        }
    }

    public boolean overflowed() {
        return overflowed;
    }

    /** True when the input so far ends inside a line: some of it has come, its newline has not. */
    public boolean midLine() {
        return length > 0 && !overflowed;
    }

    /** How many lines have been handed out so far (a read that completed one moved it). */
    public long lines() {
        return lines;
    }

    private static int indexOfNewline(ByteBuffer in, int from, int to) {
        if (in.hasArray()) {
            byte[] a = in.array();
            int base = in.arrayOffset();
            for (int i = from; i < to; i++) {
                if (a[base + i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
        for (int i = from; i < to; i++) {
            if (in.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void copy(ByteBuffer in, int from, int count) {
        if (count == 0) {
            return;
        }
        int need = length + count;
        if (need > pending.length) {
            byte[] grown = new byte[Math.min(maxLineBytes, Math.max(need, pending.length * 2))];
            System.arraycopy(pending, 0, grown, 0, length);
            pending = grown;
        }
        in.get(from, pending, length, count);
        length = need;
    }

    /** {@code terminated}: the line ended in {@code \n}, so a {@code \r} before it is part of the terminator. */
    private void emit(Consumer<Frame> out, boolean overlong, boolean terminated) {
        int end = length;
        if (terminated && end > 0 && pending[end - 1] == '\r') {
            end--;
        }
        frame.bytes = pending;
        frame.length = end;
        frame.overlong = overlong;
        frame.text = null;
        length = 0;
        lines++;
        try {
            out.accept(frame);
        } finally {
            frame.bytes = null;
            frame.text = null;
            if (pending.length > KEPT_BYTES) {
                pending = new byte[INITIAL_BYTES]; // one long line must not pin its buffer for the connection's life
            }
        }
    }
}
