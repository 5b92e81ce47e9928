package herd.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dialling side of a peer handshake with a secret, as a test's fake neighbour speaks it:
 * the exchange of README "Peer authentication", written out here from the README rather
 * than through the engine's classes, so that a test also checks the wire format.
 */
public final class FakePeer {

    /** Writes a line (with its {@code \n}). */
    @FunctionalInterface
    public interface Send {
        void send(String text) throws IOException;
    }

    /** Reads one line, without its {@code \n}. */
    @FunctionalInterface
    public interface Receive {
        String readLine() throws IOException;
    }

    private FakePeer() {
    }

    /**
     * Opens a link as {@code dialer} to {@code acceptor} on {@code socket}, proving {@code secret}
     * (the test run's cookie: {@link TestHerds#cookie()}); returns once the acceptor welcomed
     * it. Reads byte by byte: nothing after the welcome is consumed.
     */
    public static void handshake(Socket socket, String dialer, String acceptor, String secret) throws IOException {
        InputStream in = socket.getInputStream();
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(15_000); // a server that never answers fails the test, not hangs it
        try {
            handshake(text -> socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8)), () -> readLine(in),
                    dialer, acceptor, secret);
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** As {@link #handshake(Socket, String, String, String)}, over any line connection. */
    public static void handshake(Send out, Receive in, String dialer, String acceptor, String secret) throws IOException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        out.send("HERD-PEER " + dialer + " " + acceptor + " " + nonce + "\n");
        String challenge = in.readLine();
        String[] f = challenge.split(" ");
        if (f.length != 4 || !f[0].equals("HERD-PEER-CHALLENGE") || !f[1].equals(acceptor)) {
            throw new IOException("expected " + acceptor + "'s challenge, got: " + challenge);
        }
        String acceptorNonce = f[2];
        if (!f[3].equals(hmac(secret, "acceptor|" + acceptor + "|" + dialer + "|" + nonce + "|" + acceptorNonce))) {
            throw new IOException(acceptor + " does not know the secret");
        }
        out.send("HERD-PEER-PROOF " + dialer + " "
                + hmac(secret, "dialer|" + dialer + "|" + acceptor + "|" + acceptorNonce + "|" + nonce) + "\n");
        String welcome = in.readLine();
        if (!welcome.equals("HERD-PEER-OK " + acceptor)) {
            throw new IOException("expected " + acceptor + "'s welcome, got: " + welcome);
        }
    }

    private static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1) {
            throw new IOException("connection closed during the handshake after: " + line.toString(StandardCharsets.UTF_8));
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
