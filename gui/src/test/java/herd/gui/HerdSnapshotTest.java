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
}
