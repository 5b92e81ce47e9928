package herd.gui;

import herd.engine.config.HerdConfig;
import herd.engine.config.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.stage.Window;

/**
 * The Add server dialog: a name, a port (0: any free port) and the servers to link the new
 * one with. What is wrong with the request is said under the fields as it is typed
 * ({@link NewServer#problem}), and OK waits until nothing is; the dialog only asks, the
 * {@link HerdOperator} adds. JavaFX thread only.
 */
final class AddServerDialog extends Dialog<NewServer> {

    private final HerdConfig config;
    private final List<ServerSpec> listening;
    private final TextField name = new TextField();
    private final TextField port = new TextField("0");
    private final List<CheckBox> links = new ArrayList<>();
    private final Label problem = new Label();

    /**
     * @param config    the herd's config now (its servers are the ones to link with)
     * @param listening where its servers listen now
     */
    AddServerDialog(Window owner, HerdConfig config, List<ServerSpec> listening) {
        this.config = config;
        this.listening = List.copyOf(listening);
        initOwner(owner);
        setTitle("Add a server to the herd");
        setHeaderText("A new server starts in this process with an empty table, and learns every client\n"
                + "from the first of its neighbours that it links with.");
        name.setId("new-server-name");
        name.setPromptText("e.g. Hilo");
        port.setId("new-server-port");
        port.setPrefColumnCount(6);
        FlowPane boxes = new FlowPane(12, 6);
        boxes.setPrefWrapLength(360);
        for (String server : config.serverNames()) {
            CheckBox box = new CheckBox(server);
            box.setId("link-with-" + server);
            box.selectedProperty().addListener((o, was, is) -> check());
            links.add(box);
            boxes.getChildren().add(box);
        }
        problem.setId("new-server-problem");
        problem.setWrapText(true);
        problem.setMaxWidth(420);
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.setPadding(new Insets(12));
        form.addRow(0, new Label("Name"), name);
        HBox portRow = new HBox(8, port, new Label("0: any free port; on " + NewServer.host(config)));
        portRow.setAlignment(Pos.CENTER_LEFT);
        form.addRow(1, new Label("Port"), portRow);
        form.addRow(2, new Label("Link with"), boxes);
        form.add(problem, 0, 3, 2, 1);
        getDialogPane().setContent(form);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Node ok = getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("new-server-ok");
        getDialogPane().lookupButton(ButtonType.CANCEL).setId("new-server-cancel");
        getDialogPane().getStylesheets().add(AddServerDialog.class.getResource("monitor.css").toExternalForm());
        name.textProperty().addListener((o, was, is) -> check());
        port.textProperty().addListener((o, was, is) -> check());
        setResultConverter(button -> button != null && button.getButtonData() == ButtonBar.ButtonData.OK_DONE
                && problemNow() == null ? new NewServer(name.getText(), NewServer.port(port.getText()), checked()) : null);
        setOnShown(e -> name.requestFocus());
        check();
    }

    private List<String> checked() {
        return links.stream().filter(CheckBox::isSelected).map(CheckBox::getText).toList();
    }

    private String problemNow() {
        return NewServer.problem(config, listening, name.getText(), port.getText(), checked());
    }

    private void check() {
        String p = problemNow();
        problem.setText(p == null ? "" : p);
        // what is still to fill in is a hint until something has been typed or picked; then it is the problem
        boolean untouched = name.getText().isEmpty() && checked().isEmpty() && port.getText().equals("0");
        problem.getStyleClass().removeAll("form-problem", "form-hint");
        problem.getStyleClass().add(untouched ? "form-hint" : "form-problem");
        getDialogPane().lookupButton(ButtonType.OK).setDisable(p != null);
    }
}
