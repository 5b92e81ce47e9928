package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static HerdRun run(String herd, int n, double rate, double p50, double errors) {
        HerdRun r = new HerdRun(herd, n);
        r.put(Metric.ONE_RATE, rate);
        r.put(Metric.RT_P50, p50);
        r.add(Metric.ERRORS, errors);
        return r;
    }

    private final Summary summary = new Summary(List.of(
            run("java", 1, 100, 50, 0), run("asyncio", 1, 10, 100, 0),
            run("asyncio", 2, 50, 100, 1), run("java", 2, 200, 150, 0),
            run("java", 3, 300, 60, 0), run("asyncio", 3, 20, 120, 0)), "java", "asyncio");

    @Test
    void valuesAreMediansOfRunsAndCountsAreTotals() {
        assertEquals(200, summary.value(Metric.ONE_RATE, "java"));
        assertEquals(60, summary.value(Metric.RT_P50, "java"));
        assertEquals(1, summary.value(Metric.ERRORS, "asyncio"));
        assertTrue(Double.isNaN(summary.value(Metric.LOST, "java")));
    }

    @Test
    void ratioIsTheMedianOfRatiosWithinEachRun() {
        // runs: 100/10 = 10, 200/50 = 4, 300/20 = 15 -> 10 (not 200/20 = 10 by luck: check p50 too)
        assertEquals(10, summary.ratio(Metric.ONE_RATE));
        // 50/100 = 0.5, 150/100 = 1.5, 60/120 = 0.5 -> 0.5
        assertEquals(0.5, summary.ratio(Metric.RT_P50));
    }

    @Test
    void targetsAreJudgedOnTheHerd() {
        assertEquals("pass", summary.verdict(summary.target(Metric.ONE_RATE)));
        assertEquals("pass", summary.verdict(summary.target(Metric.RT_P50)));
        assertEquals("pass", summary.verdict(summary.target(Metric.ERRORS)));
        assertEquals("n/a", summary.verdict(summary.target(Metric.LOST)));
        assertFalse(summary.clean(), "the baseline had an error");
    }

    @Test
    void startUpAndRejoinTargetsAreInMilliseconds() {
        HerdRun java = new HerdRun("java", 1);
        java.put(Metric.START_MS, 300);
        java.put(Metric.REJOIN_MS, 101);
        Summary s = new Summary(List.of(java), "java", "asyncio");
        assertEquals("pass", s.verdict(s.target(Metric.START_MS)), "300 ms is within ≤ 300 ms");
        assertEquals("FAIL", s.verdict(s.target(Metric.REJOIN_MS)));
        assertTrue(s.clean(), "a timing target never fails the comparison");
    }

    @Test
    void anEventLogThatFellBehindFailsTheComparisonLikeALostUpdate() {
        HerdRun java = run("java", 1, 100, 50, 0);
        java.add(Metric.LOG_FELL_BEHIND, 2);
        HerdRun asyncio = run("asyncio", 1, 10, 100, 0);
        asyncio.add(Metric.LOG_FELL_BEHIND, 0);
        Summary s = new Summary(List.of(java, asyncio), "java", "asyncio");
        assertFalse(s.clean());
        assertEquals("FAIL", s.verdict(s.target(Metric.LOG_FELL_BEHIND)));
        String md = s.markdown("heading", "Herd", "asyncio");
        assertTrue(md.contains("| event log fell behind (ERROR lines: events left out of the log) | 2 | 0 |  | 0 | FAIL |"),
                md);

        java.values.put(Metric.LOG_FELL_BEHIND, 0.0);
        assertTrue(s.clean(), "nothing else failed");
    }

    @Test
    void aFigureOnlyTheJavaHerdHasShowsNotApplicableForTheBaseline() {
        HerdRun java = run("java", 1, 100, 50, 0);
        java.put(Metric.ONE_ALLOC_HUB, 6123.4);
        Summary s = new Summary(List.of(java, run("asyncio", 1, 10, 100, 0)), "java", "asyncio");
        String md = s.markdown("heading", "Herd", "asyncio");
        assertTrue(md.contains("| bytes allocated per IAMAT, hub server (Goloman) | 6,123 B | n/a | — | < 200 B | FAIL |"), md);
    }

    @Test
    void tableHasBothColumnsTheRatioAndTheVerdict() {
        String md = summary.markdown("heading", "Herd", "asyncio");
        assertTrue(md.startsWith("heading\n\n| scenario | measure | Herd | asyncio | ratio | target | met |"), md);
        assertTrue(md.contains("| 1 round trip | p50 | 60 µs | 100 µs | 0.50× | < 100 µs | pass |"), md);
        assertTrue(md.contains("| replies/s | 200/s | 20/s | 10.0× | ≥ 3× asyncio | pass |"), md);
        assertTrue(md.contains("| errors (malformed, missing or refused replies) | 0 | 1 |  | 0 | pass |"), md);
    }

    @Test
    void theBurstRowsShowTimeRateFailuresAndOverflowsAndReachTheCsv() {
        HerdRun java = run("java", 1, 100, 50, 0);
        java.put(Metric.BURST_MS, 1500);
        java.put(Metric.BURST_RATE, 10_000);
        java.add(Metric.BURST_FAILED, 0);
        java.add(Metric.BURST_OVERFLOWS, 12);
        HerdRun asyncio = run("asyncio", 1, 10, 100, 0);
        asyncio.put(Metric.BURST_MS, 3000);
        asyncio.put(Metric.BURST_RATE, 5000);
        asyncio.add(Metric.BURST_FAILED, 0);
        asyncio.add(Metric.BURST_OVERFLOWS, 3000);
        Summary s = new Summary(List.of(java, asyncio), "java", "asyncio");
        String md = s.markdown("heading", "Herd", "asyncio");
        assertTrue(md.contains("| 7 accept burst, connections opened at once on one server | first connect to the last right reply "
                + "(one IAMAT on each) | 1,500 ms | 3,000 ms | 0.50× |  |  |"), md);
        assertTrue(md.contains("| connections answered per second | 10,000/s | 5,000/s | 2.00× |  |  |"), md);
        assertTrue(md.contains("| connections failed: refused, reset, wrong reply or none within 30 s (also errors) | 0 | 0 |  "
                + "| 0 | pass |"), md);
        assertTrue(md.contains("| listen-queue overflows meanwhile (TcpExt ListenOverflows, whole machine) | 12 | 3,000 |"), md);
        assertTrue(ResultFiles.summaryCsv(s).contains("BURST_MS,"), ResultFiles.summaryCsv(s));
        assertTrue(ResultFiles.runsCsv(s).contains("1,asyncio,BURST_OVERFLOWS,,3000.00"), ResultFiles.runsCsv(s));
    }

    @Test
    void aThirdHerdGetsItsColumnAndItsOwnRatioAndIsAppendedToTheCsv() {
        Summary s = new Summary(List.of(
                run("java", 1, 100, 50, 0), run("asyncio", 1, 10, 100, 0), run("node", 1, 40, 80, 2),
                run("node", 2, 50, 60, 0), run("asyncio", 2, 50, 100, 0), run("java", 2, 200, 150, 0)),
                "java", "asyncio", "node");
        // Herd ÷ Node.js within each run: 100/40 = 2.5, 200/50 = 4 -> 3.25; p50: 50/80, 150/60 -> (0.625 + 2.5) / 2
        assertEquals(3.25, s.ratio(Metric.ONE_RATE, "node"));
        assertEquals(1.5625, s.ratio(Metric.RT_P50, "node"));
        assertEquals(7, s.ratio(Metric.ONE_RATE), "the asyncio ratio is untouched: 100/10 = 10, 200/50 = 4 -> 7");
        assertFalse(s.clean(), "the third herd's errors fail the comparison too");
        String md = s.markdown("heading", "Herd", "asyncio", "Node.js");
        assertTrue(md.startsWith("heading\n\n| scenario | measure | Herd | asyncio | ratio | Node.js | ratio ÷ Node.js | target | met |\n"
                + "|---|---|---:|---:|---:|---:|---:|---|---|\n"), md);
        assertTrue(md.contains("| replies/s | 150/s | 30/s | 7.00× | 45/s | 3.25× | ≥ 3× asyncio | pass |"), md);
        assertTrue(md.contains("| errors (malformed, missing or refused replies) | 0 | 0 |  | 2 |  | 0 | pass |"), md);

        String csv = ResultFiles.summaryCsv(s);
        assertTrue(csv.startsWith("metric,scenario,measure,unit,java,asyncio,ratio,target,met,node,node_ratio\n"), csv);
        assertTrue(csv.contains("\nONE_RATE,\"2 throughput, 50×4 IAMAT to one server\",replies/s,/s,150.000,30.0000,7.00000,"
                + "≥ 3× asyncio,pass,45.0000,3.25000\n"), csv);
        assertTrue(ResultFiles.runsCsv(s).contains("\n2,node,ONE_RATE,/s,50.0000\n"), ResultFiles.runsCsv(s));
    }

    @Test
    void withoutAThirdHerdTheCsvStillEndsWithEmptyNodeColumns() {
        String csv = ResultFiles.summaryCsv(summary);
        assertTrue(csv.startsWith("metric,scenario,measure,unit,java,asyncio,ratio,target,met,node,node_ratio\n"), csv);
        assertTrue(csv.contains("\nRT_P50,1 round trip,p50,µs,60.0000,100.000,0.500000,< 100 µs,pass,,\n"), csv);
        assertTrue(summary.markdown("h", "Herd", "asyncio").startsWith("h\n\n| scenario | measure | Herd | asyncio | ratio | target | met |"));
    }
}
