package herd.engine;

/**
 * Receives a herd's events. Called synchronously on the thread where the event happened
 * (usually a MINA I/O thread), so an implementation must be quick and must never block:
 * hand the event to a queue and return.
 */
@FunctionalInterface
public interface HerdListener {
    void onEvent(HerdEvent event);
}
