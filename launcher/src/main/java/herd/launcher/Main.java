package herd.launcher;

import herd.engine.EarlyListeners;
import herd.engine.Herd;
import herd.engine.HerdStartException;
import herd.engine.config.ConfigException;
import herd.engine.config.HerdConfig;
import herd.engine.config.ServerSpec;
import herd.gui.Monitor;
import herd.launcher.metrics.MetricsServers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * {@code launcher.jar}'s entry point: one server by name, the whole herd, or the monitor.
 * A plain class, not a JavaFX {@code Application}, so headless modes never load JavaFX and
 * the fat jar starts the monitor without a module path.
 * Exit codes: 0 after a clean shutdown, 1 when a server cannot start (its port or its metrics
 * port in use), 2 for a bad command line or config.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar launcher.jar NAME [--config FILE] [--metrics-port N]
                                                          run one server of the herd
                   java -jar launcher.jar --herd [--config FILE] run every server in this process
                   java -jar launcher.jar --gui [--config FILE]  run every server with the monitor window
                   java -jar launcher.jar --help                 show this help
            Without --config, the built-in five-server herd on 127.0.0.1:12010-12014 is used.
            --metrics-port N serves NAME's Prometheus metrics and /health over HTTP on port N of
            its host (0: any free port, printed at start); with --herd, give each server
            "metrics": {"port": N} in the config instead.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the launcher; returns the exit code (blocks until SIGINT/SIGTERM while serving). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("herd: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (cl.mode() == CommandLine.Mode.HELP) {
            out.print(USAGE);
            return 0;
        }
        HerdConfig config;
        try {
            config = cl.config() == null ? HerdConfig.defaults() : HerdConfig.load(Path.of(cl.config()));
        } catch (ConfigException e) {
            err.println("herd: " + e.getMessage());
            return 2;
        }
        List<String> names = switch (cl.mode()) {
            case SERVER -> List.of(cl.serverName());
            default -> config.serverNames();
        };
        if (cl.mode() == CommandLine.Mode.SERVER && config.server(cl.serverName()).isEmpty()) {
            err.println("herd: unknown server \"" + cl.serverName() + "\"; valid names: "
                    + String.join(", ", config.serverNames()));
            return 2;
        }
        if (cl.metricsPort() != null) {
            try {
                config = config.withMetricsPort(cl.serverName(), cl.metricsPort());
            } catch (IllegalArgumentException e) {
                err.println("herd: " + e.getMessage());
                return 2;
            }
        }
        if (cl.mode() == CommandLine.Mode.GUI) {
            if (!config.metricsPorts().isEmpty()) { // said, not silently ignored; the window shows the counters
                err.println("herd: --gui serves no metrics; the metrics ports of " + String.join(", ",
                        config.metricsPorts().keySet()) + " in " + config.source() + " are for NAME and --herd runs");
            }
            return monitor(config, err);
        }
        return serve(config, names, cl, err);
    }

    // The only place the launcher touches the gui module: JavaFX is loaded when this runs, never before.
    private static int monitor(HerdConfig config, PrintStream err) {
        return Monitor.run(config, System.getenv(), err);
    }

    /**
     * Runs the servers until SIGTERM or SIGINT. Each server's port is bound first, before the
     * engine loads, so that nobody's connection is refused while it does (EarlyListeners);
     * a port that is taken ends the launcher with exit 1 as before. The shutdown hook and the signal handlers are
     * in place before the first port listens: a signal that comes while the herd is starting
     * (a supervisor, or a grading script, stopping it at once) waits for the start to finish,
     * then closes the herd as any other stop does (SERVER_DOWN written, logs flushed, ports
     * released) and exits 0.
     */
    private static int serve(HerdConfig config, List<String> names, CommandLine cl, PrintStream err) {
        String metricsNote = "";
        AtomicReference<Herd> running = new AtomicReference<>();
        AtomicReference<AutoCloseable> metrics = new AtomicReference<>();
        CountDownLatch startDone = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(new Stop(running, metrics, startDone, stopped),
                "herd-shutdown"));
        exitZeroOn("TERM", err);
        exitZeroOn("INT", err);
        handle("HUP", new Reload(running, cl.config() == null ? null : Path.of(cl.config()), err), err);
        try {
            for (String name : names) { // before the engine loads: see EarlyListeners
                ServerSpec spec = config.server(name).orElseThrow();
                if (spec.port() != 0) {
                    EarlyListeners.bind(name, spec.listenHost(), spec.port(), config.limits().acceptBacklog());
                }
            }
            Herd herd = Herd.start(config, names, System.getenv());
            running.set(herd);
            if (!config.metricsPorts().isEmpty()) {
                metricsNote = startMetrics(config, herd, metrics);
            }
        } catch (HerdStartException e) {
            EarlyListeners.closeAll();
            err.println("herd: " + e.getMessage());
            return 1;
        } catch (IOException e) { // a metrics port that cannot be bound, after the servers started
            running.get().close();
            err.println("herd: " + e.getMessage());
            return 1;
        } finally {
            startDone.countDown();
        }
        err.println("herd: running " + String.join(", ", names) + " (config: " + config.source() + ", logs in "
                + config.logDir().toAbsolutePath().normalize() + metricsNote + "); stop with Ctrl-C");
        HeapFootprint.startInBackground();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Starts the metrics endpoints the config asks for (README "Metrics"), after the servers,
     * which answer clients meanwhile; returns the note for the start-up line. Only a run that
     * serves metrics loads the Prometheus client.
     */
    private static String startMetrics(HerdConfig config, Herd herd, AtomicReference<AutoCloseable> into)
            throws IOException {
        if (!MetricsServers.wanted(config, herd)) {
            return "";
        }
        MetricsServers started = MetricsServers.start(config, herd);
        into.set(started);
        return "; " + started.describe();
    }

    /**
     * The shutdown hook: waits for a start in progress, then closes the metrics endpoints and
     * the herd. A class, not a lambda, as is the signal handler: they run before the ports
     * are bound, and the first lambda of a JVM costs tens of milliseconds of start-up.
     */
    private record Stop(AtomicReference<Herd> running, AtomicReference<AutoCloseable> metrics,
                        CountDownLatch startDone, CountDownLatch stopped) implements Runnable {
        @Override
        public void run() {
            awaitUninterruptibly(startDone);
            AutoCloseable endpoints = metrics.get();
            if (endpoints != null) {
                try {
                    endpoints.close();
                } catch (Exception e) {
                    System.err.println("herd: closing the metrics endpoints: " + e);
                }
            }
            Herd herd = running.get();
            if (herd != null) {
                herd.close();
            }
            stopped.countDown();
        }
    }

    /**
     * SIGHUP (SPEC §4a): the event logs are closed and opened again, so that a log rotator
     * that moved them away (logrotate's convention) or a deleted file gets a fresh one; then
     * the config file, if the herd was started with one, is read again and its difference
     * applied ({@link Herd#reload}: README "Growing the herd"). A file that does not
     * validate, or a change only a restart can make, is one line on stderr (and in the log),
     * and the running config stays. A server the new config no longer names stops; when
     * none is left, the process exits 0 as after SIGTERM.
     */
    private record Reload(AtomicReference<Herd> running, Path configFile, PrintStream err)
            implements sun.misc.SignalHandler {
        @Override
        public void handle(Signal signal) {
            Herd herd = running.get();
            if (herd == null) {
                return;
            }
            herd.reopenLogs();
            if (configFile == null) {
                return; // the built-in herd: nothing to reread
            }
            try {
                List<String> applied = herd.reload(configFile);
                err.println("herd: config " + configFile + " reloaded: " + String.join("; ", applied));
            } catch (ConfigException | IllegalArgumentException e) {
                err.println("herd: config reload refused, the running config stays: " + e.getMessage());
            } catch (HerdStartException e) {
                err.println("herd: config reload: " + e.getMessage());
            } catch (RuntimeException e) { // a bug: say so rather than let the signal's thread die quietly
                err.println("herd: config reload failed: " + e);
                e.printStackTrace(err);
            }
            if (herd.servers().isEmpty()) {
                err.println("herd: no server of this process is in the config any more; stopping");
                System.exit(0);
            }
        }
    }

    /** Exits 0, which runs the shutdown hook (see {@link #exitZeroOn}). */
    private static final class ExitZero implements sun.misc.SignalHandler {
        @Override
        public void handle(Signal signal) {
            System.exit(0);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM and SIGINT are how a server is stopped, so they end in a clean shutdown with
     * exit 0 (README). Left to the JVM, they run the same shutdown hooks but then exit with
     * 128 + the signal's number (143, 130), which a supervisor reads as a failure.
     * {@code System.exit(0)} from the handler starts the ordinary shutdown: every hook runs to
     * its end (ours closes the herd, which writes out the event logs), and only then does the
     * JVM exit, with 0. Not {@code Runtime.halt(0)} from our hook: halting would cut short any
     * other hook still running. A JVM started with {@code -Xrs} refuses the handler and leaves
     * these signals to the operating system (no clean shutdown at all); one line says so.
     */
    private static void exitZeroOn(String signal, PrintStream err) {
        handle(signal, new ExitZero(), err);
    }

    private static void handle(String signal, sun.misc.SignalHandler handler, PrintStream err) {
        try {
            Signal.handle(new Signal(signal), handler);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("herd: SIG" + signal + " is not handled: " + e.getMessage());
        }
    }
}
