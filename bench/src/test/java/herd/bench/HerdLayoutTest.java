package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HerdLayoutTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatTheBenchmarksWriteWithDefaultLinks() {
        Path f = BenchConfig.write(dir.resolve("h.json"), Map.of("Welsh", 4001, "Holiday", 4002), true, "google",
                "http://127.0.0.1:9/x", "K", 0, dir.resolve("logs"));
        HerdLayout herd = HerdLayout.read(f);
        assertEquals(Set.of("Welsh", "Holiday"), Set.copyOf(herd.names()));
        assertEquals(4001, herd.address("Welsh").getPort());
        assertEquals(Set.of("Holiday"), herd.neighbours("Welsh"));
        assertEquals(List.of(List.of("Holiday", "Welsh")), herd.links());
    }

    @Test
    void refusesAServerOffThisMachine() throws Exception {
        Path f = dir.resolve("far.json");
        Files.writeString(f, "{\"servers\": {\"Welsh\": {\"host\": \"192.0.2.1\", \"port\": 1}}}");
        BenchException e = assertThrows(BenchException.class, () -> HerdLayout.read(f));
        assertEquals(true, e.getMessage().contains("not a loopback address"));
    }

    @Test
    void missingLinksMeanTheDefaultOnes() throws Exception {
        Path f = dir.resolve("d.json");
        Files.writeString(f, "{\"servers\": {\"Goloman\": {\"port\": 5000}, \"Hands\": {}}}");
        HerdLayout herd = HerdLayout.read(f);
        assertEquals(12011, herd.address("Hands").getPort());
        assertEquals(Set.of("Hands"), herd.neighbours("Goloman"));
    }
}
