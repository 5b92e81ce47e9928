package herd.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The runs of a comparison combined: per metric and herd the median over runs (counts of
 * things that must not happen are summed), the ratio Herd ÷ baseline (and Herd ÷ the third
 * herd, when one ran: Node.js) as the median of the ratios taken within each run (the machine is shared and noisy, so only same-run ratios
 * and medians are claims), and the targets of issues 5, 11, 12 and 13 judged on those. Renders the
 * Markdown table. Immutable once built.
 */
final class Summary {

    /** A target from the issue: what it says, and how it is judged on (Herd's value, ratio). */
    record Target(Metric metric, String text, BiPredicate<Double, Double> pass) {}

    static final List<Target> TARGETS = List.of(
            new Target(Metric.ONE_RATE, "≥ 3× asyncio", (v, ratio) -> ratio >= 3),
            new Target(Metric.ONE_CPU, "≤ asyncio ÷ 3", (v, ratio) -> ratio <= 1.0 / 3),
            new Target(Metric.RT_P50, "< 100 µs", (v, ratio) -> v < 100),
            new Target(Metric.RT_P99, "< 1 ms", (v, ratio) -> v < 1000),
            new Target(Metric.ONE_ALLOC_HUB, "< 200 B", (v, ratio) -> v < 200),
            new Target(Metric.PROP_IDLE_P99, "< 2 ms", (v, ratio) -> v < 2000),
            new Target(Metric.PROP_LOAD_P99, "< 100 ms", (v, ratio) -> v < 100_000),
            new Target(Metric.PROP_LOAD_DROPS, "0", (v, ratio) -> v == 0),
            new Target(Metric.CAP_ADDED_MB, "< 50 MB", (v, ratio) -> v < 50),
            new Target(Metric.TABLE_PER_CLIENT, "< 250 B", (v, ratio) -> v < 250),
            new Target(Metric.TABLE_HEAP_PER_CLIENT, "< 250 B", (v, ratio) -> v < 250),
            new Target(Metric.REPAIR_FLAP_KB, "< 1 MB", (v, ratio) -> v < 1024),
            new Target(Metric.REPAIR_RELEARN_S, "< 10 s", (v, ratio) -> v < 10),
            new Target(Metric.REPAIR_LIVE_MAX, "< 100 ms", (v, ratio) -> v < 100),
            new Target(Metric.REPAIR_DROPS, "0", (v, ratio) -> v == 0),
            new Target(Metric.START_MS, "≤ 300 ms", (v, ratio) -> v <= 300),
            new Target(Metric.REJOIN_MS, "≤ 100 ms", (v, ratio) -> v <= 100),
            new Target(Metric.BURST_FAILED, "0", (v, ratio) -> v == 0),
            new Target(Metric.ERRORS, "0", (v, ratio) -> v == 0),
            new Target(Metric.LOST, "0", (v, ratio) -> v == 0),
            new Target(Metric.LINK_DROPS, "0", (v, ratio) -> v == 0),
            new Target(Metric.LOG_FELL_BEHIND, "0", (v, ratio) -> v == 0));

    private final List<HerdRun> runs;
    private final String herd;
    private final String baseline;
    private final String other;

    /** @param herd the key of the herd the targets are for; {@code baseline} the one it is compared with */
    Summary(List<HerdRun> runs, String herd, String baseline) {
        this(runs, herd, baseline, null);
    }

    /**
     * @param other the key of a third herd shown beside the two (its own ratio column: Herd ÷ it),
     *              or null for none; the targets stay Herd's against the baseline
     */
    Summary(List<HerdRun> runs, String herd, String baseline, String other) {
        this.runs = List.copyOf(runs);
        this.herd = herd;
        this.baseline = baseline;
        this.other = other;
    }

    /** The third herd's key, or null when only two were compared. */
    String other() {
        return other;
    }

    List<HerdRun> runs() {
        return runs;
    }

    String herd() {
        return herd;
    }

    String baseline() {
        return baseline;
    }

    int runCount() {
        return (int) runs.stream().mapToInt(r -> r.run).distinct().count();
    }

    /** The median over runs (or the total, for counts) of {@code m} for {@code who}; NaN if never measured. */
    double value(Metric m, String who) {
        List<Double> vs = runs.stream().filter(r -> r.herd.equals(who) && r.values.containsKey(m))
                .map(r -> r.values.get(m)).toList();
        if (vs.isEmpty()) {
            return Double.NaN;
        }
        return m.summed() ? vs.stream().mapToDouble(Double::doubleValue).sum() : Comparison.median(vs);
    }

    /** Median over runs of herd ÷ baseline within the same run; NaN without a pair. */
    double ratio(Metric m) {
        return ratio(m, baseline);
    }

    /** Median over runs of herd ÷ {@code versus} within the same run; NaN without a pair. */
    double ratio(Metric m, String versus) {
        List<Double> ratios = new ArrayList<>();
        if (versus == null) {
            return Double.NaN;
        }
        for (HerdRun a : runs) {
            if (!a.herd.equals(herd) || !a.values.containsKey(m)) {
                continue;
            }
            runs.stream().filter(b -> b.run == a.run && b.herd.equals(versus) && b.values.containsKey(m))
                    .findFirst().ifPresent(b -> ratios.add(a.values.get(m) / b.values.get(m)));
        }
        return ratios.isEmpty() ? Double.NaN : Comparison.median(ratios);
    }

