package herd.gui;

import herd.engine.Herd;
import herd.engine.config.ConfigException;
import herd.engine.config.HerdConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The default five-server herd on free loopback ports with offline Places, logging to a
 * test folder, with a {@link HerdInbox} and an {@link Experiment} subscribed before it starts (as {@link Monitor}
 * does); and a plain client to talk to it.
 */
final class TestHerd implements AutoCloseable {

    final Herd herd;
    final HerdInbox inbox;
    final Experiment experiment;

    private TestHerd(Herd herd, HerdInbox inbox, Experiment experiment) {
        this.herd = herd;
        this.inbox = inbox;
        this.experiment = experiment;
    }

    static TestHerd start(Path logDir) throws Exception {
        return start(config(logDir));
    }

    static TestHerd start(HerdConfig config) throws Exception {
        Herd herd = Herd.create(config, config.serverNames(), Map.of());
        HerdInbox inbox = new HerdInbox(config, LogTails.KEPT_LINES);
        herd.subscribe(inbox);
        Experiment experiment = new Experiment();
        herd.subscribe(experiment);
        herd.startAll();
        return new TestHerd(herd, inbox, experiment);
    }

    /**
     * The default herd's servers and links, offline Places, logging to {@code logDir};
     * written as a config file would be, the format users rely on. Every server then binds
     * port 0 (any free port; the herd tells its neighbours which).
     */
    static HerdConfig config(Path logDir) throws IOException, ConfigException {
        List<String> names = HerdConfig.defaults().serverNames();
        StringBuilder json = new StringBuilder("{\"servers\": {");
        for (int i = 0; i < names.size(); i++) {
            json.append(i > 0 ? ", " : "").append('"').append(names.get(i)).append("\": {\"port\": ")
                    .append(12010 + i).append('}');
        }
        json.append("}, \"places\": {\"provider\": \"offline\"}, \"logDir\": \"")
                .append(logDir.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"}");
        return HerdConfig.parse(json.toString(), "test herd").withPorts(java.util.Collections.nCopies(names.size(), 0));
    }

    /**
     * As {@link #config}, on ports known before the start (free a moment ago), for the
     * tests about particular ports: one taken, every one released.
     */
    static HerdConfig configOnFreePorts(Path logDir) throws IOException, ConfigException {
        HerdConfig c = config(logDir);
        List<Integer> ports = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < c.servers().size(); i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return c.withPorts(ports);
    }

    /** Sends {@code lines} to {@code server} as a client script would and returns the whole reply. */
    String send(String server, String lines) throws IOException {
        try (Socket s = new Socket("127.0.0.1", herd.server(server).spec().port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(lines.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A monitor window on this herd, shown on {@code stage}: a window test's {@code @Start}. */
    MonitorWindow openWindow(Stage stage) {
        MonitorWindow window = new MonitorWindow(herd, inbox, experiment);
        window.show(stage);
        return window;
    }

    /** Closes {@code window} (if any) on the JavaFX thread, then the herd: a window test's {@code @AfterEach}. */
    void closeWith(MonitorWindow window) throws Exception {
        if (window != null) {
            WaitForAsyncUtils.asyncFx(window::close).get(10, TimeUnit.SECONDS);
        }
        close();
    }

    @Override
    public void close() {
        herd.close();
    }
}
