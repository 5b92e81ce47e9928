package herd.engine.peer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

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
        return HexFormat.of().formatHex(hmacSha256(secret(), message.getBytes(StandardCharsets.UTF_8)));
    }

    private static final int SHA256_BLOCK = 64;

    /**
     * HMAC-SHA256 (RFC 2104) on {@link MessageDigest}, the same bytes as
     * {@code javax.crypto.Mac} gives (a test compares them). Not {@code Mac}: now that every
     * link authenticates by default, each server makes a proof within milliseconds of
     * starting, and the first {@code Mac} of a JVM loads the JCE's provider and policy
     * machinery, about 35 ms of CPU here against about 13 ms for the first SHA-256 digest.
     */
    static byte[] hmacSha256(byte[] key, byte[] message) {
        MessageDigest sha256 = sha256();
        byte[] block = new byte[SHA256_BLOCK];
        byte[] k = key.length > SHA256_BLOCK ? sha256.digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        byte[] pad = new byte[SHA256_BLOCK];
        for (int i = 0; i < SHA256_BLOCK; i++) {
            pad[i] = (byte) (block[i] ^ 0x36);
        }
        sha256.update(pad);
        byte[] inner = sha256.digest(message);
        for (int i = 0; i < SHA256_BLOCK; i++) {
            pad[i] = (byte) (block[i] ^ 0x5c);
        }
        sha256.update(pad);
        return sha256.digest(inner);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "PeerAuth[" + kind + "]";
    }
}
