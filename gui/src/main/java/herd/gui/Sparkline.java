package herd.gui;

import java.util.Arrays;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/**
 * A small line chart of a {@link RateHistory}, scaled to its own peak: one Canvas, drawn
 * again only when the values change (at most once a second). JavaFX thread only.
 */
final class Sparkline extends Canvas {

    private static final Color LINE = Color.web("#2f6fb0");
    private static final Color FILL = Color.web("#2f6fb0", 0.18);

    private double[] drawn;

    Sparkline(double width, double height) {
        super(width, height);
        getStyleClass().add("sparkline");
        setMouseTransparent(true);
        show(new double[RateHistory.SECONDS]);
    }

    /** Draws {@code values} (oldest first) unless they are the ones drawn; true when it drew. */
    boolean show(double[] values) {
        if (drawn != null && Arrays.equals(values, drawn)) {
            return false;
        }
        drawn = values.clone();
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.clearRect(0, 0, w, h);
        double peak = Math.max(1, Arrays.stream(values).max().orElse(0));
        int n = values.length;
        double[] xs = new double[n + 2];
        double[] ys = new double[n + 2];
        for (int i = 0; i < n; i++) {
            xs[i] = n == 1 ? w : i * w / (n - 1);
            ys[i] = h - 1 - values[i] / peak * (h - 2);
        }
        xs[n] = w;
        ys[n] = h;
        xs[n + 1] = 0;
        ys[n + 1] = h;
        g.setFill(FILL);
        g.fillPolygon(xs, ys, n + 2);
        g.setStroke(LINE);
        g.setLineWidth(1.2);
        g.strokePolyline(xs, ys, n);
        return true;
    }

    /** The values last drawn; for tests. */
    double[] drawn() {
        return drawn.clone();
    }
}
