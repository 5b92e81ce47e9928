package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void parsesValuesAndFlags() {
        Options o = Options.parse(new String[] {"compare", "--runs", "5", "--smoke", "--table-clients", "200000",
            "--burst", "0"});
        assertEquals("compare", o.scenario());
        assertEquals(5, o.intValue("runs", 3));
        assertEquals(200_000, o.intValue("table-clients", 1_000_000));
        assertTrue(o.has("smoke"));
        assertEquals(0, o.intValue("burst", 15_000));
    }

    @Test
    void theBurstScenarioRunsAgainstARunningHerdAndCompareDocumentsItsFlag() {
        Options o = Options.parse(new String[] {"burst", "--config", "herd.json", "--connections", "300"});
        assertEquals("burst", o.scenario());
        assertEquals(300, o.intValue("connections", 15_000));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"burst"}));
        assertTrue(Main.USAGE.contains("--burst N (15000; 0 skips scenario 7"), Main.USAGE);
        assertTrue(Main.USAGE.contains("  burst "), Main.USAGE);
    }

    @Test
    void aNegativeBurstIsRefused() {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        assertEquals(3, Main.run(new String[] {"compare", "--burst", "-1", "--launcher", "pom.xml", "--asyncio", "pom.xml",
                        "--node", "pom.xml"},
                new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertTrue(err.toString().contains("--burst must be 0 (skip scenario 7) or more, not -1"), err.toString());
    }

    @Test
    void theNodeHerdIsAContenderUnlessLeftOut() {
        Options o = Options.parse(new String[] {"compare", "--node", "n.js", "--node-exe", "/opt/node", "--no-node"});
        assertEquals("n.js", o.get("node", ""));
        assertEquals("/opt/node", o.get("node-exe", ""));
        assertTrue(o.has("no-node"));
        assertTrue(Main.USAGE.contains("--node FILE (bench/node-herd/server.js)  --node-exe EXE (/usr/bin/node)"), Main.USAGE);
        var err = new java.io.ByteArrayOutputStream();
        assertEquals(3, Main.run(new String[] {"compare", "--launcher", "pom.xml", "--asyncio", "pom.xml", "--node", "pom.xml",
                "--node-exe", "/nonexistent/node"}, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err)));
        assertTrue(err.toString().contains("/nonexistent/node not found: install Node.js (Debian: apt-get install nodejs), "
                + "pass --node-exe EXE, or leave the Node.js herd out with --no-node"), err.toString());
    }

    @Test
    void refusesUnknownScenariosOptionsAndAScenarioWithoutAHerd() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"nope"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"compare", "--nope"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"compare", "--runs"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"roundtrip"}));
    }

    @Test
    void usageErrorsExitTwo() {
        var out = new java.io.ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"nope"}, new java.io.PrintStream(out), new java.io.PrintStream(out)));
        assertEquals(0, Main.run(new String[] {"--help"}, new java.io.PrintStream(out), new java.io.PrintStream(out)));
    }
}
