package herd.gui;

import herd.engine.Herd;
import herd.engine.HerdStartException;
import herd.engine.config.HerdConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code launcher.jar --gui}: every server of a config in this process, with the monitor
 * window watching them. Servers start before the window opens, so a taken port fails the
 * way {@code --herd} does, without a window. Closing the window (or Ctrl-C or SIGTERM, which
 * close it) shuts the herd down cleanly. Starts the JavaFX runtime itself ({@link Platform#startup}), so
 * the launcher's main class stays a plain class and headless modes never load JavaFX.
 */
public final class Monitor {

    private Monitor() {
    }

    /**
     * Runs the herd and the monitor until the window is closed; blocks the calling thread
     * (the launcher's main thread) meanwhile, while the window runs on the JavaFX thread.
     *
     * @param environment where the Places key variable is looked up
     * @param err         where the one-line messages go
     * @return the exit code: 0 after the window is closed, 1 when a server or the window
     *         cannot start
     */
    public static int run(HerdConfig config, Map<String, String> environment, PrintStream err) {
        Herd herd;
        HerdInbox inbox = new HerdInbox(config, LogTails.KEPT_LINES);
        Experiment experiment = new Experiment();
        try {
            herd = Herd.create(config, config.serverNames(), environment);
            herd.subscribe(inbox); // before the servers start, so the log tails begin at SERVER_UP
            herd.subscribe(experiment); // beside the inbox, whose bounded queues may skip events
            herd.startAll();
        } catch (HerdStartException e) {
            err.println("herd: " + e.getMessage());
            return 1;
        }
        Thread onExit = new Thread(herd::close, "herd-shutdown"); // for exits that do not close the window
        Runtime.getRuntime().addShutdownHook(onExit);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        quietClassPathWarning();
        try {
            startJavaFx(() -> {
                try {
                    Stage stage = new Stage();
                    stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> closed.countDown());
                    new MonitorWindow(herd, inbox, experiment).show(stage);
                    closeOnSignals(stage);
                } catch (RuntimeException | Error e) {
                    failed.set(e);
                    closed.countDown();
                }
            });
        } catch (RuntimeException e) { // no display, or JavaFX cannot start here
            stop(herd, onExit);
            err.println("herd: cannot open the monitor window: " + e.getMessage());
            return 1;
        }
        err.println("herd: running " + String.join(", ", config.serverNames()) + " with the monitor (config: "
                + config.source() + ", logs in " + config.logDir().toAbsolutePath().normalize()
                + "); close the window to stop");
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop(herd, onExit); // JavaFX itself exits with its last window
        if (failed.get() != null) {
            err.println("herd: cannot open the monitor window: " + failed.get().getMessage());
            return 1;
        }
        return 0;
    }

    private static void stop(Herd herd, Thread onExit) {
        herd.close();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it closes the same herd, which is harmless
        }
    }

    /**
     * Ctrl-C and SIGTERM close the window, so they end the way closing it does. Left to the
     * JVM's shutdown, JavaFX's renderer stops while the window is still drawing and prints a
     * stack trace. A second signal, or any after the window has closed, gets the usual handling.
     */
    private static void closeOnSignals(Stage stage) {
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            SignalHandler[] usual = new SignalHandler[1];
            usual[0] = Signal.handle(signal, s -> {
                Signal.handle(signal, usual[0]);
                Platform.runLater(stage::close);
            });
            stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> Signal.handle(signal, usual[0]));
        }
    }

    /** Starts JavaFX and runs {@code first} on its thread; only runs it when JavaFX is already up (as in tests). */
    private static void startJavaFx(Runnable first) {
        try {
            Platform.startup(first);
        } catch (IllegalStateException alreadyRunning) {
            Platform.runLater(first);
        }
    }

    /**
     * JavaFX warns on every start that it was loaded from the class path. We do that on
     * purpose (one plain executable jar; see the launcher), so that one warning is dropped;
     * every other JavaFX message still reaches stderr.
     */
    private static void quietClassPathWarning() {
        JAVAFX_LOG.setFilter(r -> r.getMessage() == null
                || !r.getMessage().startsWith("Unsupported JavaFX configuration: classes were loaded from"));
    }

    // held here because java.util.logging forgets loggers (and their filters) nobody references
    private static final Logger JAVAFX_LOG = Logger.getLogger("javafx");
}
