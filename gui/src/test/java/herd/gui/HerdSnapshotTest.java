package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.LinkState;
import herd.engine.ServerStats;
import herd.engine.config.Link;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HerdSnapshotTest {

    private static HerdSnapshot.ServerSnapshot up(String name, Map<String, LinkState> links) {
        return new HerdSnapshot.ServerSnapshot(name, true, links, Set.of(), new ServerStats(0, 0, 0, 0, 0, 0, 0), List.of());
    }

    @Test
    void onlyLinksBetweenTwoServersOfThePollAreDrawn() {
        // the config already names Hilo (being added) while the herd does not run it yet
        Map<String, HerdSnapshot.ServerSnapshot> servers = new LinkedHashMap<>();
        servers.put("Holiday", up("Holiday", Map.of("Welsh", LinkState.UP, "Hilo", LinkState.DIALING)));
        servers.put("Welsh", up("Welsh", Map.of("Holiday", LinkState.UP)));
        HerdSnapshot s = HerdSnapshot.of(servers, List.of(Link.between("Holiday", "Welsh"), Link.between("Hilo", "Holiday")));
        assertEquals(List.of(Link.between("Holiday", "Welsh")), s.links());
        assertEquals(List.of("Holiday", "Welsh"), s.serverNames());
        assertEquals(List.of("Holiday", "Welsh"), s.convergence().servers());
        assertEquals(EdgeState.CONNECTED, s.edge(Link.between("Holiday", "Welsh")));
    }

    private static HerdSnapshot.ServerSnapshot server(String name, boolean up, Map<String, LinkState> links,
                                                      Set<String> cut, List<herd.engine.LocationReport> table) {
        return new HerdSnapshot.ServerSnapshot(name, up, links, cut, new ServerStats(0, 0, 0, 0, 0, 0, 0), table);
    }

    /** The case: Wilkes down and Goloman-Hands cut leave Hands an island. */
    private static HerdSnapshot split(List<herd.engine.LocationReport> table) {
        Map<String, HerdSnapshot.ServerSnapshot> servers = new LinkedHashMap<>();
        servers.put("Goloman", server("Goloman", true, Map.of("Hands", LinkState.CUT, "Holiday", LinkState.UP,
                "Wilkes", LinkState.WAITING), Set.of("Hands"), table));
        servers.put("Hands", server("Hands", true, Map.of("Goloman", LinkState.CUT, "Wilkes", LinkState.WAITING),
                Set.of("Goloman"), table));
        servers.put("Holiday", server("Holiday", true, Map.of("Goloman", LinkState.UP, "Welsh", LinkState.UP,
                "Wilkes", LinkState.WAITING), Set.of(), table));
        servers.put("Welsh", server("Welsh", true, Map.of("Holiday", LinkState.UP), Set.of(), table));
        servers.put("Wilkes", server("Wilkes", false, Map.of(), Set.of(), List.of()));
        return HerdSnapshot.of(servers, herd.engine.config.HerdConfig.defaults().links());
    }

    @Test
    void aPartitionedHerdIsNamedAsSuchAndNeverCalledConverged() {
        herd.engine.LocationReport kiwi = new herd.engine.LocationReport("Welsh", "+0.1", "kiwi", "+1+1", "1.0");
        HerdSnapshot s = split(List.of(kiwi));
        assertEquals(List.of(List.of("Goloman", "Holiday", "Welsh"), List.of("Hands")), s.parts());
        Convergence c = s.convergence();
        // every running server holds the newest report, yet the herd is split
        assertEquals("1 client: 4 fresh, 0 stale, 0 none — partitioned: {Hands} | {Goloman, Holiday, Welsh}", c.summary());
        assertEquals("no clients yet — partitioned: {Hands} | {Goloman, Holiday, Welsh}", split(List.of()).convergence().summary());
    }

    @Test
    void aHerdWhoseRunningServersAllReachEachOtherIsOnePart() {
        herd.engine.LocationReport kiwi = new herd.engine.LocationReport("Welsh", "+0.1", "kiwi", "+1+1", "1.0");
        Map<String, HerdSnapshot.ServerSnapshot> servers = new LinkedHashMap<>();
        servers.put("Holiday", server("Holiday", true, Map.of("Welsh", LinkState.UP), Set.of(), List.of(kiwi)));
        servers.put("Welsh", server("Welsh", true, Map.of("Holiday", LinkState.UP), Set.of(), List.of(kiwi)));
        servers.put("Wilkes", server("Wilkes", false, Map.of(), Set.of(), List.of()));
        HerdSnapshot s = HerdSnapshot.of(servers, List.of(Link.between("Holiday", "Welsh"), Link.between("Holiday", "Wilkes")));
        assertEquals(List.of(List.of("Holiday", "Welsh")), s.parts(), "a server that is down is in no part");
        assertEquals("1 client: 2 fresh, 0 stale, 0 none — converged: every running server holds every newest report",
                s.convergence().summary());
    }
}
