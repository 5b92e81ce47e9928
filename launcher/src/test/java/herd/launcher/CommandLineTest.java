package herd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void nameWithConfig() {
        assertEquals(new CommandLine(CommandLine.Mode.SERVER, "Welsh", "h.json", null),
                CommandLine.parse(new String[] {"Welsh", "--config", "h.json"}));
        assertEquals(new CommandLine(CommandLine.Mode.SERVER, "Welsh", "h.json", null),
                CommandLine.parse(new String[] {"--config", "h.json", "Welsh"}));
    }

    @Test
    void herdGuiHelp() {
        assertEquals(CommandLine.Mode.HERD, CommandLine.parse(new String[] {"--herd"}).mode());
        assertEquals(CommandLine.Mode.GUI, CommandLine.parse(new String[] {"--gui", "--config", "x"}).mode());
        assertEquals(CommandLine.Mode.HELP, CommandLine.parse(new String[] {"Welsh", "--help"}).mode());
    }

    @Test
    void refusesWhatItCannotMeanWithAMessage() {
        assertEquals("say which server to run (a NAME), or --herd, or --gui",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {})).getMessage());
        assertEquals("--config needs a file name",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--herd", "--config"}))
                        .getMessage());
        assertEquals("unknown option --verbose",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--verbose"})).getMessage());
        assertEquals("only one of NAME, --herd, --gui may be given (extra: Hands)",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"Welsh", "Hands"}))
                        .getMessage());
    }

    @Test
    void metricsPortForOneServer() {
        assertEquals(new CommandLine(CommandLine.Mode.SERVER, "Welsh", null, 9113),
                CommandLine.parse(new String[] {"Welsh", "--metrics-port", "9113"}));
        assertEquals(new CommandLine(CommandLine.Mode.SERVER, "Welsh", "h.json", 0),
                CommandLine.parse(new String[] {"--metrics-port", "0", "--config", "h.json", "Welsh"}));
    }

    @Test
    void metricsPortIsRefusedWithTheHerdAndTheMonitorAndWhenItIsNoPort() {
        assertEquals("--metrics-port is for one server (NAME --metrics-port N); with --herd, give each server"
                        + " \"metrics\": {\"port\": N} in the config",
                assertThrows(IllegalArgumentException.class,
                        () -> CommandLine.parse(new String[] {"--metrics-port", "9113", "--herd"})).getMessage());
        assertEquals("--metrics-port is for one server (NAME --metrics-port N); with --gui, give each server"
                        + " \"metrics\": {\"port\": N} in the config",
                assertThrows(IllegalArgumentException.class,
                        () -> CommandLine.parse(new String[] {"--gui", "--metrics-port", "9113"})).getMessage());
        for (String bad : new String[] {"65536", "-1", "", "91a3", "+80", "123456", "0x50"}) {
            assertEquals("--metrics-port needs a port number from 0 to 65535, got \"" + bad + "\"",
                    assertThrows(IllegalArgumentException.class,
                            () -> CommandLine.parse(new String[] {"Welsh", "--metrics-port", bad})).getMessage());
        }
        assertEquals("--metrics-port needs a port number",
                assertThrows(IllegalArgumentException.class,
                        () -> CommandLine.parse(new String[] {"Welsh", "--metrics-port"})).getMessage());
        assertEquals("--metrics-port given twice",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(
                        new String[] {"Welsh", "--metrics-port", "1", "--metrics-port", "2"})).getMessage());
    }
}
