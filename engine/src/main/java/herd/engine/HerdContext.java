package herd.engine;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * What every server of one in-process herd shares: the event bus, the Places provider and its settings,
 * one timer thread for redials, one pool of MINA I/O threads, the clock, and the limits.
 */
record HerdContext(EventBus events, PlacesProvider places, PlacesSettings settings, ScheduledExecutorService timer,
                   IoProcessor<NioSession> ioProcessors, Clock clock, Limits limits) {

    /**
     * Bounds that keep memory flat whatever a party sends or fails to read.
     *
     * @param maxLineBytes       a longer line is answered {@code ? prefix} and its connection closed
     * @param maxClientQueue     bytes queued to a client that does not read before it is dropped
     * @param maxPeerQueue       bytes queued on a peer link before it is dropped and redialled
     */
    record Limits(int maxLineBytes, long maxClientQueue, long maxPeerQueue) {
        static Limits defaults() {
            return new Limits(64 * 1024, 4L << 20, 16L << 20);
        }
    }
}
