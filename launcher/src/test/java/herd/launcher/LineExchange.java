package herd.launcher;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One client exchange as scripts do it: write, half-close, read to end of input. */
final class LineExchange {

    private LineExchange() {
    }

    static String exchange(int port, String text) throws IOException {
        return exchange("127.0.0.1", port, text);
    }

    static String exchange(String host, int port, String text) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The AT line the server on {@code port} answers {@code WHATSAT client} with, or null if it does not know the client. */
    static String knownAt(int port, String client) throws IOException {
        String reply = exchange(port, "WHATSAT " + client + " 1 1\n");
        return reply.startsWith("? ") ? null : reply.lines().findFirst().orElse(null);
    }
}
