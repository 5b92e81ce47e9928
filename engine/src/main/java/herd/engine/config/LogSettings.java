package herd.engine.config;

/**
 * The {@code log} section of a config: how each server's event log rotates by size and how
 * many files of it are kept (README "Log format"). The folder is the top-level
 * {@code logDir}.
 *
 * <p>Defaults are for a server left running for months on a disk it shares: 64 MiB files
 * (about 450,000 lines of a typical 150 bytes, still quick to open or grep) and 10 files, so
 * at most 640 MiB per server, the last four and a half million lines or so; the disk never
 * fills however long it runs. {@code maxFileBytes} 0 turns rotation off, for operators who rotate with logrotate and SIGHUP instead: the file
 * then grows until something outside moves it away, and {@code maxFiles} is not used.
 *
 * @param maxFileBytes a file is rotated before a line would take it past this many bytes
 *                     ({@code <Name>.log} becomes {@code <Name>.log.1}); 0: never rotate. A
 *                     config file refuses values from 1 to {@link #MIN_FILE_BYTES} - 1
 * @param maxFiles     files kept per server, {@code <Name>.log} included; the oldest beyond
 *                     it is deleted at a rotation. At least 1 (then a rotation starts the one
 *                     file afresh)
 */
public record LogSettings(long maxFileBytes, int maxFiles) {

    /**
     * The smallest {@code maxFileBytes} a config file may give (other than 0): the writer's
     * block. Smaller files would rotate at nearly every flush under load.
     */
    public static final long MIN_FILE_BYTES = 64 * 1024;

    public LogSettings {
        if (maxFileBytes < 0 || maxFiles < 1) {
            throw new IllegalArgumentException("maxFileBytes must be 0 or more and maxFiles 1 or more, got "
                    + maxFileBytes + " and " + maxFiles);
        }
    }

    /** 64 MiB files, 10 of them: at most 640 MiB per server. */
    public static LogSettings defaults() {
        return new LogSettings(64L << 20, 10);
    }

    /** Whether files rotate by size at all ({@code maxFileBytes} is not 0). */
    public boolean rotates() {
        return maxFileBytes > 0;
    }
}
