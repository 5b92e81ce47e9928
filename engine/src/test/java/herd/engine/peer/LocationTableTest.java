package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.LocationReport;
import herd.engine.protocol.ClientId;
import java.nio.charset.StandardCharsets;
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
    void aReportIsKeyedByTheBytesOfItsId() {
        assertTrue(table.offer(at("Zoë-📱", "1")));
        byte[] id = "Zoë-📱".getBytes(StandardCharsets.UTF_8);
        byte[] line = table.line(ClientId.key(id, 0, id.length));
        assertArrayEquals("AT Hands +0.000000000 Zoë-📱 +0+0 1".getBytes(StandardCharsets.UTF_8), line);
        assertEquals("Zoë-📱", table.get(ClientId.key("Zoë-📱")).orElseThrow().clientId(), "shown as its text");
        assertTrue(table.get("Zoë-📱").isEmpty(), "a key is bytes, not text");
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

    @Test
    void underConcurrentOffersTheStoredTimeNeverGoesBack() throws Exception {
        int offers = 200_000;
        List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int parity = w;
            // two I/O threads racing on one client: one offers the even times, the other the odd ones
            Thread t = new Thread(() -> {
                for (int i = 0; i < offers; i++) {
                    table.offer(at("racer", Integer.toString(2 * i + parity)));
                }
            });
            writers.add(t);
        }
        writers.forEach(Thread::start);
        long last = -1;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            var r = table.get("racer");
            if (r.isPresent()) {
                long now = Long.parseLong(r.get().clientTime());
                assertTrue(now >= last, "the stored time went back from " + last + " to " + now);
                last = now;
            }
        }
        for (Thread t : writers) {
            t.join();
        }
        assertEquals(Integer.toString(2 * offers - 1), table.get("racer").orElseThrow().clientTime());
    }
}
