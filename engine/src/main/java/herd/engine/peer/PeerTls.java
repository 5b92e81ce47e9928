package herd.engine.peer;

import herd.engine.HerdStartException;
import herd.engine.config.Security;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * TLS on peer links, mutual: each end shows the certificate in its key store and accepts
 * only certificates its trust store holds (no host-name check: the trust store is the
 * list of herd members). Peer links start in plain text on the shared client port and
 * switch to TLS before the peer handshake ({@code HERD-PEER-TLS} / {@code HERD-PEER-TLS-OK}, TLS
 * handshake, {@code HERD-PEER-TLS-READY} from the acceptor inside TLS),
 * so clients keep plain TCP. Immutable; the filter it adds is per session.
 */
public final class PeerTls {

    private static final String FILTER_NAME = "tls";

    private final SSLContext context;

    private PeerTls(SSLContext context) {
        this.context = context;
    }

    /** Loads the stores named by the config; a one-line error names what is wrong. */
    public static PeerTls load(Security.Tls tls, Map<String, String> env) throws HerdStartException {
        String password = env.get(tls.passwordEnv());
        if (password == null) {
            throw new HerdStartException("security.tls.passwordEnv names " + tls.passwordEnv()
                    + ", which is not set: set it to the key store's password", null);
        }
        try {
            KeyStore keys = read(tls.keyStore(), password);
            KeyStore trusted = read(tls.trustStoreOrKeyStore(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new PeerTls(ctx);
        } catch (IOException | GeneralSecurityException e) {
            throw new HerdStartException("cannot use TLS key store " + tls.keyStore() + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore read(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType()); // PKCS12; JDK 17 also reads JKS
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /** Starts TLS on {@code session}: client mode when this end dialled, server mode when it accepted. */
    void start(IoSession session) {
        SslFilter filter = new SslFilter(context);
        filter.setNeedClientAuth(true);
        filter.setEndpointIdentificationAlgorithm(null);
        filter.setEnabledProtocols("TLSv1.3"); // see PeerHandshake.tlsSecured: the acceptor must finish last
        session.getFilterChain().addFirst(FILTER_NAME, filter);
    }

    static boolean isOn(IoSession session) {
        return session.getFilterChain().contains(FILTER_NAME);
    }
}
