package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.HerdEvent;
import herd.engine.LocationReport;
import herd.engine.Party;
import herd.engine.config.Link;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The experiment's recorder without sockets or JavaFX: events made by hand, with the times
 * chosen, on a clock the test sets.
 */
class ExperimentRecordingTest {

    private static final Instant T0 = Instant.parse("2026-05-20T10:00:00.000000Z");

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void at(long micros) {
            now.set(T0.plusNanos(micros * 1000));
        }
    }

    private static Instant at(long micros) {
        return T0.plusNanos(micros * 1000);
    }

    private static HerdEvent.LocationLearned learned(long micros, String server, String client, String time, Party from) {
        return new HerdEvent.LocationLearned(at(micros), server,
                new LocationReport("Welsh", "+0.1", client, "+34-118", time), from);
    }

    @Test
    void eachServersLearnIsTimedFromTheReportsFirstLearn() {
        Experiment ex = new Experiment(new TestClock(), 100);
        // recorded out of order, as two I/O threads may: the first learn is the earliest, not the first recorded
        ex.onEvent(learned(1900, "Holiday", "kiwi", "100.5", Party.peer("Welsh")));
        ex.onEvent(learned(1000, "Welsh", "kiwi", "100.5", Party.client("127.0.0.1:5000")));
        ex.onEvent(learned(2800, "Goloman", "kiwi", "100.5", Party.peer("Holiday")));
        LearnTimes.Report r = ex.learns().report("kiwi", "100.5");
        assertEquals(LearnTimes.micros(at(1000)), r.firstMicros());
        assertEquals("+0.9 ms via Welsh", ReportSpread.cell(r.lastBy("Holiday"), r.firstMicros()));
        assertEquals("+1.8 ms via Holiday", ReportSpread.cell(r.lastBy("Goloman"), r.firstMicros()));
        assertEquals("origin", ReportSpread.cell(r.lastBy("Welsh"), r.firstMicros()));
        List<String> servers = List.of("Goloman", "Hands", "Holiday", "Welsh");
        assertEquals("3 of 4", ReportSpread.describe(
                List.of(Holding.FRESH, Holding.NONE, Holding.FRESH, Holding.FRESH), servers, r));
        assertEquals("all 3 in 1.8 ms", ReportSpread.describe(
                List.of(Holding.FRESH, Holding.DOWN, Holding.FRESH, Holding.FRESH), servers, r));
        assertNull(ex.learns().report("kiwi", "100.6"), "another client time is another report");
    }

    @Test
    void onlyTheNewestReportsAreKeptAndTheDroppedOnesCounted() {
        Experiment ex = new Experiment(new TestClock(), 3);
        for (int i = 0; i < 5; i++) {
            ex.onEvent(learned(i * 10, "Welsh", "c" + i, "1." + i, Party.client("127.0.0.1:1")));
            ex.onEvent(learned(i * 10 + 5, "Holiday", "c" + i, "1." + i, Party.peer("Welsh")));
        }
        assertEquals(List.of("c2", "c3", "c4"), ex.learns().reports().stream().map(r -> r.key.clientId()).toList());
        assertEquals(2, ex.learns().droppedReports());
        assertNull(ex.learns().report("c0", "1.0"));
        assertEquals(2, ex.learns().report("c4", "1.4").learns().size());
    }

    @Test
    void aReportKeepsAtMostItsShareOfLearns() {
        Experiment ex = new Experiment(new TestClock(), 3);
        for (int i = 0; i < LearnTimes.LEARNS_PER_REPORT + 5; i++) {
            ex.onEvent(learned(i, "Holiday", "kiwi", "1", Party.peer("Welsh")));
        }
        assertEquals(LearnTimes.LEARNS_PER_REPORT, ex.learns().report("kiwi", "1").learns().size());
        assertEquals(5, ex.learns().droppedLearns());
    }

    @Test
    void aRestoreIsHealedWhenTheServersBehindHaveRelearnedAfterTheLinkCameUp() {
        TestClock clock = new TestClock();
        Experiment ex = new Experiment(clock, 100);
        Link link = Link.between("Welsh", "Holiday");
        // an old report everyone but Welsh learned, and the cut
        ex.onEvent(learned(1_000, "Hands", "kiwi", "5.0", Party.client("127.0.0.1:1")));
        ex.onEvent(learned(1_500, "Holiday", "kiwi", "5.0", Party.peer("Goloman")));
        clock.at(10_000);
        ex.linkAction("cut", link, "");
        clock.at(20_000);
        ex.linkAction("restore", link, "");
        ex.onEvent(new HerdEvent.LinkUp(at(21_000), "Holiday", "Welsh", "127.0.0.1:1"));
        ex.onEvent(new HerdEvent.LinkUp(at(21_100), "Welsh", "Holiday", "127.0.0.1:2")); // the link is up: both ends
        ex.onEvent(learned(23_500, "Welsh", "kiwi", "5.0", Party.peer("Holiday"))); // caused: 2.4 ms after
        ex.onEvent(learned(24_000, "Goloman", "lemon", "6.0", Party.client("127.0.0.1:3"))); // a new report: not caused
        clock.at(24_000);
        assertEquals(List.of(), ex.settledHeals(), "not settled while learns may still come");
        assertTrue(ex.healing());
        clock.at(23_500 + HealWatch.QUIET_MICROS);
        List<HealWatch.Heal> heals = ex.settledHeals();
        assertEquals(1, heals.size());
        assertEquals("Holiday-Welsh healed: Welsh up to date 2.4 ms after the link came up", heals.get(0).describe());
        assertEquals(LearnTimes.micros(at(21_100)), heals.get(0).upMicros());
        assertTrue(!ex.healing());
    }

    @Test
    void aLinksStateChangesFollowBothEndsAndTheOperator() {
        TestClock clock = new TestClock();
        Experiment ex = new Experiment(clock, 100);
        Link link = Link.between("Holiday", "Welsh");
        ex.onEvent(new HerdEvent.LinkUp(at(10), "Welsh", "Holiday", "a"));
        ex.onEvent(new HerdEvent.LinkUp(at(20), "Holiday", "Welsh", "b"));
        clock.at(30);
        ex.linkAction("cut", link, "");
        ex.onEvent(new HerdEvent.LinkDown(at(40), "Welsh", "Holiday", "link cut by operator"));
        ex.onEvent(new HerdEvent.LinkDown(at(41), "Holiday", "Welsh", "link cut by operator"));
        clock.at(50);
        ex.linkAction("restore", link, "");
        ex.onEvent(new HerdEvent.LinkUp(at(60), "Holiday", "Welsh", "c"));
        ex.onEvent(new HerdEvent.LinkUp(at(61), "Welsh", "Holiday", "d"));
        ex.onEvent(new HerdEvent.LinkDown(at(70), "Welsh", "Holiday", "closed by remote"));
        assertEquals(List.of("up@20", "cut@30", "restoring@50", "up@61", "down@70"), ex.links().changes().stream()
                .map(c -> c.state() + "@" + (c.atMicros() - LearnTimes.micros(T0))).toList());
        assertEquals("Holiday-Welsh", ex.links().changes().get(0).linkName());
        assertEquals(List.of("cut", "restore"), ex.timeline().actions().stream().map(Timeline.Action::action).toList());
    }

    @Test
    void propagationTimesArePerSecondPercentilesOfTheLearnsAfterTheFirst() {
        Experiment ex = new Experiment(new TestClock(), 1000);
        for (int i = 0; i < 100; i++) {
            ex.onEvent(learned(i * 100, "Welsh", "c" + i, "1", Party.client("x")));
            ex.onEvent(learned(i * 100 + 1000 + (i == 99 ? 50_000 : 0), "Holiday", "c" + i, "1", Party.peer("Welsh")));
        }
        List<PropagationSeries.Second> s = ex.series().lastSeconds(T0.getEpochSecond(), 5);
        assertEquals(1, s.size());
        assertEquals(100, s.get(0).count(), "the first learns are not propagation");
        assertEquals(51_000, s.get(0).max());
        assertTrue(s.get(0).p50() >= 1000 && s.get(0).p50() <= 1449, "p50 " + s.get(0).p50());
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenTheyMustBe() throws Exception {
        StringWriter out = new StringWriter();
        ExperimentExport.row(out, "plain", "a,b", "say \"hi\"", "two\nlines", "");
        assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n", out.toString());
        assertEquals("2026-05-20T10:00:00.000007Z", ExperimentExport.time(LearnTimes.micros(T0) + 7));
    }
}
