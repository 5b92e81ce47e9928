package herd.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Keeps off stderr MINA's own ERROR line for a connection that failed while being read or
 * flushed ({@code Exception occured while trying to read, closing session: Connection reset
 * by peer}): MINA hands the same exception to the engine's handler right after, and the
 * engine writes it to the server's event log as the connection's {@code CLOSE} line
 * ({@code connection error: Connection reset by peer}), or logs it at WARN when it is not an
 * I/O error. A client resetting its connection is ordinary; an ERROR on stderr for it is not.
 * Every other message of MINA's, its other I/O-processor errors included, passes. Any thread.
 */
final class MinaReportedErrors extends TurboFilter {

    static final String LOGGER = "org.apache.mina.core.service.IoProcessor";
    // MINA 2.2's messages for the two paths that call exceptionCaught after logging (AbstractPollingIoProcessor)
    private static final List<String> REPORTED = List.of(
            "Exception occured while trying to read, closing session",
            "Exception '{}' occured while trying to flush, closing session");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format != null && level == Level.ERROR && LOGGER.equals(logger.getName())
                && REPORTED.stream().anyMatch(format::startsWith)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
