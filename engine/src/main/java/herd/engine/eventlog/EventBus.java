package herd.engine.eventlog;

import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each event to every subscribed listener (the monitor, a test), on the caller's thread;
 * the event log is not one of them (see {@code NodeEvents}). A listener that
 * throws is reported once to the diagnostic log and does not stop the others.
 */
public final class EventBus implements HerdListener {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private final List<HerdListener> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(HerdListener listener) {
        listeners.add(listener);
    }

    public void unsubscribe(HerdListener listener) {
        listeners.remove(listener);
    }

    /** True while some listener is subscribed: only then are event objects made. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    @Override
    public void onEvent(HerdEvent event) {
        for (HerdListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("herd listener {} failed on {}", l, event.kind(), e);
            }
        }
    }
}
