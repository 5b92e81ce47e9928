package herd.engine;

import herd.engine.config.Limits;
import herd.engine.config.PlacesSettings;
import herd.engine.eventlog.EventBus;
import herd.engine.node.ServerLog;
import herd.engine.peer.PeerAuth;
import herd.engine.peer.PeerTls;
import herd.engine.places.PlacesProvider;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * What every server of one in-process herd shares (peerTls is null when links are plain TCP):
 * the event bus, each server's event log by name, the Places provider and its settings, one
 * timer thread for redials, one pool of MINA I/O threads, the clock, and the limits.
 */
record HerdContext(EventBus events, Function<String, ServerLog> logs, PlacesProvider places, PlacesSettings settings, ScheduledExecutorService timer,
                   IoProcessor<NioSession> ioProcessors, Clock clock, Limits limits,
                   PeerAuth peerAuth, PeerTls peerTls) {
}
