package herd.gui;

import herd.engine.config.ServerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A client of the herd, by hand: pick a server, type a line (IAMAT, WHATSAT, or anything),
 * send it over a real TCP connection as a client script would (write, half-close, read to
 * the end) and see the raw reply. The network runs on a background thread; the reply comes
 * back to the JavaFX thread once per send. Up and Down in the line recall the lines sent
 * before ({@link ConsoleHistory}).
 */
final class ClientConsole extends VBox {

    /** The sample client: UCLA's Boelter Hall, as in the assignment. */
    static final String SAMPLE_CLIENT = "kiwi.cs.ucla.edu";
    private static final String SAMPLE_LOCATION = "+34.068930-118.445127";
    private static final int READ_TIMEOUT_MS = 30_000;

    /** Where each server listens now (a server that bound port 0 says which port it got). */
    private final Supplier<List<ServerSpec>> servers;
    private final ComboBox<String> server = new ComboBox<>();
    private final TextField line = new TextField();
    private final TextArea reply = new TextArea();
    private final Label status = new Label("");
    private volatile ActionLog actions = ActionLog.NONE;
    private final ConsoleHistory history = new ConsoleHistory();
    private final ExecutorService network = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herd-console");
        t.setDaemon(true);
        return t;
    });

    ClientConsole(Supplier<List<ServerSpec>> servers) {
        this.servers = servers;
        getStyleClass().add("console");
        Label title = new Label("Client console");
        title.getStyleClass().add("panel-title");
        servers.get().forEach(s -> server.getItems().add(s.name()));
        server.getSelectionModel().selectFirst();
        server.setId("console-server");
        line.setId("console-line");
        line.setPromptText("IAMAT <client> <±lat±lng> <time>   or   WHATSAT <client> <km> <count>");
        line.setOnAction(e -> send());
        line.addEventFilter(KeyEvent.KEY_PRESSED, e -> { // before the field moves its caret on Up and Down
            if (e.getCode() == KeyCode.UP || e.getCode() == KeyCode.DOWN) {
                line.setText(e.getCode() == KeyCode.UP ? history.earlier(line.getText()) : history.later(line.getText()));
                line.end();
                e.consume();
            }
        });
        line.setMinWidth(120);
        HBox.setHgrow(line, Priority.ALWAYS);
        Button send = new Button("Send");
        send.setId("console-send");
        send.setOnAction(e -> send());
        Button iamat = new Button("Sample IAMAT");
        iamat.setId("console-sample-iamat");
        iamat.setOnAction(e -> line.setText(sampleIamat(Instant.now())));
        Button whatsat = new Button("Sample WHATSAT");
        whatsat.setId("console-sample-whatsat");
        whatsat.setOnAction(e -> line.setText("WHATSAT " + SAMPLE_CLIENT + " 10 5"));
        for (Region r : List.of(title, send, iamat, whatsat, server)) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox to = new HBox(8, title, new Label("to"), server);
        to.setAlignment(Pos.CENTER_LEFT);
        FlowPane top = new FlowPane(8, 6, to, iamat, whatsat); // the sample buttons wrap below in a narrow window
        top.setAlignment(Pos.CENTER_LEFT);
        HBox input = new HBox(8, line, send);
        input.setAlignment(Pos.CENTER_LEFT);
        reply.setId("console-reply");
        reply.setEditable(false);
        reply.setWrapText(false);
        reply.setPromptText("the server's reply, exactly as it arrived");
        reply.getStyleClass().add("console-reply");
        status.setId("console-status");
        VBox.setVgrow(reply, Priority.ALWAYS);
        setSpacing(6);
        setPadding(new Insets(6));
        getChildren().addAll(top, input, status, reply);
    }

    /** Notes each line sent in the experiment's timeline. */
    void noteSendsIn(ActionLog log) {
        actions = log;
    }

    /** Offers the herd's servers of the moment; the one picked stays picked while it is in the herd. */
    void follow(List<String> names) {
        if (names.equals(server.getItems())) {
            return;
        }
        String picked = server.getValue();
        server.getItems().setAll(names);
        if (names.contains(picked)) {
            server.setValue(picked);
        } else {
            server.getSelectionModel().selectFirst();
        }
    }

    /** An IAMAT for the sample client at {@code now}, with the full nanosecond time. */
    static String sampleIamat(Instant now) {
        return "IAMAT " + SAMPLE_CLIENT + " " + SAMPLE_LOCATION + " " + now.getEpochSecond() + "."
                + String.format("%09d", now.getNano());
    }

    /** Puts the keyboard in the line to send: the harmless place to start. */
    void focusLine() {
        line.requestFocus();
    }

    private void send() {
        String text = line.getText();
        ServerSpec to = servers.get().stream().filter(s -> s.name().equals(server.getValue())).findFirst().orElse(null);
        if (to == null || text.isEmpty()) {
            status.setText(to == null ? "pick a server" : "type a line to send");
            return;
        }
        history.add(text);
        status.setText("sending to " + to + " …");
        try {
            network.execute(() -> {
                actions.action("send", to.name(), text);
                long t0 = System.nanoTime();
                String result;
                String outcome;
                try {
                    result = exchange(to, text);
                    outcome = "reply from " + to + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms ("
                            + result.getBytes(StandardCharsets.UTF_8).length + " bytes)";
                } catch (IOException e) {
                    result = "";
                    outcome = "no reply from " + to + ": " + e.getMessage();
                }
                String shown = result;
                String said = outcome;
                Platform.runLater(() -> {
                    reply.setText(shown);
                    status.setText(said);
                });
            });
        } catch (RejectedExecutionException e) {
            status.setText("the monitor is closing");
        }
    }

    /** One exchange as a client script does it: write the line, half-close, read to the end. */
    private static String exchange(ServerSpec to, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(to.host(), to.port()), 3000);
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Stops the network thread; a send in flight is abandoned. */
    void close() {
        network.shutdownNow();
    }
}
