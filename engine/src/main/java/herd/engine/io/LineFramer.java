package herd.engine.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream into UTF-8 lines ending in {@code \n} (a {@code \r} before it is
 * dropped), bounded in memory: a line longer than {@code maxLineBytes} is reported once as
 * {@link Frame.Overlong} with the prefix seen so far, after which the framer ignores all
 * further input (the connection is to be closed). At end of input an unterminated last
 * line is still a line. Malformed UTF-8 becomes U+FFFD.
 *
 * <p>Not thread-safe: one framer per connection, fed by that connection's I/O thread.
 */
public final class LineFramer {

    /** What the framer found in the stream. */
    public sealed interface Frame {
        String text();

        record Line(String text) implements Frame {}

        record Overlong(String text) implements Frame {}
    }

    private final int maxLineBytes;
    private byte[] pending = new byte[256];
    private int length;
    private boolean overflowed;

    public LineFramer(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Consumes every byte remaining in {@code in}, handing each complete line to {@code out}. */
    public void feed(ByteBuffer in, Consumer<Frame> out) {
        while (in.hasRemaining() && !overflowed) {
            byte b = in.get();
            if (b == '\n') {
                out.accept(new Frame.Line(take()));
            } else if (length == maxLineBytes) {
                overflowed = true;
                out.accept(new Frame.Overlong(take()));
            } else {
                append(b);
            }
        }
        if (overflowed) {
            in.position(in.limit());
        }
    }

    /** Hands out the unterminated last line, if the stream ended inside one. */
    public void endOfInput(Consumer<Frame> out) {
        if (!overflowed && length > 0) {
            out.accept(new Frame.Line(take()));
        }
    }

    public boolean overflowed() {
        return overflowed;
    }

    private void append(byte b) {
        if (length == pending.length) {
            byte[] grown = new byte[Math.min(maxLineBytes, pending.length * 2)];
            System.arraycopy(pending, 0, grown, 0, length);
            pending = grown;
        }
        pending[length++] = b;
    }

    private String take() {
        int end = length;
        if (end > 0 && pending[end - 1] == '\r') {
            end--;
        }
        String text = decode(pending, end);
        length = 0;
        if (pending.length > 4096) {
            pending = new byte[256]; // one long line must not pin its buffer for the connection's life
        }
        return text;
    }

    private static String decode(byte[] bytes, int len) {
        // The String constructor replaces malformed input with U+FFFD exactly as a REPLACE
        // decoder does, without making a decoder per line (this runs for every line in).
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }
}
