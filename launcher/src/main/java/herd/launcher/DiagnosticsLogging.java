package herd.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoField;

/**
 * The launcher's diagnostics logging (start-up, trouble; the per-server event logs are
 * separate files), set up in code: found by logback through {@code META-INF/services}, it
 * runs before logback looks for XML. Reading a {@code logback.xml} loads an XML parser and
 * logback's configuration model, about 250 ms before the first port can listen; this does
 * the same set-up in a few milliseconds. Lines go to stderr as
 * {@code HH:mm:ss.SSS LEVEL Logger - message}; MINA at WARN, everything else at INFO, without
 * MINA's errors for connections the event log already reports ({@link MinaReportedErrors}).
 *
 * <p>Anyone who wants other logging passes {@code -Dlogback.configurationFile=FILE}, or puts
 * a {@code logback-test.xml} on the class path (the tests do): then this steps aside and
 * logback's own XML configuration runs as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DiagnosticsLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || DiagnosticsLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Line layout = new Line();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("org.apache.mina").setLevel(Level.WARN);
        MinaReportedErrors reported = new MinaReportedErrors(); // the event log has them (a connection's CLOSE)
        reported.setContext(context);
        reported.start();
        context.addTurboFilter(reported);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * {@code HH:mm:ss.SSS LEVEL Logger - message}, then the stack trace if there is one: what
     * the pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n} prints, without
     * logback's pattern parser and converters (measured 2026-12-04: 20-60 ms more CPU on the
     * main thread before the first answer with a PatternLayoutEncoder, median of 9 starts).
     */
    static final class Line extends LayoutBase<ILoggingEvent> {

        private final ZoneId zone = ZoneId.systemDefault();

        @Override
        public String doLayout(ILoggingEvent event) {
            LocalTime t = LocalTime.ofInstant(event.getInstant(), zone);
            StringBuilder b = new StringBuilder(128);
            two(b, t.getHour()).append(':');
            two(b, t.getMinute()).append(':');
            two(b, t.getSecond()).append('.');
            int ms = t.get(ChronoField.MILLI_OF_SECOND);
            b.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
            String level = event.getLevel().toString();
            b.append(' ').append(level).append(" ".repeat(Math.max(0, 5 - level.length())));
            String logger = event.getLoggerName();
            b.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length());
            b.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            if (event.getThrowableProxy() != null) {
                b.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
            }
            return b.toString();
        }

        private static StringBuilder two(StringBuilder b, int n) {
            return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
        }
    }
}
