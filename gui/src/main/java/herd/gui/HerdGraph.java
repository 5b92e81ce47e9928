package herd.gui;

import herd.engine.config.Link;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Group;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;

/**
 * The herd as a graph: a node per server (name, up or down, clients known, lines per second)
 * and an edge per configured link, coloured by its state. Peer lines crossing a link make it
 * glow and send a dot from sender to receiver, so a flood can be watched spreading. A click
 * on a node or an edge asks the {@link HerdOperator} to break or heal it, and a node's
 * context menu to remove its server from the herd; what is drawn changes only when the next
 * poll of the servers says so, which includes servers and links added or removed.
 *
 * <p>Servers sit on a circle in the order with the fewest crossing links. JavaFX thread only.
 */
final class HerdGraph extends Pane {

    private static final double NODE_WIDTH = 132;
    private static final double NODE_HEIGHT = 72; // three lines and the sparkline: short enough for a 1024 x 700 window
    private static final long TRAVEL_NANOS = 350_000_000L;
    private static final double GLOW_FADE_NANOS = 300_000_000.0;

    private final HerdOperator operator;
    private final Group edgeLayer = new Group();
    private final Group dotLayer = new Group(); // above the links, below the servers the dots leave and reach
    private final Map<String, ServerNode> nodes = new LinkedHashMap<>();
    private final Map<Link, LinkEdge> edges = new LinkedHashMap<>();
    private final LineRates rates = new LineRates();
    private List<String> servers = List.of();
    private List<String> ring = List.of();
    private long lastFrame;
    private double scale = 1; // the boxes grow with the window's text (TextZoom)

    HerdGraph(HerdOperator operator) {
        this.operator = operator;
        getStyleClass().add("herd-graph");
        dotLayer.setMouseTransparent(true);
        getChildren().addAll(edgeLayer, dotLayer);
        setMinSize(2 * NODE_WIDTH + 40, 2 * NODE_HEIGHT + 80);
    }

    /**
     * Draws one poll of the herd and the traffic since the last pulse; true when anything
     * drawn changed (nothing is touched when nothing did, so an idle herd costs no redraw).
     */
    boolean show(HerdSnapshot snapshot, Map<HerdInbox.Crossing, Long> crossings, long nowNanos) {
        boolean changed = follow(snapshot.serverNames(), snapshot.links());
        for (Map.Entry<String, HerdSnapshot.ServerSnapshot> e : snapshot.servers().entrySet()) {
            HerdSnapshot.ServerSnapshot s = e.getValue();
            ServerNode node = nodes.get(e.getKey());
            changed |= node.show(s, rates.update(e.getKey(), s.linesTotal(), nowNanos));
            changed |= node.count(s.linesTotal(), nowNanos);
        }
        for (Map.Entry<Link, LinkEdge> e : edges.entrySet()) {
            Link link = e.getKey();
            LinkEdge edge = e.getValue();
            changed |= edge.show(snapshot.edge(link));
            changed |= edge.count(crossings.getOrDefault(new HerdInbox.Crossing(link.dialer(), link.acceptor()), 0L),
                    crossings.getOrDefault(new HerdInbox.Crossing(link.acceptor(), link.dialer()), 0L), nowNanos);
        }
        for (HerdInbox.Crossing c : crossings.keySet()) {
            LinkEdge edge = edges.get(c.link());
            if (edge != null) {
                edge.pulse(c.from(), nowNanos);
                changed = true;
            }
        }
        double fade = lastFrame == 0 ? 0 : Math.exp(-(nowNanos - lastFrame) / GLOW_FADE_NANOS);
        lastFrame = nowNanos;
        for (LinkEdge e : edges.values()) {
            changed |= e.animate(nowNanos, fade);
        }
        return changed;
    }

