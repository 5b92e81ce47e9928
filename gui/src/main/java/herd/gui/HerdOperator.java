package herd.gui;

import herd.engine.Herd;
import herd.engine.HerdServer;
import herd.engine.HerdStartException;
import herd.engine.config.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Carries out the person's break and heal actions on the herd: a server down or up, a link
 * cut or restored, everything healed. Binding and unbinding a port can take a moment, so the
 * actions run in click order on one background thread, never on the JavaFX thread. Each
 * action decides from the engine's state at the moment it runs (a double click on a node
 * takes the server down and brings it back, as it should).
 *
 * <p>{@code report} receives one line per action, on the operator thread.
 */
final class HerdOperator implements AutoCloseable {

    private final Herd herd;
    private final Consumer<String> report;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herd-operator");
        t.setDaemon(true);
        return t;
    });

    HerdOperator(Herd herd, Consumer<String> report) {
        this.herd = herd;
        this.report = report;
    }

    /** Takes {@code server} down if it is up, else brings it back. */
    void toggleServer(String server) {
        run(() -> {
            HerdServer s = herd.server(server);
            if (s.isUp()) {
                s.takeDown();
                report.accept(server + " taken down: port closed, connections dropped, table forgotten");
            } else {
                bringUp(s);
            }
        });
    }

    /** Cuts {@code link} if neither end has it cut, else restores it. */
    void toggleLink(Link link) {
        run(() -> {
            if (isCut(link)) {
                herd.restoreLink(link.dialer(), link.acceptor());
                report.accept("link " + link + " restored");
            } else {
                herd.cutLink(link.dialer(), link.acceptor());
                report.accept("link " + link + " cut: both ends dropped it and will not redial");
            }
        });
    }

    /** Brings every server up and restores every cut link. */
    void healAll() {
        run(() -> {
            List<String> healed = new ArrayList<>();
            for (Link link : herd.config().links()) {
                if (isCut(link)) {
                    herd.restoreLink(link.dialer(), link.acceptor());
                    healed.add(link.toString());
                }
            }
            for (HerdServer s : herd.servers()) {
                if (!s.isUp() && bringUp(s)) {
                    healed.add(s.name());
                }
            }
            report.accept(healed.isEmpty() ? "heal all: nothing was broken" : "healed " + String.join(", ", healed));
        });
    }

    private boolean isCut(Link link) {
        return ends(link).stream().anyMatch(s -> s.isLinkCut(link.other(s.name())));
    }

    private List<HerdServer> ends(Link link) {
        return herd.servers().stream().filter(s -> link.touches(s.name())).toList();
    }

    private boolean bringUp(HerdServer s) {
        try {
            s.bringUp();
            report.accept(s.name() + " brought up: listening again, links redialling");
            return true;
        } catch (HerdStartException e) {
            report.accept("cannot bring up " + e.getMessage());
            return false;
        } catch (IllegalStateException e) {
            report.accept(e.getMessage()); // the herd is closing
            return false;
        }
    }

    private void run(Runnable action) {
        try {
            thread.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    report.accept("failed: " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the window is closing and the operator has stopped: nothing more to do
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
