package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogsTest {

    // The line the Java engine writes when its event-log queue overflowed (EventLogWriter.reportDrops).
    private static final String BEHIND =
            "2026-12-03T10:00:02.000001Z ERROR - event log fell behind: 4096 events (all servers) were not written";

    @TempDir
    Path logs;

    private void write(String server, String... lines) throws Exception {
        Files.write(logs.resolve(server + ".log"), List.of(lines));
    }

    @Test
    void fellBehindLinesAreCountedPerHerdAndOtherErrorsAreNot() throws Exception {
        write("Goloman",
                "2026-12-03T10:00:00.000000Z INFO - config herd.json; places provider: offline",
                "2026-12-03T10:00:01.000000Z ERROR client/127.0.0.1:5000 line too long",
                BEHIND,
                "2026-12-03T10:00:03.000000Z IN client/127.0.0.1:5000 IAMAT a +1+1 1");
        write("Hands",
                "2026-12-03T09:59:59.000000Z ERROR - event log fell behind: 7 events (all servers) were not written",
                BEHIND.replace("10:00:02", "10:00:04"));
        Instant since = Instant.parse("2026-12-03T10:00:00Z");

        assertEquals(2, EventLogs.fellBehind(logs, since, Instant.MAX), "two in the window; the one logged before it is left out");
        assertEquals(3, EventLogs.fellBehind(logs, Instant.EPOCH, Instant.MAX));
        assertEquals(List.of("Goloman.log: " + BEHIND), EventLogs.fellBehindSamples(logs, since, Instant.MAX, 1));

        HerdRun run = new HerdRun("java", 1);
        Comparison.fellBehind(run, "five-server herd", logs);
        assertEquals(3, run.values.get(Metric.LOG_FELL_BEHIND));
        assertTrue(run.notes.contains("five-server herd: Goloman.log: " + BEHIND), run.notes.toString());
    }

    @Test
    void peerBytesCountWhatAServerAndItsNeighboursSentEachOtherSinceAMoment() throws Exception {
        write("Holiday",
                "2026-12-03T10:00:00.000000Z PEER_OUT peer/Welsh AT old",
                "2026-12-03T10:00:02.000000Z PEER_OUT peer/Welsh HERD-DIGEST-END 1024 0 final",
                "2026-12-03T10:00:02.000000Z PEER_OUT peer/Goloman 12345",
                "2026-12-03T10:00:02.000000Z PEER_IN peer/Welsh not counted: received",
                "2026-12-03T10:00:02.000000Z OUT client/127.0.0.1:5000 not a peer");
        write("Welsh",
                "2026-12-03T10:00:02.000000Z PEER_OUT peer/Holiday 123",
                "2026-12-03T10:00:02.000000Z PEER_OUT peer/Wilkes not Holiday's link");
        write("Goloman", "2026-12-03T10:00:03.000000Z PEER_OUT peer/Holiday 1");
        long bytes = EventLogs.peerBytes(logs, "Holiday", List.of("Welsh", "Goloman"), Instant.parse("2026-12-03T10:00:01Z"));
        assertEquals("HERD-DIGEST-END 1024 0 final".length() + 1 + 6 + 4 + 2, bytes);
    }

    @Test
    void linkDropsAreCountedWithinAScenariosWindow() throws Exception {
        write("Goloman",
                "2026-12-03T10:00:00.000000Z PEER_DOWN peer/Wilkes closed by remote",
                "2026-12-03T10:00:05.000000Z PEER_DOWN peer/Hands peer Hands is not reading: more than 16777216 bytes queued",
                "2026-12-03T10:00:06.000000Z IN client/127.0.0.1:5000 IAMAT PEER_DOWN +1+1 1");
        write("Wilkes",
                "2026-12-03T10:00:05.500000Z PEER_DOWN peer/Goloman closed by remote",
                "2026-12-03T10:00:10.000000Z PEER_DOWN peer/Goloman closed by remote");
        Instant from = Instant.parse("2026-12-03T10:00:01Z");
        Instant until = Instant.parse("2026-12-03T10:00:10Z");

        assertEquals(2, EventLogs.count(logs, "PEER_DOWN", from, until), "the window is [from, until)");
        assertEquals(4, EventLogs.droppedLinks(logs, Instant.MAX, List.of()), "the whole run");
    }

    @Test
    void theLinksAPlannedRestartDropsAreNoDroppedLinksButOthersMeanwhileAre() throws Exception {
        write("Goloman",
                "2026-12-03T10:00:01.000000Z PEER_DOWN peer/Holiday peer closed the connection",
                "2026-12-03T10:00:02.000000Z PEER_DOWN peer/Hands closed by remote",
                "2026-12-03T10:00:09.000000Z PEER_DOWN peer/Holiday peer closed the connection");
        write("Holiday",
                "2026-12-03T10:00:01.000000Z PEER_DOWN peer/Welsh server shutting down",
                "2026-12-03T10:00:01.000100Z PEER_DOWN peer/Goloman server shutting down");
        write("Welsh", "2026-12-03T10:00:01.000000Z PEER_DOWN peer/Holiday peer closed the connection");
        List<EventLogs.Restart> planned = List.of(new EventLogs.Restart("Holiday",
                Instant.parse("2026-12-03T10:00:00Z"), Instant.parse("2026-12-03T10:00:05Z")));

        assertEquals(2, EventLogs.droppedLinks(logs, Instant.MAX, planned),
                "Goloman-Hands meanwhile, and Goloman-Holiday after the restart");
        assertEquals(List.of("Goloman.log: 2026-12-03T10:00:02.000000Z PEER_DOWN peer/Hands closed by remote"),
                EventLogs.droppedLinkSamples(logs, Instant.MAX, 1, planned));
        assertEquals(6, EventLogs.droppedLinks(logs, Instant.MAX, List.of()));
    }

    @Test
    void aLinkIsUpWhenBothEndsHaveLoggedItAfterTheRestart() throws Exception {
        write("Goloman",
                "2026-12-03T10:00:00.000000Z PEER_UP peer/Holiday via 127.0.0.1:5002",
                "2026-12-03T10:00:01.000000Z PEER_DOWN peer/Holiday peer closed the connection",
                "2026-12-03T10:00:04.250000Z PEER_UP peer/Holiday via 127.0.0.1:5002");
        write("Holiday",
                "2026-12-03T10:00:00.000000Z PEER_UP peer/Goloman accepted from 127.0.0.1:40000",
                "2026-12-03T10:00:04.000000Z PEER_UP peer/Goloman accepted from 127.0.0.1:40002",
                "2026-12-03T10:00:04.100000Z PEER_UP peer/Welsh via 127.0.0.1:5003");
        Instant restart = Instant.parse("2026-12-03T10:00:01Z");

        assertEquals(java.util.Optional.of(Instant.parse("2026-12-03T10:00:04.250Z")),
                EventLogs.linkUp(logs, "Holiday", "Goloman", restart), "the later end");
        assertEquals(java.util.Optional.empty(), EventLogs.linkUp(logs, "Holiday", "Welsh", restart),
                "Welsh has not logged it (yet)");
    }

    @Test
    void aHerdThatWroteEveryEventCountsZero() throws Exception {
        write("Goloman", "2026-12-03T10:00:00.000000Z INFO - config herd.json; places provider: offline",
                "2026-12-03T10:00:01.000000Z IN client/127.0.0.1:5000 IAMAT event-log-fell-behind +1+1 1");
        HerdRun run = new HerdRun("asyncio", 1);
        Comparison.fellBehind(run, "five-server herd", logs);
        Comparison.fellBehind(run, "one-server herd (offline)", logs.resolve("never-started"));
        assertEquals(0, run.values.get(Metric.LOG_FELL_BEHIND));
        assertEquals(List.of(), run.notes);
    }
}
