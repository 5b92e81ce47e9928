package herd.engine;

/**
 * A server could not start: its port is taken or its log folder cannot be written. The
 * message is one line naming the server and the problem.
 */
public final class HerdStartException extends Exception {

    public HerdStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
