package herd.engine.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared-secret proof of a peer handshake: HMAC-SHA256 over both names and both
 * nonces, with a different label for each side so that one side's proof can never be
 * replayed as the other's. The secret itself never crosses the wire. Immutable and
 * thread-safe; {@link #NONE} means no secret is configured.
 */
public final class PeerAuth {

    public static final PeerAuth NONE = new PeerAuth(null);

    /** Made on first use: seeding a SecureRandom costs start-up time a herd without a secret never needs. */
    private static final class Random {
        static final SecureRandom SOURCE = new SecureRandom();
    }

    private final byte[] secret;

    private PeerAuth(byte[] secret) {
        this.secret = secret;
    }

    public static PeerAuth withSecret(String secret) {
        return secret == null ? NONE : new PeerAuth(secret.getBytes(StandardCharsets.UTF_8));
    }

    boolean enabled() {
        return secret != null;
    }

    /** 128 random bits, hex. */
    static String nonce() {
        byte[] b = new byte[16];
        Random.SOURCE.nextBytes(b);
        return HexFormat.of().formatHex(b);
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
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return enabled() ? "PeerAuth[secret set]" : "PeerAuth[none]";
    }
}
