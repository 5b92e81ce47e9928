package herd.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain blocking TCP client for tests, like the scripts that use Herd: write, optionally
 * half-close, read. Every read has a deadline so a broken server fails the test, not hangs it.
 */
public final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    public LineClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    /** A client of the server at {@code host} (an address of this machine other than 127.0.0.1, say). */
    public LineClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
    }

    public LineClient send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    public LineClient sendBytes(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one line, without its {@code \n}. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("connection closed before a line");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Half-closes and reads everything until the server closes. */
    public String finish() throws IOException {
        socket.shutdownOutput();
        return readToEnd();
    }

    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Half-closes and reads every byte until the server closes, undecoded. */
    public byte[] finishBytes() throws IOException {
        socket.shutdownOutput();
        return in.readAllBytes();
    }

    /** {@link #exchange} on bytes both ways, for lines that are not UTF-8. */
    public static byte[] exchange(int port, byte[] bytes) throws IOException {
        try (LineClient c = new LineClient(port)) {
            return c.sendBytes(bytes).finishBytes();
        }
    }

    /** One exchange as a script does it: send, half-close, read to end of input. */
    public static String exchange(int port, String text) throws IOException {
        return exchange("127.0.0.1", port, text);
    }

    /** {@link #exchange(int, String)} with the server at {@code host}. */
    public static String exchange(String host, int port, String text) throws IOException {
        try (LineClient c = new LineClient(host, port)) {
            return c.send(text).finish();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
