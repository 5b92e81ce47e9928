package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static Map<String, Long> bytes(long each, String... servers) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String s : servers) {
            m.put(s, each);
        }
        return m;
    }

    @Test
    void allocationIsPerIamatAnsweredAtTheHubAndOverTheHerd() {
        HerdRun run = new HerdRun("java", 1);
        Comparison.allocation(run, new AllocationRecordings.Result(
                bytes(6_000_000, "Goloman", "Hands", "Holiday", "Welsh", "Wilkes"), 5, List.of()), 1000, 5);
        assertEquals(6000, run.values.get(Metric.ONE_ALLOC_HUB));
        assertEquals(30_000, run.values.get(Metric.ONE_ALLOC_HERD));
    }

    @Test
    void aServerWhoseRecordingFailedLeavesAWholeHerdFigureOutAndANote() {
        HerdRun run = new HerdRun("java", 1);
        Comparison.allocation(run, new AllocationRecordings.Result(bytes(6_000_000, "Goloman", "Hands"), 5,
                List.of("allocation at Welsh not measured: JFR.start answered nothing")), 1000, 5);
        assertEquals(6000, run.values.get(Metric.ONE_ALLOC_HUB));
        assertFalse(run.values.containsKey(Metric.ONE_ALLOC_HERD));
        assertTrue(run.notes.contains("allocation at Welsh not measured: JFR.start answered nothing"), run.notes.toString());
    }

    @Test
    void aOneProcessHerdHasNoHubFigureOfItsOwn() {
        HerdRun run = new HerdRun("java", 1);
        Comparison.allocation(run, new AllocationRecordings.Result(bytes(9_000_000, "Goloman"), 1, List.of()), 1000, 5);
        assertFalse(run.values.containsKey(Metric.ONE_ALLOC_HUB));
        assertEquals(9000, run.values.get(Metric.ONE_ALLOC_HERD));
    }
}
