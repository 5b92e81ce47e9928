package herd.gui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.LogSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A server's log tab across rotations of its file: the herd here rotates at 64 KiB (the
 * smallest a config file allows) and keeps three files, and Welsh logs about 250 KB.
 */
@ExtendWith(ApplicationExtension.class)
class LogTailsRotationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path logs;
    Path dir;
    TestHerd herd;
    MonitorWindow window;

    @Start
    void start(Stage stage) throws Exception {
        dir = logs.resolve("run-" + System.nanoTime());
        herd = TestHerd.start(TestHerd.config(dir).withLog(new LogSettings(LogSettings.MIN_FILE_BYTES, 3)));
        window = herd.openWindow(stage);
    }

    @AfterEach
    void stop() throws Exception {
        herd.closeWith(window);
    }

    /** The complete lines of Welsh's files, oldest file first (a line being written is left out). */
    private List<String> fileLines() throws Exception {
        List<String> out = new ArrayList<>();
        for (String name : List.of("Welsh.log.2", "Welsh.log.1", "Welsh.log")) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                String text = Files.readString(f);
                out.addAll(text.substring(0, text.lastIndexOf('\n') + 1).lines().toList());
            }
        }
        return out;
    }

    private List<String> shown() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> window.tails().tail("Welsh").shown().stream().map(TailLine::text).toList())
                .get(5, TimeUnit.SECONDS);
    }

    /**
     * The tab follows the engine's events, not the file, so renames and new files do not
     * stop it: after several rotations it still shows the newest lines, exactly those the
     * files end with, and still shows the older ones whose file rotation has deleted.
     */
    @Test
    void theLogTabGoesOnAcrossRotationsWithTheSameLinesAsTheFiles() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 500; i++) { // IN, OUT, LEARNED and PEER_OUT to Holiday: about 250 KB at Welsh
            lines.append("IAMAT rotation-probe-").append(i).append(" +34.068930-118.445127 ").append(i).append('\n');
        }
        assertEquals(500, herd.send("Welsh", lines.toString()).lines().count());
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> files = fileLines();
            List<String> tab = shown();
            assertTrue(tab.stream().anyMatch(l -> l.contains(" LEARNED ") && l.contains(" rotation-probe-500 ")),
                    "the tab has the last report");
            assertTrue(tab.size() >= files.size(), tab.size() + " lines in the tab, " + files.size() + " in the files");
            assertEquals(files, tab.subList(tab.size() - files.size(), tab.size()), "the tab ends with the files' lines");
        });
        assertTrue(Files.exists(dir.resolve("Welsh.log.2")), "rotated more than once");
        assertFalse(Files.exists(dir.resolve("Welsh.log.3")), "three files kept");
        List<String> tab = shown();
        assertTrue(tab.get(0).contains(" INFO - config "), "the tab still starts at the server's first line: " + tab.get(0));
        assertTrue(fileLines().stream().noneMatch(l -> l.contains(" INFO - config ")), "which rotation has deleted from the files");
    }
}
