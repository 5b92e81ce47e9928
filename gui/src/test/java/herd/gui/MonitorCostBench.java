package herd.gui;

import static herd.gui.MonitorWindowTest.awaitAllConnected;
import static herd.gui.MonitorWindowTest.edgeIs;
import static herd.gui.MonitorWindowTest.onFx;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * What the monitor costs (README "The monitor (GUI)", issue 15 item 7), printed, never
 * asserted: timing on a shared machine is no test. Not a test by name (surefire runs it only
 * when asked for):
 *
 * <pre>mvn -B -o -q -pl engine,gui test -Dtest=MonitorCostBench</pre>
 *
 * The monitor window, headless under Monocle (software rendering), watches the default
 * five-server herd in this JVM, as {@code launcher.jar --gui} does. 5,000 clients report at
 * Goloman and flood to every server; then, once the grid shows them all and the window has
 * stopped redrawing (the load's traffic has left the sparklines' last minute):
 * <ol>
 * <li><b>idle</b>: nothing happens for {@value #IDLE_SECONDS} s; printed: the process's CPU
 * time and the JavaFX thread's and renderer's, as a share of one core, and the window's
 * redraw count;</li>
 * <li><b>flood</b>: IAMATs of those 5,000 clients at {@value #FLOOD_RATE} a second (pipelined on
 * one connection to Goloman) for {@value #FLOOD_SECONDS} s, and meanwhile a click on the
 * Holiday–Welsh link every 1.5 s (cut, restore, ...); printed: per click, the time from the
 * robot's press to the first pulse laid out (and so drawn) with the status bar naming the action,
 * and to the first with the link in its new state (cut at once; connected only once the two
 * servers' link is up again, which the engine decides); and the achieved rate and CPU shares.</li>
 * </ol>
 * A JFR profile of each phase is left in {@code gui/target/monitor-cost-idle.jfr} and
 * {@code monitor-cost-flood.jfr} ({@code jfr print --events jdk.ExecutionSample}).
 */
@ExtendWith(ApplicationExtension.class)
class MonitorCostBench {

    private static final int CLIENTS = 5000;
    private static final int IDLE_SECONDS = 10;
    private static final int FLOOD_RATE = 16_000;
    private static final int FLOOD_SECONDS = 15;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path logs;
    TestHerd herd;
    MonitorWindow window;

    @Start
    void start(Stage stage) throws Exception {
        herd = TestHerd.start(logs.resolve("run-" + System.nanoTime()));
        window = herd.openWindow(stage);
    }

    @AfterEach
    void stop() throws Exception {
        herd.closeWith(window);
    }

    @Test
    void measure(FxRobot robot) throws Exception {
        awaitAllConnected(robot, herd);
        StringBuilder load = new StringBuilder();
        for (int c = 0; c < CLIENTS; c++) {
            load.append("IAMAT cost-").append(c).append(" +1+1 1\n");
        }
        herd.send("Goloman", load.toString());
        Label summary = robot.lookup("#convergence-summary").queryAs(Label.class);
        String converged = CLIENTS + " clients: " + CLIENTS * 5 + " fresh, 0 stale, 0 none — converged";
        await().atMost(WAIT).until(() -> onFx(summary::getText).startsWith(converged));
        // The load's dots fade, and its traffic leaves the sparklines' last minute; from then on nothing
        // changes. Until then the sparklines move once a second, so the quiet stretch waited for is
        // longer than a second: 30 pulses (just under one) could fall between two of their moves, and
        // did, leaving the idle phase below ten such redraws it then counted as the monitor's.
        await("two and a half seconds of pulses with no redraw").atMost(WAIT).until(() -> {
            long ticks = onFx(window::pulseTimes)[0];
            long redraws = onFx(window::redraws);
            await().atMost(WAIT).until(() -> onFx(window::pulseTimes)[0] >= ticks + 75);
            return onFx(window::redraws) == redraws;
        });

        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Cpu idle = new Cpu();
        long redrawsBefore = onFx(window::redraws);
        long[] pulseBefore = onFx(window::pulseTimes);
        Thread.sleep(IDLE_SECONDS * 1000L);
        long redraws = onFx(window::redraws) - redrawsBefore;
        System.out.printf("monitor cost, idle, %d clients, %d s: %s; %s; redraws %d%n", CLIENTS, IDLE_SECONDS,
                idle.shares(), pulses(pulseBefore, onFx(window::pulseTimes), IDLE_SECONDS), redraws);
        try (Recording r = recording()) { // profiled apart: the recording costs CPU time of its own
            Thread.sleep(IDLE_SECONDS * 1000L);
            r.dump(target.resolve("monitor-cost-idle.jfr"));
        }

        robot.moveTo("#edge-Holiday-Welsh"); // the clicks below are a press and release where the mouse is
        Flood flood = new Flood(herd.herd.server("Goloman").spec().port());
        Cpu busy = new Cpu();
        long[] pulseBefore2 = onFx(window::pulseTimes);
        Probe probe = new Probe();
        List<Long> drawnMs = new ArrayList<>();
        List<Long> saidMs = new ArrayList<>();
        List<Long> clickedMs = new ArrayList<>();
        List<Long> engineMs = new ArrayList<>();
        AtomicLong clicked = new AtomicLong();
        // What the window shows is read at the end of each pulse's layout, just before the frame
        // is drawn: the robot's click itself returns only after it has waited for the JavaFX
        // thread's queue to drain several times over, so a wait begun after it came back would
        // count that too (it did, before).
        AtomicReference<EdgeState> want = new AtomicReference<>();
        AtomicReference<String> before = new AtomicReference<>();
        AtomicLong drawn = new AtomicLong();
        AtomicLong said = new AtomicLong();
        Label action = robot.lookup("#status-action").queryAs(Label.class);
        onFx(() -> {
            javafx.scene.Node edge = robot.lookup("#edge-Holiday-Welsh").query();
            edge.getScene().addEventFilter(javafx.scene.input.MouseEvent.MOUSE_CLICKED, e -> clicked.set(System.nanoTime()));
            edge.getScene().addPostLayoutPulseListener(() -> {
                EdgeState w = want.get();
                if (w == null) {
                    return;
                }
                long now = System.nanoTime();
                if (drawn.get() == 0 && edge.getStyleClass().contains(w.label())) {
                    drawn.set(now);
                }
                String text = action.getText();
                if (said.get() == 0 && !text.equals(before.get()) && text.contains("Holiday–Welsh")) {
                    said.set(now);
                }
            });
            return null;
        });
        try (Recording r = recording()) {
            flood.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLOOD_SECONDS);
            boolean cut = false;
            Thread.sleep(1500);
            while (System.nanoTime() < end - TimeUnit.MILLISECONDS.toNanos(2500)) {
                cut = !cut;
                EdgeState wanted = cut ? EdgeState.CUT : EdgeState.CONNECTED;
                onFx(() -> {
                    before.set(action.getText());
                    drawn.set(0);
                    said.set(0);
                    want.set(wanted);
                    return null;
                });
                clicked.set(0);
                long t0 = System.nanoTime();
                boolean wasCut = cut;
                Thread engine = new Thread(() -> {
                    while (herd.herd.server("Holiday").isLinkCut("Welsh") != wasCut) {
                        Thread.onSpinWait();
                    }
                    engineMs.add((System.nanoTime() - t0) / 1_000_000);
                });
                engine.start();
                robot.clickOn(javafx.scene.input.MouseButton.PRIMARY);
                try {
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> drawn.get() != 0 && said.get() != 0);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("click " + (drawnMs.size() + 1) + " (" + wanted + "): drawn " + drawn.get()
                            + ", said " + said.get() + "; the status bar says '" + onFx(action::getText) + "' (before: '"
                            + before.get() + "'), the link is " + onFx(() -> robot.lookup("#edge-Holiday-Welsh").query()
                            .getStyleClass()) + ", Holiday's end " + herd.herd.server("Holiday").linkStates().get("Welsh")
                            + ", Welsh's " + herd.herd.server("Welsh").linkStates().get("Holiday")
                            + ", the click reached the window: " + (clicked.get() != 0), e);
                }
                drawnMs.add((drawn.get() - t0) / 1_000_000);
                saidMs.add((said.get() - t0) / 1_000_000);
                clickedMs.add((clicked.get() - t0) / 1_000_000);
                engine.join();
                Thread.sleep(1500);
            }
            while (System.nanoTime() < end) {
                Thread.sleep(100);
            }
            r.dump(target.resolve("monitor-cost-flood.jfr"));
        } finally {
            flood.stop();
            probe.stop();
        }
        System.out.printf("monitor cost, flood at %d IAMAT/s (%d answered/s), %d s: %s; %s; a task posted to the"
                + " JavaFX thread every 20 ms waited %s%n", FLOOD_RATE, flood.answered() / FLOOD_SECONDS, FLOOD_SECONDS,
                busy.shares(), pulses(pulseBefore2, onFx(window::pulseTimes), FLOOD_SECONDS), probe.waits());
        System.out.printf("monitor cost, clicks during the flood (cut, restore, ...): the status bar names the"
                + " action after %s ms (median %d, max %d); the link drawn cut, or connected again, after %s ms"
                + " (median %d, max %d)%n", saidMs, median(saidMs), Collections.max(saidMs), drawnMs, median(drawnMs),
                Collections.max(drawnMs));
        System.out.printf("monitor cost, clicks during the flood: the click reached the window after %s ms,"
                + " the engine had it after %s ms%n", clickedMs, engineMs);
        if (cutIsLeft(robot)) {
            robot.clickOn(javafx.scene.input.MouseButton.PRIMARY);
        }
    }

    private static String pulses(long[] before, long[] after, int seconds) {
        long ticks = after[0] - before[0];
        return String.format("%.1f ticks/s, %.2f ms of CPU time each on average, %d over 50 ms, the longest %.1f ms",
                ticks / (double) seconds, ticks == 0 ? 0 : (after[3] - before[3]) / 1e6 / ticks, after[1] - before[1],
                after[2] / 1e6);
    }

    /** Posts a task to the JavaFX thread every 20 ms and keeps how long each waited to run. */
    private static final class Probe {
        private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "cost-probe");

        Probe() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                long posted = System.nanoTime();
                java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
                javafx.application.Platform.runLater(() -> {
                    waits.add((System.nanoTime() - posted) / 1_000_000);
                    ran.countDown();
                });
                try {
                    ran.await();
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }

        String waits() {
            List<Long> sorted = new ArrayList<>(waits);
            Collections.sort(sorted);
            return String.format("median %d ms, 99th percentile %d ms, max %d ms (%d tasks)", sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() * 99 / 100), sorted.get(sorted.size() - 1), sorted.size());
        }
    }

    private boolean cutIsLeft(FxRobot robot) {
        return edgeIs(robot, "edge-Holiday-Welsh", EdgeState.CUT);
    }

    private static long median(List<Long> xs) {
        List<Long> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static Recording recording() throws Exception {
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.start();
        return r;
    }

    /** CPU time from its making on: the process's, the JavaFX thread's and the renderer's. */
    private static final class Cpu {
        private final long wall = System.nanoTime();
        private final long process = processCpu();
        private final long fx = threadCpu("JavaFX Application Thread");
        private final long render = threadCpu("QuantumRenderer-0");

        String shares() {
            double w = System.nanoTime() - wall;
            return String.format("process %.1f%% of a core, JavaFX thread %.1f%%, renderer %.1f%%",
                    100 * (processCpu() - process) / w, 100 * (threadCpu("JavaFX Application Thread") - fx) / w,
                    100 * (threadCpu("QuantumRenderer-0") - render) / w);
        }

        private static long processCpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static long threadCpu(String name) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null && t.getThreadName().equals(name)) {
                    return threads.getThreadCpuTime(t.getThreadId());
                }
            }
            return 0;
        }
    }

    /** IAMATs of the bench's clients at a steady rate on one connection, the replies read and counted. */
    private static final class Flood {
        private final Socket socket;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong answered = new AtomicLong();
        private final Thread writer;
        private final Thread reader;

        Flood(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            writer = new Thread(this::write, "cost-flood-writer");
            reader = new Thread(this::read, "cost-flood-reader");
        }

        void start() {
            reader.start();
            writer.start();
        }

        private void write() {
            try {
                OutputStream out = socket.getOutputStream();
                long start = System.nanoTime();
                long sent = 0;
                while (running.get()) {
                    long due = (System.nanoTime() - start) * FLOOD_RATE / 1_000_000_000L;
                    StringBuilder batch = new StringBuilder();
                    for (; sent < due; sent++) {
                        batch.append("IAMAT cost-").append(sent % CLIENTS).append(" +2+2 ").append(2 + sent).append('\n');
                    }
                    out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(5);
                }
                socket.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                // the socket closed under the writer at the end
            }
        }

        private void read() {
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[65536];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            answered.incrementAndGet();
                        }
                    }
                }
            } catch (IOException e) {
                // closed at the end
            }
        }

        long answered() {
            return answered.get();
        }

        void stop() throws Exception {
            running.set(false);
            writer.join(5000);
            reader.join(10000);
            socket.close();
        }
    }
}
