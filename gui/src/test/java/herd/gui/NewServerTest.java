package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import herd.engine.config.ServerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewServerTest {

    private static final HerdConfig HERD = HerdConfig.defaults();
    private static final List<ServerSpec> LISTENING = HERD.servers();
    private static final List<String> WELSH = List.of("Welsh");

    private static String problem(String name, String port, List<String> neighbours) {
        return NewServer.problem(HERD, LISTENING, name, port, neighbours);
    }

    @Test
    void aNameIsNeededWithoutSpacesAndNotTaken() {
        assertEquals("give it a name", problem("", "0", WELSH));
        assertEquals("no spaces in a name", problem("Hilo 2", "0", WELSH));
        assertEquals("no spaces in a name", problem(" Hilo", "0", WELSH));
        assertEquals("a name is letters, digits, '_', '.' or '-', as in a config file", problem("Hilo/2", "0", WELSH));
        assertEquals("Welsh is taken: the herd has a server by that name", problem("Welsh", "0", WELSH));
        assertNull(problem("Hilo_2.b-c", "0", WELSH));
    }

    @Test
    void thePortIsZeroOrAFreeOne() {
        String range = "the port is a number from 0 to 65535 (0: any free port)";
        assertEquals(range, problem("Hilo", "", WELSH));
        assertEquals(range, problem("Hilo", "65536", WELSH));
        assertEquals(range, problem("Hilo", "-1", WELSH));
        assertEquals(range, problem("Hilo", "12o15", WELSH));
        assertEquals("port 12011 is Hands's", problem("Hilo", "12011", WELSH));
        assertNull(problem("Hilo", " 12015 ", WELSH));
        assertNull(problem("Hilo", "0", WELSH));
    }

    @Test
    void itLinksWithAtLeastOneServer() {
        assertEquals("link it with at least one server", problem("Hilo", "0", List.of()));
    }

    @Test
    void whatTheEngineRefusesIsSaidInItsWords() {
        String longName = "H".repeat(70_000); // its AT lines would exceed maxLineBytes
        String problem = problem(longName, "0", WELSH);
        assertTrue(problem != null && problem.startsWith("an AT line of server " + longName + " can be "), problem);
    }

    @Test
    void theNewServerListensOnTheHostItsHerdSharesAndLinksAsAsked() throws Exception {
        HerdConfig next = new NewServer("Hilo", 0, List.of("Welsh", "Goloman")).addTo(HERD);
        assertEquals(new ServerSpec("Hilo", "127.0.0.1", 0), next.server("Hilo").orElseThrow());
        assertTrue(next.links().containsAll(List.of(Link.between("Hilo", "Welsh"), Link.between("Goloman", "Hilo"))));
        assertEquals(HERD.links().size() + 2, next.links().size());
        HerdConfig elsewhere = HERD.withoutServer("Hands").withServer(new ServerSpec("Hands", "b.example", 12011), WELSH);
        assertEquals("127.0.0.1", NewServer.host(elsewhere), "servers on different hosts: loopback");
        HerdConfig allOnOne = HerdConfig.parse("{\"servers\": {\"A\": {\"host\": \"a.example\", \"port\": 1}}}", "t");
        assertEquals("a.example", NewServer.host(allOnOne));
    }
}
