package herd.engine.server;

/**
 * A reply to one client command: the exact bytes to send (as text) and the line the event
 * log keeps for it.
 */
record Reply(String wire, String logged) {

    /** A one-line reply, logged as sent. */
    static Reply line(String text) {
        return new Reply(text + "\n", text);
    }

    static Reply invalid(String line) {
        return line("? " + line);
    }
}
