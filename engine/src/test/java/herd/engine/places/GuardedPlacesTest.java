package herd.engine.places;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.PlacesStats;
import herd.engine.protocol.Coordinates;
import herd.engine.testing.StandInGoogle;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache, coalescing and rate limit in front of the real legacy provider, talking to a
 * real HTTP stand-in; time is a counter the test moves.
 */
class GuardedPlacesTest {

    StandInGoogle google;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void start() throws Exception {
        google = new StandInGoogle();
    }

    @AfterEach
    void stop() {
        google.close();
    }

    private GuardedPlaces guard(int ttlMs, int entries, int perSecond) {
        return new GuardedPlaces(new GoogleLegacyPlaces(google.url(), StandInGoogle.KEY, 2000), ttlMs, entries, perSecond,
                nanos::get);
    }

    private static PlacesQuery q(String location, String meters, int bound) {
        return new PlacesQuery(Coordinates.parse(location).orElseThrow(), new BigDecimal(meters), bound);
    }

    @Test
    void identicalQueryWithinTheTtlIsServedFromTheCache() throws Exception {
        GuardedPlaces g = guard(60_000, 100, 10);
        ObjectNode first = g.nearby(q("+34.068930-118.445127", "10000", 3)).get();
        ObjectNode second = g.nearby(q("+34.068930-118.445127", "10000", 20)).get();
        assertSame(first, second, "the bound does not take part: one answer serves every bound");
        // about 2 m away, in the same 0.0001-degree cell (a cell edge can split two near points)
        ObjectNode near = g.nearby(q("+34.06891-118.44513", "10000", 5)).get();
        assertSame(first, near);
        assertEquals(1, google.requests.size());
        assertEquals(new PlacesStats(1, 2, 0, 0, 0), g.stats());
    }

    @Test
    void anotherRadiusOrAPlaceFartherThanTenMetresIsAnotherCall() throws Exception {
        GuardedPlaces g = guard(60_000, 100, 10);
        g.nearby(q("+34.068930-118.445127", "10000", 3)).get();
        g.nearby(q("+34.068930-118.445127", "5000", 3)).get();
        g.nearby(q("+34.069100-118.445127", "10000", 3)).get(); // about 19 m north
        assertEquals(3, google.requests.size());
    }

    @Test
    void entriesExpireAfterTheTtl() throws Exception {
        GuardedPlaces g = guard(60_000, 100, 10);
        g.nearby(q("+1+1", "100", 1)).get();
        nanos.addAndGet(59_999_000_000L);
        g.nearby(q("+1+1", "100", 1)).get();
        assertEquals(1, google.requests.size());
        nanos.addAndGet(2_000_000L);
        g.nearby(q("+1+1", "100", 1)).get();
        assertEquals(2, google.requests.size());
    }

    @Test
    void cacheIsBoundedLeastRecentlyUsedFirst() throws Exception {
        GuardedPlaces g = guard(60_000, 2, 100);
        g.nearby(q("+1+1", "100", 1)).get();
        g.nearby(q("+2+2", "100", 1)).get();
        g.nearby(q("+1+1", "100", 1)).get();   // +1+1 is now the most recently used
        g.nearby(q("+3+3", "100", 1)).get();   // evicts +2+2
        g.nearby(q("+1+1", "100", 1)).get();   // still cached
        assertEquals(3, google.requests.size());
        g.nearby(q("+2+2", "100", 1)).get();
        assertEquals(4, google.requests.size());
    }

    @Test
    void concurrentIdenticalQueriesShareOneUpstreamCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        google.answer("9,9", new StandInGoogle.Answer(200, StandInGoogle.body(3), release));
        GuardedPlaces g = guard(60_000, 100, 10);
        CompletableFuture<ObjectNode> a = g.nearby(q("+9+9", "100", 1));
        CompletableFuture<ObjectNode> b = g.nearby(q("+9+9", "100", 20));
        CompletableFuture<ObjectNode> c = g.nearby(q("+9+9", "100", 2));
        assertFalse(a.isDone() || b.isDone() || c.isDone(), "all wait on the slow upstream");
        release.countDown();
        assertSame(a.get(), b.get());
        assertSame(a.get(), c.get());
        assertEquals(1, google.requests.size());
        assertEquals(new PlacesStats(1, 0, 2, 0, 0), g.stats());
    }

    @Test
    void overTheRateLimitAnswersOverQueryLimitWithoutCallingGoogle() throws Exception {
        GuardedPlaces g = guard(60_000, 100, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals("OK", g.nearby(q("+10+" + i, "100", 1)).get().get("status").asText());
        }
        ObjectNode refused = g.nearby(q("+11+11", "100", 1)).get();
        assertEquals("OVER_QUERY_LIMIT", refused.get("status").asText());
        assertEquals("this server's limit of 10 Places calls per second was reached", refused.get("error_message").asText());
        assertEquals(10, google.requests.size());
        assertEquals("OK", g.nearby(q("+10+3", "100", 1)).get().get("status").asText(), "cache hits are not limited");
        nanos.addAndGet(100_000_000L); // a tenth of a second refills one call
        assertEquals("OK", g.nearby(q("+11+11", "100", 1)).get().get("status").asText());
        assertEquals(new PlacesStats(11, 1, 0, 1, 0), g.stats());
    }

    @Test
    void errorsAreCountedAndNotCached() throws Exception {
        google.answer("12,12", new StandInGoogle.Answer(500, "no", null));
        GuardedPlaces g = guard(60_000, 100, 10);
        assertEquals("UNKNOWN_ERROR", g.nearby(q("+12+12", "100", 1)).get().get("status").asText());
        assertEquals("UNKNOWN_ERROR", g.nearby(q("+12+12", "100", 1)).get().get("status").asText());
        assertEquals(2, google.requests.size());
        assertEquals(new PlacesStats(2, 0, 0, 0, 2), g.stats());
    }

    @Test
    void zeroTtlTurnsTheCacheOff() throws Exception {
        GuardedPlaces g = guard(0, 100, 10);
        g.nearby(q("+1+1", "100", 1)).get();
        g.nearby(q("+1+1", "100", 1)).get();
        assertEquals(2, google.requests.size());
        assertTrue(g.describe().startsWith("google (legacy"));
    }
}
