package herd.engine.config;

import herd.engine.HerdStartException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code security} section of a config: how peer links authenticate, and optional TLS
 * on peer links.
 *
 * <p>Peer links authenticate by default, without any setup, the way Erlang distribution
 * does: with no secret configured, every server a user starts on a machine proves it knows
 * that user's <em>cookie</em>, a random secret in a file only the user can read, made on the
 * first start ({@link PeerAuthentication#COOKIE}). A shared secret ({@code peerSecret}, or
 * better {@code peerSecretEnv}, naming an environment variable) replaces the cookie, for a
 * herd whose servers run as different users or on machines that do not share the file.
 * {@code peerAuth: "none"} turns authentication off: any process that reaches a port can
 * then pose as a neighbour. {@link #toString()} never shows a secret.
 *
 * @param peerAuth      how peer links prove who they are
 * @param peerSecret    the shared secret itself ({@link PeerAuthentication#SHARED_SECRET}), or null
 * @param peerSecretEnv the environment variable holding it, or null
 * @param cookieFile    where the cookie is kept ({@link PeerAuthentication#COOKIE} only); null
 *                      for the default, {@value #COOKIE_FILE_ENV} or else {@code ~/.herd/cookie}
 * @param tls           TLS on peer links, or null for plain TCP
 */
public record Security(PeerAuthentication peerAuth, String peerSecret, String peerSecretEnv, Path cookieFile,
                       Tls tls) {

    /** The environment variable that overrides where the cookie is kept (tests, CI, a second herd). */
    public static final String COOKIE_FILE_ENV = "HERD_COOKIE_FILE";

    /** How peer links prove who they are. */
    public enum PeerAuthentication {
        /**
         * The default: the secret is the user's cookie file. Servers of one {@code Herd} that
         * runs every server of its config share a secret made in memory instead (no server
         * outside the process can belong to that herd, so none needs the file).
         */
        COOKIE,
        /** A secret given in the config or the environment, the same on every server. */
        SHARED_SECRET,
        /** No authentication: the README's warning applies. */
        NONE
    }

    /**
     * TLS for peer links: this server's certificate and key, and the certificates it trusts.
     *
     * @param keyStore         a PKCS#12 or JKS key store holding this server's key and certificate
     * @param passwordEnv      the environment variable holding the key store's password
     * @param trustStore       the store of trusted certificates (the key store when null)
     */
    public record Tls(Path keyStore, String passwordEnv, Path trustStore) {
        public Path trustStoreOrKeyStore() {
            return trustStore != null ? trustStore : keyStore;
        }
    }

    public Security {
        if (peerAuth == null) {
            throw new IllegalArgumentException("peerAuth is required");
        }
        boolean secret = peerSecret != null || peerSecretEnv != null;
        if (peerSecret != null && peerSecretEnv != null) {
            throw new IllegalArgumentException("give peerSecret or peerSecretEnv, not both");
        }
        if (secret != (peerAuth == PeerAuthentication.SHARED_SECRET)) {
            throw new IllegalArgumentException("a shared secret goes with SHARED_SECRET, and only with it");
        }
        if (cookieFile != null && peerAuth != PeerAuthentication.COOKIE) {
            throw new IllegalArgumentException("a cookie file goes with COOKIE only");
        }
    }

    /** Peer links authenticate with the user's cookie, kept where the environment or {@code ~/.herd} says. */
    public static Security defaults() {
        return new Security(PeerAuthentication.COOKIE, null, null, null, null);
    }

    /** Peer links do not authenticate (the README's warning applies). */
    public static Security unauthenticated() {
        return new Security(PeerAuthentication.NONE, null, null, null, null);
    }

    /** Peer links prove they know {@code secret}. */
    public static Security sharedSecret(String secret) {
        return new Security(PeerAuthentication.SHARED_SECRET, secret, null, null, null);
    }

    /** Peer links prove they know the secret held by the environment variable {@code variable}. */
    public static Security sharedSecretFromEnv(String variable) {
        return new Security(PeerAuthentication.SHARED_SECRET, null, variable, null, null);
    }

    /** This, with the cookie kept in {@code file} unless {@value #COOKIE_FILE_ENV} says otherwise. */
    public Security withCookieFile(Path file) {
        return new Security(peerAuth, peerSecret, peerSecretEnv, file, tls);
    }

    public Security withTls(Tls newTls) {
        return new Security(peerAuth, peerSecret, peerSecretEnv, cookieFile, newTls);
    }

    /** The shared secret in force, from the file or the environment ({@link PeerAuthentication#SHARED_SECRET} only). */
    public String secret(Map<String, String> env) throws HerdStartException {
        if (peerSecret != null) {
            return peerSecret;
        }
        String value = env.get(peerSecretEnv);
        if (value == null || value.isEmpty()) {
            throw new HerdStartException("security.peerSecretEnv names " + peerSecretEnv
                    + ", which is not set: set it to the herd's shared secret", null);
        }
        return value;
    }

    /**
     * Where the cookie is kept: the file named by {@value #COOKIE_FILE_ENV} in {@code env} if
     * set (so that tests and CI never touch the real home folder), else {@link #cookieFile()},
     * else {@code ~/.herd/cookie}. A leading {@code ~/} means the user's home folder.
     */
    public Path cookieFileIn(Map<String, String> env) {
        String override = env.get(COOKIE_FILE_ENV);
        if (override != null && !override.isEmpty()) {
            return homeExpanded(override);
        }
        if (cookieFile != null) {
            return homeExpanded(cookieFile.toString());
        }
        return Path.of(System.getProperty("user.home"), ".herd", "cookie");
    }

    private static Path homeExpanded(String path) {
        return path.startsWith("~/") ? Path.of(System.getProperty("user.home"), path.substring(2)) : Path.of(path);
    }

    @Override
    public String toString() {
        return "Security[peerAuth=" + peerAuth + ", peerSecret=" + (peerSecret == null ? "none" : "(set)")
                + ", peerSecretEnv=" + peerSecretEnv + ", cookieFile=" + cookieFile + ", tls=" + tls + "]";
    }
}
