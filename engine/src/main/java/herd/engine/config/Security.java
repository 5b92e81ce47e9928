package herd.engine.config;

import herd.engine.HerdStartException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code security} section of a config: an optional shared secret that every peer link
 * must prove it knows, and optional TLS on peer links. Both off by default. The secret may
 * be written in the file ({@code peerSecret}) or, better, named by an environment variable
 * ({@code peerSecretEnv}); {@link #toString()} never shows it.
 *
 * @param peerSecret    the secret itself, or null
 * @param peerSecretEnv the environment variable holding it, or null
 * @param tls           TLS on peer links, or null for plain TCP
 */
public record Security(String peerSecret, String peerSecretEnv, Tls tls) {

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

    public static Security none() {
        return new Security(null, null, null);
    }

    /** The secret in force, from the file or the environment; empty when peers need none. */
    public Optional<String> secret(Map<String, String> env) throws HerdStartException {
        if (peerSecret != null) {
            return Optional.of(peerSecret);
        }
        if (peerSecretEnv == null) {
            return Optional.empty();
        }
        String value = env.get(peerSecretEnv);
        if (value == null || value.isEmpty()) {
            throw new HerdStartException("security.peerSecretEnv names " + peerSecretEnv
                    + ", which is not set: set it to the herd's shared secret", null);
        }
        return Optional.of(value);
    }

    @Override
    public String toString() {
        return "Security[peerSecret=" + (peerSecret == null ? "none" : "(set)") + ", peerSecretEnv=" + peerSecretEnv
                + ", tls=" + tls + "]";
    }
}
