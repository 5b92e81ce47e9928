package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.HerdEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The log tabs follow the herd's servers (no herd here: events made by hand). */
@ExtendWith(ApplicationExtension.class)
class LogTailsFollowTest {

    private static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void aServerAddedHasATabFromItsFirstEventAndARemovedOneKeepsItsTabMarked() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            LogTails tails = new LogTails(List.of("Welsh"), Path.of("logs"));
            // the herd has started Hilo, whose first lines arrive before a poll shows it
            tails.append(Map.of("Hilo", List.of(new HerdEvent.Notice(T, "Hilo", false, "config x; added to a running herd"))),
                    Map.of());
            assertEquals(List.of("Welsh", "Hilo"), tails.tabTitles());
            assertEquals(1, tails.tail("Hilo").size());
            tails.follow(List.of("Welsh", "Hilo"));
            assertEquals(List.of("Welsh", "Hilo"), tails.tabTitles());
            tails.follow(List.of("Welsh"));
            assertEquals(List.of("Welsh", "Hilo (removed)"), tails.tabTitles());
            assertEquals(1, tails.tail("Hilo").size(), "its lines stay");
            tails.follow(List.of("Welsh", "Hilo", "Wilkes"));
            assertEquals(List.of("Welsh", "Hilo", "Wilkes"), tails.tabTitles(), "added again under that name: live again");
            return null;
        }).get(10, TimeUnit.SECONDS);
    }
}
