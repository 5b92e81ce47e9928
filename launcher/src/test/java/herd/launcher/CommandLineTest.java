package herd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void nameWithConfig() {
        assertEquals(new CommandLine(CommandLine.Mode.SERVER, "Welsh", "h.json"),
                CommandLine.parse(new String[] {"Welsh", "--config", "h.json"}));
        assertEquals(new CommandLine(CommandLine.Mode.SERVER, "Welsh", "h.json"),
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
}