    /**
     * Makes the drawing hold exactly these servers and links: the ones it already has stay as
     * they are (state, traffic), the others come or go, and the circle is laid out again.
     */
    private boolean follow(List<String> now, List<Link> links) {
        if (now.equals(servers) && links.equals(List.copyOf(edges.keySet()))) {
            return false;
        }
        edges.keySet().removeIf(link -> {
            if (links.contains(link)) {
                return false;
            }
            LinkEdge gone = edges.get(link);
            edgeLayer.getChildren().remove(gone);
            dotLayer.getChildren().removeAll(gone.forward.dot, gone.backward.dot);
            return true;
        });
        nodes.keySet().removeIf(name -> {
            if (now.contains(name)) {
                return false;
            }
            getChildren().remove(nodes.get(name));
            rates.forget(name);
            return true;
        });
        Map<Link, LinkEdge> ordered = new LinkedHashMap<>();
        for (Link link : links) {
            LinkEdge edge = edges.get(link);
            if (edge == null) {
                edge = new LinkEdge(link);
                edge.hit.setOnMouseClicked(e -> operator.toggleLink(link));
                edgeLayer.getChildren().add(edge);
                dotLayer.getChildren().addAll(edge.forward.dot, edge.backward.dot);
            }
            ordered.put(link, edge);
        }
        edges.clear();
        edges.putAll(ordered);
        for (String server : now) {
            nodes.computeIfAbsent(server, name -> {
                ServerNode node = new ServerNode(name, this::removable);
                node.setOnMouseClicked(e -> {
                    if (e.getButton() == MouseButton.PRIMARY) {
                        operator.toggleServer(name);
                    } else if (e.getButton() == MouseButton.SECONDARY) {
                        node.showMenu(e.getScreenX(), e.getScreenY());
                    }
                });
                node.remove.setOnAction(e -> operator.removeServer(name));
                getChildren().add(node);
                return node;
            });
        }
        ring = ring.isEmpty() ? RingLayout.order(now, links) : RingLayout.order(now, links, ring);
        servers = List.copyOf(now);
        requestLayout();
        return true;
    }

    /** Sizes the server boxes for text {@code factor} times the usual size. */
    void scale(double factor) {
        scale = factor;
        requestLayout();
    }

    /** Whether a server can be removed: not when it is the last one. */
    private boolean removable() {
        return nodes.size() > 1;
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        double w = getWidth();
        double h = getHeight();
        double cx = w / 2;
        double cy = h / 2;
        double nodeWidth = NODE_WIDTH * scale;
        double nodeHeight = NODE_HEIGHT * scale;
        double rx = Math.max(0, w / 2 - nodeWidth / 2 - 12);
        double ry = Math.max(0, h / 2 - nodeHeight / 2 - 12);
        Map<String, Point2D> at = new HashMap<>();
        for (int i = 0; i < ring.size(); i++) {
            double angle = -Math.PI / 2 + 2 * Math.PI * i / ring.size();
            Point2D p = new Point2D(cx + rx * Math.cos(angle), cy + ry * Math.sin(angle));
            at.put(ring.get(i), p);
            ServerNode node = nodes.get(ring.get(i));
            node.resizeRelocate(p.getX() - nodeWidth / 2, p.getY() - nodeHeight / 2, nodeWidth, nodeHeight);
        }
        edges.forEach((link, edge) -> edge.place(at.get(link.dialer()), at.get(link.acceptor())));
    }

    /**
     * One server: a box with its name, state, clients known, lines per second and their last
     * minute as a sparkline, and a menu to remove it.
     */
    private static final class ServerNode extends VBox {
        private final String name;
        private final Label clients = new Label();
        private final Label lines = new Label();
        private final Tooltip tip = new Tooltip();
        private Boolean shownUp; // null until first shown
        private final RateHistory history = new RateHistory();
        final Sparkline sparkline = new Sparkline(NODE_WIDTH - 24, 14);
        private long lastTotal = -1;
        private final BooleanSupplier removable;
        private final ContextMenu menu;
        final MenuItem remove;

