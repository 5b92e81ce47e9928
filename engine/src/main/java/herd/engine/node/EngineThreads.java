package herd.engine.node;

import java.util.concurrent.ThreadFactory;

/**
 * Every thread the engine starts, in one place. All are daemons, so a forgotten herd never
 * keeps a JVM alive. {@code Herd.close()} stops a herd's own (I/O, acceptor, connector,
 * timer, event log); the two process-wide ones end by themselves (the HTTP pool's threads
 * after a minute idle, the gazetteer loader once loaded).
 * <ul>
 * <li>{@code NioProcessor-N} (MINA's names): the herd's I/O threads, shared by every
 *     server of a {@code Herd}, at least two and one per core. They run the client
 *     protocol, flooding and the peer handshake, and never block.</li>
 * <li>{@code NioSocketAcceptor-N}, {@code NioSocketConnector-N} (MINA's): accept and
 *     connect, one of each per server while it has work.</li>
 * <li>{@value #TIMER}: one per herd; link redials, a lingering close, a TLS give-up.</li>
 * <li>{@value #EVENT_LOG}: one per herd; writes every server's event log file.</li>
 * <li>{@value #PLACES_HTTP}: the Places HTTP client's threads (network providers only);
 *     they complete WHATSAT replies.</li>
 * <li>{@value #GAZETTEER}: once per process, loads the offline gazetteer.</li>
 * </ul>
 */
public final class EngineThreads {

    public static final String TIMER = "herd-timer";
    public static final String EVENT_LOG = "herd-event-log";
    public static final String PLACES_HTTP = "herd-places-http";
    public static final String GAZETTEER = "herd-gazetteer-loader";

    private EngineThreads() {
    }

    /** Daemon threads named {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    public static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
