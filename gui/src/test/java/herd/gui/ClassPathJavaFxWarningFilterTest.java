package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ClassPathJavaFxWarningFilterTest {

    private final ClassPathJavaFxWarningFilter filter = new ClassPathJavaFxWarningFilter();

    @Test
    void theTestJvmLogsThroughTheFilter() {
        assertEquals(ClassPathJavaFxWarningFilter.class.getName(),
                LogManager.getLogManager().getProperty("java.util.logging.ConsoleHandler.filter"));
    }

    @Test
    void onlyTheClassPathWarningIsDropped() {
        assertFalse(filter.isLoggable(record("javafx",
                "Unsupported JavaFX configuration: classes were loaded from 'unnamed module @6d1e7682'")));
        assertTrue(filter.isLoggable(record("javafx", "Unsupported JavaFX configuration: something else")));
        assertTrue(filter.isLoggable(record("javafx.css", "Could not resolve 'x' while resolving lookups")));
        assertTrue(filter.isLoggable(record("herd", null)));
    }

    private static LogRecord record(String logger, String message) {
        LogRecord r = new LogRecord(Level.WARNING, message);
        r.setLoggerName(logger);
        return r;
    }
}