        ServerNode(String name, BooleanSupplier removable) {
            this.name = name;
            setId("server-" + name);
            getStyleClass().addAll("herd-node", "up");
            setAlignment(Pos.CENTER);
            Label title = new Label(name);
            title.getStyleClass().add("node-name");
            getChildren().addAll(title, clients, lines, sparkline); // clients: "up · 3 clients"
            setCursor(Cursor.HAND);
            Tooltip.install(this, tip);
            remove = new MenuItem("Remove " + name + " from the herd");
            remove.setId("remove-" + name);
            menu = new ContextMenu(remove);
            this.removable = removable;
        }

        /** On a right click (a mouse click on every platform; not every platform also makes it a menu request). */

        void showMenu(double screenX, double screenY) {
            boolean can = removable.getAsBoolean();
            remove.setDisable(!can);
            remove.setText(can ? "Remove " + name + " from the herd" : name + " is the last server: it stays");
            menu.show(this, screenX, screenY);
        }

        /** Counts the lines handled since the last pulse into the sparkline's history; true when it was drawn again. */
        boolean count(long linesTotal, long nowNanos) {
            long n = lastTotal < 0 || linesTotal < lastTotal ? 0 : linesTotal - lastTotal;
            lastTotal = linesTotal;
            return history.add(n, nowNanos) && sparkline.show(history.values());
        }

        /** True when anything shown changed; touches nothing otherwise (a style class set again restyles the node). */
        boolean show(HerdSnapshot.ServerSnapshot s, double linesPerSecond) {
            String known = s.stats().knownClients() + (s.stats().knownClients() == 1 ? " client" : " clients");
            String rate = Math.round(linesPerSecond) + " lines/s";
            known = (s.up() ? "up · " : "down · ") + known;
            if (shownUp != null && shownUp == s.up() && known.equals(clients.getText()) && rate.equals(lines.getText())) {
                return false;
            }
            if (shownUp == null || shownUp != s.up()) {
                getStyleClass().removeAll("up", "down");
                getStyleClass().add(s.up() ? "up" : "down");
                tip.setText(name + " is " + (s.up() ? "up: click to take it down (as a crash would look)"
                        : "down: click to bring it back") + "; right-click to remove it from the herd");
                shownUp = s.up();
            }
            clients.setText(known);
            lines.setText(rate);
            return true;
        }
    }

    /**
     * One link: its line, a wider invisible line to click, a glow for traffic, a dot per
     * direction, and in its tooltip the messages a second each way with a sparkline of the last minute.
     */
    private static final class LinkEdge extends Group {
        private final Link link;
        final Line line = new Line();
        final Line glow = new Line();
        final Line hit = new Line();
        final Label label = new Label();
        final Traveller forward = new Traveller(); // dialer -> acceptor
        final Traveller backward = new Traveller();
        private final Tooltip tip = new Tooltip();
        private final RateHistory sentForward = new RateHistory();
        private final RateHistory sentBackward = new RateHistory();
        private final RateHistory both = new RateHistory();
        final Sparkline sparkline = new Sparkline(180, 28);
        private String stateWords = "";
        private String rateWords = "";
        private EdgeState state;
        private double heat;
        private Point2D a = Point2D.ZERO;
        private Point2D b = Point2D.ZERO;

        LinkEdge(Link link) {
            this.link = link;
            line.setId("edge-" + link.dialer() + "-" + link.acceptor());
            line.getStyleClass().add("edge");
            line.setMouseTransparent(true);
            glow.getStyleClass().add("edge-glow");
            glow.setMouseTransparent(true);
            glow.setOpacity(0);
            hit.getStyleClass().add("edge-hit");
            hit.setCursor(Cursor.HAND);
            label.getStyleClass().add("edge-label");
            label.setMouseTransparent(true);
            tip.setGraphic(sparkline);
            tip.setContentDisplay(javafx.scene.control.ContentDisplay.BOTTOM);
            Tooltip.install(hit, tip);
            rateWords = rates();
            getChildren().addAll(glow, line, hit, label);
            show(EdgeState.REDIALLING);
        }

