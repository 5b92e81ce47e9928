package herd.engine.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret proof of a peer handshake: HMAC-SHA256 over both names and both nonces, with a
 * different label for each side so that one side's proof can never be replayed as the
 * other's. The secret itself never crosses the wire. The secret is a shared one from the
 * config, the user's cookie ({@link CookieFile}), or one made in memory for the servers of a
 * herd that all run in one process ({@link #inMemory()}); {@link #NONE} means peers do not
 * authenticate. Thread-safe.
 */
public final class PeerAuth {

    public static final PeerAuth NONE = new PeerAuth(false, null, "none");

    /**
     * Made on first use: seeding a SecureRandom costs start-up time. That is the first
     * handshake, after the server listens (or the first start ever, which makes the cookie).
     */
    private static final class Random {
        static final SecureRandom SOURCE = new SecureRandom();
    }

    private final boolean enabled;
    private final String kind;
    /** The secret; for {@link #inMemory()}, made on first use (from the nonces' random source). */
    private volatile byte[] secret;

    private PeerAuth(boolean enabled, byte[] secret, String kind) {
        this.enabled = enabled;
        this.kind = kind;
        this.secret = secret;
    }

    public static PeerAuth withSecret(String secret) {
        return secret == null ? NONE : new PeerAuth(true, secret.getBytes(StandardCharsets.UTF_8), "secret set");
    }

    /**
     * A random secret that only this object knows, for servers that all run in this process
     * and share it: no file to read, and nothing outside the process can learn it. Made at
     * the first handshake, when the nonces' random source is seeded anyway, not at start-up.
     */
    public static PeerAuth inMemory() {
        return new PeerAuth(true, null, "in memory");
    }

    boolean enabled() {
        return enabled;
    }

    /** 128 random bits, hex. */
    static String nonce() {
        return HexFormat.of().formatHex(randomBytes(16));
    }

    /** {@code n} bytes from the process's one SecureRandom. */
    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        Random.SOURCE.nextBytes(b);
        return b;
    }

    private byte[] secret() {
        byte[] s = secret;
        if (s == null) {
            synchronized (this) {
                if (secret == null) {
                    secret = randomBytes(32);
                }
                s = secret;
            }
        }
        return s;
    }

    /** What the accepting server proves: it knows the secret, for this dialer's nonce. */
    String acceptorProof(String acceptor, String dialer, String dialerNonce, String acceptorNonce) {
        return mac("acceptor|" + acceptor + "|" + dialer + "|" + dialerNonce + "|" + acceptorNonce);
    }

    /** What the dialling server proves in return, for the acceptor's nonce. */
    String dialerProof(String dialer, String acceptor, String acceptorNonce, String dialerNonce) {
        return mac("dialer|" + dialer + "|" + acceptor + "|" + acceptorNonce + "|" + dialerNonce);
    }

    /** Constant-time comparison, so timing tells a stranger nothing. */
    static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "PeerAuth[" + kind + "]";
    }
}
