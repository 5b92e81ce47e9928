package herd.gui;

import java.util.List;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

/**
 * A strip chart of propagation time: per second of the last {@value #SECONDS} s, the median,
 * 99th percentile and maximum of the time each server learned a report after its first
 * server did ({@link PropagationSeries}), on a log scale from 10 µs to 10 s; each operator
 * action is a vertical mark with its name. One canvas, redrawn only when its figures, its
 * marks, the second or its size changed, and only while it is on screen. JavaFX thread only.
 */
final class PropagationChart extends Pane {

    static final int SECONDS = 180;
    private static final double MIN_US = 10;
    private static final double MAX_US = 10_000_000;

    private final Canvas canvas = new Canvas();
    private List<PropagationSeries.Second> seconds = List.of();
    private List<Timeline.Action> actions = List.of();
    private long nowSecond;
    private int draws;
    private boolean stale; // what it shows changed since it was last drawn

    PropagationChart() {
        setId("propagation-chart");
        getChildren().add(canvas);
        setMinSize(120, 60);
        setPrefSize(400, 140);
        widthProperty().addListener(o -> draw());
        heightProperty().addListener(o -> draw());
    }

    /** Shows these figures and marks at {@code nowSecond}; draws only when something changed. */
    void show(long nowSecond, List<PropagationSeries.Second> newSeconds, List<Timeline.Action> newActions) {
        if (nowSecond != this.nowSecond || !newSeconds.equals(seconds) || !newActions.equals(actions)) {
            this.nowSecond = nowSecond;
            seconds = newSeconds;
            actions = newActions;
            stale = true;
        }
        // behind another tab the chart is not drawn: its once-a-second scroll cost about 4% of a
        // core in the renderer while the herd was idle (MonitorCostBench); it is drawn when shown
        if (stale && showing()) {
            draw();
        }
    }

    /** Whether the chart is on screen: in a scene, and it and every parent visible (a tab not in front is not). */
    private boolean showing() {
        if (getScene() == null) {
            return false;
        }
        for (javafx.scene.Node n = this; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** How many times the chart was drawn; for tests. */
    int draws() {
        return draws;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
    }

    private void draw() {
        stale = false;
        draws++;
        double w = getWidth();
        double h = getHeight();
        canvas.setWidth(w);
        canvas.setHeight(h);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.web("#fbfbfb"));
        g.fillRect(0, 0, w, h);
        g.setFont(Font.font(10));
        g.setStroke(Color.web("#dddddd"));
        g.setFill(Color.web("#777777"));
        for (double us = MIN_US; us <= MAX_US; us *= 10) {
            double y = y(us, h);
            g.strokeLine(0, y, w, y);
            g.fillText(Durations.micros((long) us), 2, y - 2);
        }
        g.fillText("propagation time per second: p50 (green), p99 (orange), max (red); last " + SECONDS + " s", 60, 11);
        for (Timeline.Action a : actions) {
            long s = Math.floorDiv(a.atMicros(), 1_000_000L);
            if (s > nowSecond - SECONDS) {
                double x = x(a.atMicros() / 1e6, w);
                g.setStroke(Color.web("#5566aa"));
                g.strokeLine(x, 14, x, h);
                g.setFill(Color.web("#334488"));
                g.fillText(a.action(), x + 2, h - 3);
            }
        }
        series(g, w, h, Color.web("#d33a2c"), 2);
        series(g, w, h, Color.web("#e08a1e"), 1);
        series(g, w, h, Color.web("#2e9d4f"), 0);
    }

    private void series(GraphicsContext g, double w, double h, Color colour, int which) {
        g.setFill(colour);
        for (PropagationSeries.Second s : seconds) {
            long v = which == 0 ? s.p50() : which == 1 ? s.p99() : s.max();
            double x = x(s.second() + 0.5, w);
            g.fillRect(x - 1.5, y(v, h) - 1.5, 3, 3);
        }
    }

    private double x(double second, double w) {
        return w - (nowSecond + 1 - second) / SECONDS * w;
    }

    private static double y(double us, double h) {
        double v = Math.max(MIN_US, Math.min(MAX_US, us));
        double top = 14;
        return top + (h - top - 12) * (1 - Math.log10(v / MIN_US) / Math.log10(MAX_US / MIN_US));
    }
}
