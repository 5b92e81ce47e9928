package herd.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Draws a comparison as small PNG charts (XChart, headless AWT): replies per second,
 * latencies, memory, start-up and rejoin, and the round trip's latency by percentile. Each bar is a median
 * over runs, as in the table; a third herd (Node.js), when one ran, is a third bar and line. Stateless.
 */
final class Charts {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 420;
    private static final Color HERD = new Color(0x1F, 0x77, 0xB4);
    private static final Color BASELINE = new Color(0xFF, 0x7F, 0x0E);
    private static final Color OTHER = new Color(0x2C, 0xA0, 0x2C);

    private Charts() {
    }

    static void write(Path dir, Summary s, String herdLabel, String baselineLabel) {
        write(dir, s, herdLabel, baselineLabel, s.other());
    }

    /** @param otherLabel the third herd's name in the legends (used only when the summary has one) */
    static void write(Path dir, Summary s, String herdLabel, String baselineLabel, String otherLabel) {
        Labels labels = new Labels(herdLabel, baselineLabel, otherLabel);
        System.setProperty("java.awt.headless", "true");
        save(bars(s, labels, "Replies per second (more is better)", "replies/s", false,
                List.of(Metric.ONE_RATE, Metric.ALL_RATE, Metric.WS_SAME_RATE, Metric.WS_NEW_RATE),
                List.of("IAMAT, one server", "IAMAT, five servers", "WHATSAT, same query", "WHATSAT, new query"), 1),
                dir.resolve("throughput.png"));
        save(bars(s, labels, "Latency (less is better, log scale)", "µs", true,
                List.of(Metric.RT_P50, Metric.RT_P99, Metric.ONE_P50, Metric.ONE_P99, Metric.PROP_IDLE_P50,
                        Metric.PROP_IDLE_P99, Metric.PROP_LOAD_P50, Metric.PROP_LOAD_P99),
                List.of("round trip p50", "round trip p99", "50×4 load p50", "50×4 load p99", "3 hops p50", "3 hops p99",
                        "3 hops loaded p50", "3 hops loaded p99"), 1), dir.resolve("latency.png"));
        save(bars(s, labels, "Resident memory (less is better)", "MB", false,
                List.of(Metric.REST_MB, Metric.CAP_ADDED_MB),
                List.of("at rest, per server process", "added by 10,000 idle clients"), 1), dir.resolve("memory.png"));
        save(bars(s, labels, "Start-up and rejoin (less is better)", "ms", false,
                List.of(Metric.START_MS, Metric.READY_MS, Metric.REJOIN_MS),
                List.of("start to listening", "start to first answer", "restart: listening to every link back"), 1),
                dir.resolve("startup.png"));
        save(percentiles(s, labels), dir.resolve("roundtrip-percentiles.png"));
    }

    private record Labels(String herd, String baseline, String other) {}

    private static CategoryChart bars(Summary s, Labels labels, String title, String unit,
                                      boolean log, List<Metric> metrics, List<String> names, double scale) {
        boolean three = s.other() != null;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(unit).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setLabelsVisible(!log); // XChart misplaces bar labels on a log axis
        chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setXAxisLabelRotation(names.size() > 4 ? 20 : 0);
        chart.getStyler().setSeriesColors(new Color[] {HERD, BASELINE, OTHER});
        List<String> xs = new ArrayList<>();
        List<Double> herd = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            double a = s.value(metrics.get(i), s.herd());
            double b = s.value(metrics.get(i), s.baseline());
            double c = three ? s.value(metrics.get(i), s.other()) : Double.NaN;
            if (Double.isNaN(a) && Double.isNaN(b) && Double.isNaN(c)) {
                continue;
            }
            xs.add(names.get(i));
            herd.add(Double.isNaN(a) ? (log ? 1 : 0) : a * scale);
            base.add(Double.isNaN(b) ? (log ? 1 : 0) : b * scale);
            other.add(Double.isNaN(c) ? (log ? 1 : 0) : c * scale);
        }
        if (xs.isEmpty()) {
            xs.add("(no data)");
            herd.add(1.0);
            base.add(1.0);
            other.add(1.0);
        }
        if (log) {
            // bar charts anchor the axis at zero, which a log axis cannot show: start it a decade below the data
            double min = Stream.of(herd, base, three ? other : List.<Double>of()).flatMap(List::stream)
                    .mapToDouble(Double::doubleValue).min().orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        }
        chart.addSeries(labels.herd(), xs, herd);
        chart.addSeries(labels.baseline(), xs, base);
        if (three) {
            chart.addSeries(labels.other(), xs, other);
        }
        return chart;
    }

    /** Round-trip latency against percentile, from every run's histogram merged, both axes logarithmic. */
    private static XYChart percentiles(Summary s, Labels labels) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Round trip, one client: latency by percentile (all runs; log scale)")
                .xAxisTitle("percentile").yAxisTitle("µs").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setSeriesColors(new Color[] {HERD, BASELINE, OTHER});
        chart.getStyler().setDecimalPattern("#,##0.#");
        // x is the number of nines: 1 = 90 %, 2 = 99 %, 3 = 99.9 %
        chart.setCustomXAxisTickLabelsFormatter(n -> Math.abs(n - Math.rint(n)) > 1e-9 ? ""
                : new java.math.BigDecimal(100 - 100 / Math.pow(10, Math.rint(n))).setScale(4, java.math.RoundingMode.HALF_EVEN)
                        .stripTrailingZeros().toPlainString() + "%");
        addPercentiles(chart, labels.herd(), merged(s, s.herd()));
        addPercentiles(chart, labels.baseline(), merged(s, s.baseline()));
        if (s.other() != null) {
            addPercentiles(chart, labels.other(), merged(s, s.other()));
        }
        return chart;
    }

    private static Histogram merged(Summary s, String who) {
        Histogram all = new Histogram(3);
        s.runs().stream().filter(r -> r.herd.equals(who) && r.roundTrip != null).forEach(r -> all.add(r.roundTrip));
        return all;
    }

    private static void addPercentiles(XYChart chart, String name, Histogram h) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (double p : new double[] {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99}) {
            if (h.getTotalCount() > 0 && h.getTotalCount() * (100 - p) / 100 >= 1) {
                xs.add(Math.log10(100 / (100 - p)));
                ys.add(Math.max(0.1, h.getValueAtPercentile(p) / 1000.0));
            }
        }
        if (xs.isEmpty()) {
            xs.add(1.0);
            ys.add(1.0);
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setDecimalPattern("#,##0");
    }

    private static void save(Chart<?, ?> chart, Path file) {
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new BenchException("cannot write chart " + file + ": " + e.getMessage());
        }
    }
}