    Target target(Metric m) {
        return TARGETS.stream().filter(t -> t.metric() == m).findFirst().orElse(null);
    }

    /** "pass", "FAIL", or "n/a" when the figure is missing. */
    String verdict(Target t) {
        double v = value(t.metric(), herd);
        double r = ratio(t.metric());
        if (Double.isNaN(v) || t.metric() == Metric.ONE_RATE && Double.isNaN(r)) {
            return "n/a";
        }
        return t.pass().test(v, r) ? "pass" : "FAIL";
    }

    /**
     * True when no herd had an error, a lost update, a dropped link or a gap in its event
     * log: the log is part of the product, so a herd that kept up by leaving events out of it
     * did not pass, however fast it answered.
     */
    boolean clean() {
        return runs.stream().allMatch(r -> CORRECTNESS.stream().allMatch(m -> r.values.getOrDefault(m, 0.0) == 0));
    }

    /** The counts that must be zero for a comparison to pass (its exit code). */
    static final List<Metric> CORRECTNESS = List.of(Metric.ERRORS, Metric.LOST, Metric.LINK_DROPS, Metric.LOG_FELL_BEHIND);

    /** The table, with a heading line above it and notes below. */
    String markdown(String heading, String herdLabel, String baselineLabel) {
        return markdown(heading, herdLabel, baselineLabel, other);
    }

    /**
     * The table, with a heading line above it and notes below; with a third herd, its value
     * and the ratio Herd ÷ it follow the baseline's ratio.
     */
    String markdown(String heading, String herdLabel, String baselineLabel, String otherLabel) {
        boolean three = other != null;
        StringBuilder b = new StringBuilder(heading).append("\n\n");
        b.append("| scenario | measure | ").append(herdLabel).append(" | ").append(baselineLabel).append(" | ratio | ");
        if (three) {
            b.append(otherLabel).append(" | ratio ÷ ").append(otherLabel).append(" | ");
        }
        b.append("target | met |\n");
        b.append(three ? "|---|---|---:|---:|---:|---:|---:|---|---|\n" : "|---|---|---:|---:|---:|---|---|\n");
        String lastScenario = null;
        for (Metric m : Metric.values()) {
            double v = value(m, herd);
            double w = value(m, baseline);
            double x = three ? value(m, other) : Double.NaN;
            if (Double.isNaN(v) && Double.isNaN(w) && Double.isNaN(x)) {
                continue;
            }
            Target t = target(m);
            b.append("| ").append(Objects.equals(lastScenario, m.scenario) ? "" : m.scenario).append(" | ")
                    .append(m.measure).append(" | ").append(format(m, v)).append(" | ").append(format(m, w)).append(" | ")
                    .append(m.summed() ? "" : ratioText(ratio(m))).append(" | ");
            if (three) {
                b.append(format(m, x)).append(" | ").append(m.summed() ? "" : ratioText(ratio(m, other))).append(" | ");
            }
            b.append(t == null ? "" : t.text()).append(" | ").append(t == null ? "" : verdict(t)).append(" |\n");
            lastScenario = m.scenario;
        }
        b.append("\nratio = ").append(herdLabel).append(" ÷ ").append(baselineLabel);
        if (three) {
            b.append(" (and ratio ÷ ").append(otherLabel).append(" = ").append(herdLabel).append(" ÷ ").append(otherLabel)
                    .append(")");
        }
        b.append(", the median of the ratios within each run (above 1: more replies/s; below 1: less time or memory).\n");
        Set<String> notes = new LinkedHashSet<>();
        for (HerdRun r : runs) {
            for (String n : r.notes) {
                notes.add((r.herd.equals(other) ? otherLabel : label(r.herd, herdLabel, baselineLabel)) + ": " + n);
            }
        }
        if (!notes.isEmpty()) {
            b.append("\nNotes:\n");
            notes.stream().limit(20).forEach(n -> b.append("- ").append(n).append('\n'));
            if (notes.size() > 20) {
                b.append("- (").append(notes.size() - 20).append(" more)\n");
            }
        }
        return b.toString();
    }

    private String label(String who, String herdLabel, String baselineLabel) {
        return who.equals(herd) ? herdLabel : who.equals(baseline) ? baselineLabel : who;
    }

    static String format(Metric m, double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return switch (m.unit) {
            case MICROS -> (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v)) + " µs";
            case MILLIS -> String.format(Locale.ROOT, "%,.0f ms", v);
            case SECONDS -> String.format(Locale.ROOT, "%,.1f s", v);
            case MB -> String.format(Locale.ROOT, "%,.1f MB", v);
            case KB -> String.format(Locale.ROOT, "%,.2f KB", v);
            case BYTES -> String.format(Locale.ROOT, "%,.0f B", v);
            case PER_SECOND -> String.format(Locale.ROOT, "%,.0f/s", v);
            case RATIO -> String.format(Locale.ROOT, "%.2f", v);
            case COUNT -> String.format(Locale.ROOT, "%,.0f", v);
        };
    }

    static String ratioText(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return "—";
        }
        return r >= 10 ? String.format(Locale.ROOT, "%.1f×", r) : String.format(Locale.ROOT, "%.2f×", r);
    }
}
