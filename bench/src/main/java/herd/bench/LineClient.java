package herd.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One blocking client connection for measuring one request at a time: a NIO
 * {@link SocketChannel} with {@code TCP_NODELAY}, written directly and read through its
 * socket's stream so that a read has a timeout yet costs one system call. Used by one
 * thread at a time.
 */
final class LineClient implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;
    private final String where;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;

    private LineClient(SocketChannel channel, String where) throws IOException {
        this.channel = channel;
        this.where = where;
        this.in = channel.socket().getInputStream();
    }

    /** Connects to {@code address}; every later read fails after {@code timeout} without data. */
    static LineClient connect(InetSocketAddress address, String server, Duration timeout) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(address, (int) timeout.toMillis());
            ch.socket().setSoTimeout((int) timeout.toMillis());
            return new LineClient(ch, server + " (" + address.getPort() + ")");
        } catch (IOException e) {
            throw new BenchException("cannot connect to " + server + " at " + address + ": " + e.getMessage());
        }
    }

    /** Writes {@code line} and a newline. */
    void send(String line) {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new BenchException("cannot write to " + where + ": " + e.getMessage());
        }
    }

    /** The next line, without its terminator. */
    String readLine() {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') {
                    String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
                    start = i + 1;
                    return line;
                }
            }
            fill();
        }
    }

    /**
     * A whole WHATSAT reply: up to and including the blank line that ends it, or a single
     * {@code ? ...} line (without terminator) if the server refused the command.
     */
    String readWhatsAtReply() {
        int scanned = 0; // bytes after start already searched for the blank line
        while (true) {
            if (end > start && buf[start] == '?') {
                return readLine();
            }
            for (int i = start + Math.max(1, scanned); i < end; i++) {
                if (buf[i] == '\n' && buf[i - 1] == '\n') {
                    String reply = new String(buf, start, i + 1 - start, StandardCharsets.UTF_8);
                    start = i + 1;
                    return reply;
                }
            }
            scanned = end - start;
            fill();
        }
    }

    private void fill() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, end);
            buf = bigger;
        }
        int n;
        try {
            n = in.read(buf, end, buf.length - end);
        } catch (SocketTimeoutException e) {
            throw new BenchException(where + " did not answer in time");
        } catch (IOException e) {
            throw new BenchException("cannot read from " + where + ": " + e.getMessage());
        }
        if (n < 0) {
            throw new BenchException(where + " closed the connection");
        }
        end += n;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a client we are done with: nothing to report
        }
    }

    static Duration defaultTimeout() {
        return Duration.ofSeconds(10);
    }
}
