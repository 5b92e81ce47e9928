package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The headless link-kill runner on a real in-process herd: its rounds, its heals and its folder. */
class LinkKillExperimentTest {

    @TempDir
    Path temp;

    @Test
    void oneRoundCutsRestoresTakesHolidayDownAndUpAndExportsTheFolder() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path out = temp.resolve("out");
        ExperimentExport.Summary summary = LinkKillExperiment.runIn(TestHerd.config(temp.resolve("logs")), 1, out,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String said = printed.toString(StandardCharsets.UTF_8);
        assertTrue(said.matches("(?s).*Holiday-Welsh healed: .* up to date \\S+ m?s after the link came up.*"), said);
        assertTrue(said.matches("(?s).*Holiday back: .*Holiday.* up to date \\S+ m?s after its first link came up.*"), said);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(Set.copyOf(ExperimentExport.FILES),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        List<String> actions = Files.readAllLines(out.resolve("actions.csv")).stream().skip(1)
                .map(r -> r.split(",")[2] + " " + r.split(",")[3]).toList();
        assertEquals(List.of("send Welsh", "cut Holiday-Welsh", "send Hands", "send Welsh", "restore Holiday-Welsh",
                "down Holiday", "send Welsh", "send Goloman", "up Holiday"), actions);
        long learnedRows = Files.readAllLines(out.resolve("learned.csv")).size() - 1;
        long learnedLines = Files.readAllLines(out.resolve("herd.log")).stream().filter(l -> l.split(" ")[2].equals("LEARNED"))
                .count();
        assertEquals(learnedLines, learnedRows, "a row per LEARNED line of the merged log");
        assertEquals(summary.learns(), learnedRows);
        assertTrue(Files.readAllLines(out.resolve("links.csv")).stream().anyMatch(r -> r.contains(",Holiday-Welsh,cut,")));
    }

    @Test
    void withoutAFolderItSaysHowToRunIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LinkKillExperiment.run(new String[] {"--rounds", "2"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("link-kill: say where to write the results: --out DIR"));
    }
}
