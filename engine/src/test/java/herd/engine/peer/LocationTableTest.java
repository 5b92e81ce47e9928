package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.LocationReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Newest wins, by the exact client time. */
class LocationTableTest {

    final LocationTable table = new LocationTable();

    private static LocationReport at(String client, String time) {
        return new LocationReport("Hands", "+0.000000000", client, "+0+0", time);
    }

    @Test
    void theFirstReportOfAClientIsStored() {
        assertTrue(table.offer(at("a", "5")));
        assertEquals("5", table.get("a").orElseThrow().clientTime());
        assertEquals(1, table.size());
    }

    @Test
    void onlyAStrictlyNewerTimeReplacesTheStoredReport() {
        table.offer(at("a", "5.0"));
        assertFalse(table.offer(at("a", "5")), "equal value, other text");
        assertFalse(table.offer(at("a", "4.999999999999999999999")));
        assertTrue(table.offer(at("a", "5.000000000000000000001")), "beyond nine fraction digits");
        assertTrue(table.offer(at("a", "99999999999999999999999")), "far beyond a long");
        assertEquals("99999999999999999999999", table.get("a").orElseThrow().clientTime());
    }

    @Test
    void clientsAreIndependentAndClearForgetsThemAll() {
        table.offer(at("a", "2"));
        table.offer(at("b", "1"));
        assertEquals(2, table.snapshot().size());
        assertEquals(List.of("1"), table.snapshot().stream().filter(r -> r.clientId().equals("b"))
                .map(LocationReport::clientTime).toList());
        table.clear();
        assertTrue(table.get("a").isEmpty());
        assertEquals(0, table.size());
    }
}
