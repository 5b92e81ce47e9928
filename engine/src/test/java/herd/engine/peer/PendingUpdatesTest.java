package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.protocol.ClientTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A link's coalescing queue: one update per client, newest wins, order of clients kept, bounded. */
class PendingUpdatesTest {

    final PendingUpdates pending = new PendingUpdates();

    private void put(String client, String time) {
        byte[] line = ("AT Welsh +0.000000001 " + client + " +1+1 " + time).getBytes(StandardCharsets.UTF_8);
        pending.put(client, ClientTime.parse(time), line);
    }

    /** Each drained line as {@code client@time}. */
    private static String shortly(byte[] line) {
        String[] f = new String(line, StandardCharsets.UTF_8).split(" ");
        return f[3] + "@" + f[5];
    }

    private List<String> drainAll() {
        List<String> out = new ArrayList<>();
        pending.drain(Long.MAX_VALUE, line -> out.add(shortly(line)));
        return out;
    }

    @Test
    void aNewerUpdateReplacesTheOlderOneWaitingAndKeepsItsPlace() {
        put("a", "1");
        put("b", "1");
        put("a", "2");
        assertEquals(2, pending.size());
        assertEquals(List.of("a@2", "b@1"), drainAll());
        assertTrue(pending.isEmpty());
        assertEquals(0, pending.bytes());
    }

    @Test
    void anOlderOrEqualUpdateNeverReplacesANewerOne() {
        put("a", "2.5");
        put("a", "2.4999999999999");
        put("a", "2.50");
        assertEquals(List.of("a@2.5"), drainAll());
    }

    @Test
    void theBacklogIsBoundedByClientsNotByUpdates() {
        for (int t = 1; t <= 1000; t++) {
            for (int c = 0; c < 10; c++) {
                put("client-" + c, Integer.toString(t));
            }
        }
        assertEquals(10, pending.size());
        List<String> out = drainAll();
        assertEquals(10, out.size());
        assertEquals("client-0@1000", out.get(0));
        assertEquals("client-9@1000", out.get(9));
    }

    @Test
    void drainStopsAtAboutTheBytesAllowedButAlwaysSendsOne() {
        for (int c = 0; c < 100; c++) {
            put(String.format("client-%03d", c), "1");
        }
        long each = pending.bytes() / 100;
        List<String> out = new ArrayList<>();
        assertEquals(1, pending.drain(0, line -> out.add(shortly(line))));
        assertEquals(10, pending.drain(10 * each, line -> out.add(shortly(line))));
        assertEquals(List.of("client-000@1", "client-001@1", "client-002@1"), out.subList(0, 3), "oldest client first");
        assertEquals(89 * each, pending.bytes());
    }
}
