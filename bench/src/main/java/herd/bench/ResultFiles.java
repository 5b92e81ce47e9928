package herd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a comparison's figures where people and scripts find them: {@code summary.md}
 * (the table), {@code summary.csv} (one row per metric: the Java and asyncio medians, the
 * ratio, the target, then the third herd's median and Herd ÷ it, empty when it did not run), and {@code runs.csv} (every value of every run). Stateless.
 */
final class ResultFiles {

    private ResultFiles() {
    }

    static void write(Path dir, Summary s, String markdown) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.md"), markdown, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.csv"), summaryCsv(s), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("runs.csv"), runsCsv(s), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("cannot write results in " + dir + ": " + e.getMessage());
        }
    }

    static String summaryCsv(Summary s) {
        StringBuilder b = new StringBuilder("metric,scenario,measure,unit,")
                .append(s.herd()).append(',').append(s.baseline()).append(",ratio,target,met,")
                .append(s.other() == null ? "node" : s.other()).append(',')
                .append(s.other() == null ? "node" : s.other()).append("_ratio\n");
        for (Metric m : Metric.values()) {
            Summary.Target t = s.target(m);
            b.append(m.name()).append(',').append(csv(m.scenario)).append(',').append(csv(m.measure)).append(',')
                    .append(m.unit.symbol).append(',').append(number(s.value(m, s.herd()))).append(',')
                    .append(number(s.value(m, s.baseline()))).append(',').append(number(s.ratio(m))).append(',')
                    .append(t == null ? "" : csv(t.text())).append(',').append(t == null ? "" : s.verdict(t)).append(',')
                    .append(s.other() == null ? "" : number(s.value(m, s.other()))).append(',')
                    .append(s.other() == null ? "" : number(s.ratio(m, s.other()))).append('\n');
        }
        return b.toString();
    }

    static String runsCsv(Summary s) {
        StringBuilder b = new StringBuilder("run,herd,metric,unit,value\n");
        for (HerdRun r : s.runs()) {
            r.values.forEach((m, v) -> b.append(r.run).append(',').append(r.herd).append(',').append(m.name()).append(',')
                    .append(m.unit.symbol).append(',').append(number(v)).append('\n'));
        }
        return b.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csv(String text) {
        return text.contains(",") || text.contains("\"") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
