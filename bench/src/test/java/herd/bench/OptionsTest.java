package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void parsesValuesAndFlags() {
        Options o = Options.parse(new String[] {"compare", "--runs", "5", "--smoke", "--table-clients", "200000"});
        assertEquals("compare", o.scenario());
        assertEquals(5, o.intValue("runs", 3));
        assertEquals(200_000, o.intValue("table-clients", 1_000_000));
        assertTrue(o.has("smoke"));
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
