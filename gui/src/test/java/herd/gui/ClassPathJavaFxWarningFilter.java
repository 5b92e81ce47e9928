package herd.gui;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops JavaFX's warning that it was loaded from the unnamed module (PlatformImpl.startup logs it
 * when javafx.graphics is not a named module), and nothing else. The gui tests run JavaFX from the
 * class path on purpose: it is how launcher.jar runs it. Named in {@code logging.properties}; JUL
 * calls it on whatever thread logs.
 */
public final class ClassPathJavaFxWarningFilter implements Filter {

    static final String KNOWN = "Unsupported JavaFX configuration: classes were loaded from 'unnamed module";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return !("javafx".equals(record.getLoggerName()) && message != null && message.startsWith(KNOWN));
    }
}
