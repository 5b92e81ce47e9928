package herd.gui;

import herd.engine.Herd;
import herd.engine.HerdServer;
import herd.engine.HerdStartException;
import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Carries out the person's break and heal actions on the herd: a server down or up, a link
 * cut or restored, everything healed; and the changes to the herd itself: a server added or
 * removed ({@link Herd#reconfigure}). Binding and unbinding a port can take a moment, so the
 * actions run in click order on one background thread, never on the JavaFX thread. Each
 * action decides from the engine's state at the moment it runs (a double click on a node
 * takes the server down and brings it back, as it should).
 *
 * <p>{@code report} receives each action's {@link StatusLine.Claim}, on the operator thread:
 * an action whose outcome takes a moment (a restore, a bring-up, a heal) is reported before
 * it runs, with words that follow the herd's state, so the status bar never says more than
 * the herd has done.
 */
final class HerdOperator implements AutoCloseable {

    private final Herd herd;
    private final Consumer<StatusLine.Claim> report;
    private final ActionLog actions;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herd-operator");
        t.setDaemon(true);
        return t;
    });

    HerdOperator(Herd herd, Consumer<StatusLine.Claim> report) {
        this(herd, report, ActionLog.NONE);
    }

    /** @param actions where each action is noted, with its time, just before it is carried out */
    HerdOperator(Herd herd, Consumer<StatusLine.Claim> report, ActionLog actions) {
        this.herd = herd;
        this.report = report;
        this.actions = actions;
    }

    /** Takes {@code server} down if it is up, else brings it back. */
    void toggleServer(String server) {
        run(() -> {
            HerdServer s = herd.server(server);
            if (s.isUp()) {
                report.accept(StatusLine.Claim.takingDown(server));
                actions.action("down", server, "");
                s.takeDown();
            } else {
                actions.action("up", server, "");
                bringUp(s);
            }
        });
    }

    /** Cuts {@code link} if neither end has it cut, else restores it. */
    void toggleLink(Link link) {
        run(() -> {
            if (isCut(link)) {
                report.accept(StatusLine.Claim.restoring(link));
                actions.linkAction("restore", link, "");
                herd.restoreLink(link.dialer(), link.acceptor());
            } else {
                report.accept(StatusLine.Claim.cutting(link));
                actions.linkAction("cut", link, "");
                herd.cutLink(link.dialer(), link.acceptor());
            }
        });
    }

    /** Brings every server up and restores every cut link. */
    void healAll() {
        run(() -> {
            actions.action("heal", "herd", "");
            List<Link> links = new ArrayList<>();
            for (Link link : herd.config().links()) {
                if (isCut(link)) {
                    herd.restoreLink(link.dialer(), link.acceptor());
                    links.add(link);
                }
            }
            List<String> servers = new ArrayList<>();
            for (HerdServer s : herd.servers()) {
                if (!s.isUp() && bringUp(s)) {
                    servers.add(s.name());
                }
            }
            report.accept(links.isEmpty() && servers.isEmpty() ? StatusLine.Claim.fixed("heal all: nothing was broken")
                    : StatusLine.Claim.healing(links, servers));
        });
    }

    /** Adds {@code wanted} to the running herd: it starts, and its links come up. */
    void addServer(NewServer wanted) {
        run(() -> {
            HerdConfig next;
            try {
                next = wanted.addTo(herd.config());
            } catch (IllegalArgumentException e) {
                say("cannot add " + wanted.name() + ": " + e.getMessage());
                return;
            }
            String change = "servers +" + wanted.name();
            actions.action("add", wanted.name(), "");
            try {
                say(summary(change, wanted.name(), herd.reconfigure(next)));
            } catch (HerdStartException e) {
                say("cannot add " + e.getMessage() + "; " + takeOut(wanted.name()));
            } catch (IllegalArgumentException e) {
                say("cannot add " + wanted.name() + ": " + e.getMessage());
            }
        });
    }

    /** Takes a server that could not start out of the config again, with the links that were to carry it. */
    private String takeOut(String server) {
        try {
            herd.reconfigure(herd.config().withoutServer(server));
            return "the herd is as it was";
        } catch (HerdStartException | IllegalArgumentException e) {
            return "taking it out of the config again failed: " + e.getMessage();
        }
    }

    /** Removes {@code server} from the running herd for good; never the last one. */
    void removeServer(String server) {
        run(() -> {
            HerdConfig now = herd.config();
            if (now.server(server).isEmpty()) {
                say(server + " is not in the herd");
                return;
            }
            if (now.servers().size() == 1) {
                say("cannot remove " + server + ": it is the last server of the herd");
                return;
            }
            actions.action("remove", server, "");
            try {
                say(summary("servers -" + server, server, herd.reconfigure(now.withoutServer(server))));
            } catch (HerdStartException | IllegalArgumentException e) {
                say("cannot remove " + server + ": " + e.getMessage());
            }
        });
    }

    /**
     * What a change of the herd did, in one line: the change, then what changed for each
     * server beyond it, the server added or removed first. Each of {@link Herd#reconfigure}'s
     * lines about the others begins with the change itself
     * ({@code Goloman: servers +Hilo; links +Hilo}); that is said once.
     */
    static String summary(String change, String server, List<String> lines) {
        List<String> own = new ArrayList<>();
        List<String> itFirst = new ArrayList<>(lines);
        itFirst.sort(Comparator.comparing(line -> !line.startsWith(server + ": "))); // stable: the others keep their order
        for (String line : itFirst) {
            int colon = line.indexOf(": ");
            String what = colon < 0 ? line : line.substring(colon + 2);
            if (what.equals(change)) {
                continue;
            }
            own.add(what.startsWith(change + "; ")
                    ? line.substring(0, colon) + ": " + what.substring(change.length() + 2) : line);
        }
        return own.isEmpty() ? change : change + " — " + String.join("; ", own);
    }

    private boolean isCut(Link link) {
        return ends(link).stream().anyMatch(s -> s.isLinkCut(link.other(s.name())));
    }

    private List<HerdServer> ends(Link link) {
        return herd.servers().stream().filter(s -> link.touches(s.name())).toList();
    }

    private boolean bringUp(HerdServer s) {
        try {
            report.accept(StatusLine.Claim.bringingUp(s.name()));
            s.bringUp();
            return true;
        } catch (HerdStartException e) {
            say("cannot bring up " + e.getMessage());
            return false;
        } catch (IllegalStateException e) {
            say(e.getMessage()); // the herd is closing
            return false;
        }
    }

    private void say(String text) {
        report.accept(StatusLine.Claim.fixed(text));
    }

    private void run(Runnable action) {
        try {
            thread.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    say("failed: " + e);
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
