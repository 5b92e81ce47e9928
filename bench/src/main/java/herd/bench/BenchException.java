package herd.bench;

/**
 * A benchmark cannot go on (a herd did not start, a limit is too low, a file cannot be
 * read); the message says what to do, and {@link Main} prints it as one line.
 */
final class BenchException extends RuntimeException {

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
