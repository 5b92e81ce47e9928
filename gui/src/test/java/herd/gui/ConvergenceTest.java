package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.LocationReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceTest {

    private static final List<String> SERVERS = List.of("Goloman", "Hands", "Welsh");

    private static LocationReport report(String client, String time) {
        return new LocationReport("Welsh", "+0.000000001", client, "+1+1", time);
    }

    @Test
    void eachCellSaysWhetherTheServerHoldsTheNewestReport() {
        Map<String, List<LocationReport>> tables = new LinkedHashMap<>();
        tables.put("Goloman", List.of(report("kiwi", "10"), report("lime", "1")));
        tables.put("Hands", List.of(report("kiwi", "9.5")));
        // Welsh is down: absent from the tables
        Convergence c = Convergence.of(SERVERS, tables);
        assertEquals(2, c.rows().size());
        Convergence.Row kiwi = c.rows().get(0);
        assertEquals("kiwi", kiwi.clientId());
        assertEquals("10", kiwi.newest().clientTime());
        assertEquals(List.of(Holding.FRESH, Holding.STALE, Holding.DOWN), kiwi.holdings());
        assertEquals(List.of(Holding.FRESH, Holding.NONE, Holding.DOWN), c.rows().get(1).holdings());
        assertEquals(2, c.count(Holding.FRESH));
        assertEquals(1, c.count(Holding.NONE));
    }

    @Test
    void equalTimesWrittenDifferentlyAreBothFresh() {
        Convergence c = Convergence.of(SERVERS, Map.of("Goloman", List.of(report("kiwi", "5.0")),
                "Hands", List.of(report("kiwi", "5")), "Welsh", List.of(report("kiwi", "4.999999999"))));
        assertEquals(List.of(Holding.FRESH, Holding.FRESH, Holding.STALE), c.rows().get(0).holdings());
    }

    @Test
    void rowsAreSortedByClientAndOnlyKnownClientsHaveOne() {
        Convergence c = Convergence.of(SERVERS, Map.of("Hands", List.of(report("b", "1"), report("a", "1"))));
        assertEquals(List.of("a", "b"), c.rows().stream().map(Convergence.Row::clientId).toList());
        assertEquals(0, Convergence.of(SERVERS, Map.of()).rows().size());
    }
}