        /** True when the state changed. */
        boolean show(EdgeState next) {
            if (next == state) {
                return false;
            }
            line.getStyleClass().removeIf(c -> !c.equals("edge"));
            line.getStyleClass().add(next.label());
            label.getStyleClass().removeIf(c -> !c.equals("edge-label"));
            label.getStyleClass().add(next.label());
            label.setText(next == EdgeState.CONNECTED ? "" : next.label());
            label.setVisible(next != EdgeState.CONNECTED);
            stateWords = link + " is " + next.label() + (next == EdgeState.CUT ? ": click to restore it" : ": click to cut it");
            tip.setText(stateWords + "\n" + rateWords);
            state = next;
            return true;
        }

        /**
         * Counts the peer lines sent each way since the last pulse; once a second, the
         * tooltip's figures and sparkline follow. True when they changed.
         */
        boolean count(long forward, long backward, long nowNanos) {
            sentForward.add(forward, nowNanos);
            sentBackward.add(backward, nowNanos);
            if (!both.add(forward + backward, nowNanos)) {
                return false;
            }
            rateWords = rates();
            tip.setText(stateWords + "\n" + rateWords);
            sparkline.show(both.values());
            return true;
        }

        private String rates() {
            return Math.round(both.last()) + " messages/s (" + link.dialer() + " → " + link.acceptor() + " "
                    + Math.round(sentForward.last()) + ", " + link.acceptor() + " → " + link.dialer() + " "
                    + Math.round(sentBackward.last()) + "); at most " + Math.round(both.peak()) + "/s in the last minute";
        }

        void place(Point2D from, Point2D to) {
            a = from;
            b = to;
            for (Line l : List.of(line, glow, hit)) {
                l.setStartX(a.getX());
                l.setStartY(a.getY());
                l.setEndX(b.getX());
                l.setEndY(b.getY());
            }
            Point2D mid = a.midpoint(b);
            label.autosize();
            // beside the line rather than on it, so the midpoint stays clickable
            label.relocate(mid.getX() + 6, mid.getY() - label.getHeight() - 2);
        }

        void pulse(String sender, long nowNanos) {
            heat = 1;
            (sender.equals(link.dialer()) ? forward : backward).start(nowNanos);
        }

        /** True while the glow fades or a dot travels. */
        boolean animate(long nowNanos, double fade) {
            boolean glowing = glow.getOpacity() != 0;
            heat *= fade;
            glow.setOpacity(heat < 0.02 ? 0 : heat);
            boolean moved = forward.move(a, b, nowNanos);
            moved |= backward.move(b, a, nowNanos);
            return glowing || moved;
        }
    }

    /** A dot carrying updates along one direction of a link; restarts while traffic keeps coming. */
    private static final class Traveller {
        final Circle dot = new Circle(5);
        private long startedAt = -1;
        private boolean more;

        Traveller() {
            dot.getStyleClass().add("edge-dot");
            dot.setVisible(false);
        }

        void start(long nowNanos) {
            if (startedAt < 0) {
                startedAt = nowNanos;
            } else {
                more = true;
            }
        }

        /** True when the dot moved or vanished. */
        boolean move(Point2D from, Point2D to, long nowNanos) {
            if (startedAt < 0) {
                return false;
            }
            double progress = (nowNanos - startedAt) / (double) TRAVEL_NANOS;
            if (progress >= 1) {
                if (more) {
                    more = false;
                    startedAt = nowNanos;
                    progress = 0;
                } else {
                    startedAt = -1;
                    dot.setVisible(false);
                    return true;
                }
            }
            Point2D p = from.add(to.subtract(from).multiply(progress));
            dot.setCenterX(p.getX());
            dot.setCenterY(p.getY());
            dot.setVisible(true);
            return true;
        }
    }
}
