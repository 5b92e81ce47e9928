package herd.engine.config;

/**
 * A config that cannot be used. The message is one line naming the problem, fit to show a
 * user as it is.
 */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }
}
