package herd.engine.places;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.PlacesStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One server's guard in front of its Places provider: a bounded LRU cache of answers with
 * a time to live, coalescing of identical queries in flight into one upstream call, a
 * token-bucket rate limit on upstream calls, and the counters of all three (a TTL or size
 * of 0 turns the cache off; a rate of 0 turns the limit off, as for the offline provider,
 * which costs nothing). Queries are
 * identical when their centres agree to 4 decimal places (about 10 m) and their radii are
 * equal; the WHATSAT bound is applied after the guard, so bounds share answers.
 *
 * <p>Thread-safe: bookkeeping happens under this object's lock, which is never held while
 * calling the provider.
 */
public final class GuardedPlaces implements PlacesProvider {

    private record Key(BigDecimal lat, BigDecimal lng, BigDecimal radius) {
        static Key of(PlacesQuery q) {
            return new Key(q.center().latitude().setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros(),
                    q.center().longitude().setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros(),
                    q.radiusMeters().stripTrailingZeros());
        }
    }

    private record Cached(ObjectNode answer, long expiresAtNanos) {}

    private final PlacesProvider upstream;
    private final long ttlNanos;
    private final int maxEntries;
    private final int callsPerSecond;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<Key, Cached> cache;
    private final Map<Key, CompletableFuture<ObjectNode>> inFlight = new HashMap<>();
    private double tokens;
    private long lastRefill;
    private long calls;
    private long hits;
    private long coalesced;
    private long limited;
    private long errors;

    public GuardedPlaces(PlacesProvider upstream, int ttlMs, int maxEntries, int callsPerSecond, LongSupplier nanoTime) {
        this.upstream = upstream;
        this.ttlNanos = ttlMs * 1_000_000L;
        this.maxEntries = maxEntries;
        this.callsPerSecond = callsPerSecond;
        this.nanoTime = nanoTime;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > GuardedPlaces.this.maxEntries;
            }
        };
        this.tokens = callsPerSecond;
        this.lastRefill = nanoTime.getAsLong();
    }

    @Override
    public CompletableFuture<ObjectNode> nearby(PlacesQuery query) {
        Key key = Key.of(query);
        CompletableFuture<ObjectNode> mine;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            Cached c = cache.get(key);
            if (c != null && now - c.expiresAtNanos() < 0) {
                hits++;
                return CompletableFuture.completedFuture(c.answer());
            }
            CompletableFuture<ObjectNode> pending = inFlight.get(key);
            if (pending != null) {
                coalesced++;
                return pending;
            }
            if (callsPerSecond > 0 && !takeToken(now)) {
                limited++;
                return CompletableFuture.completedFuture(PlacesAnswers.error("OVER_QUERY_LIMIT",
                        "this server's limit of " + callsPerSecond + " Places calls per second was reached"));
            }
            calls++;
            mine = new CompletableFuture<>();
            inFlight.put(key, mine);
        }
        upstream.nearby(query).whenComplete((answer, failure) -> {
            ObjectNode result = failure != null ? PlacesAnswers.error("UNKNOWN_ERROR", "Places lookup failed") : answer;
            synchronized (this) {
                inFlight.remove(key);
                String status = result.path("status").asText();
                if (status.equals("OK") || status.equals("ZERO_RESULTS")) {
                    if (ttlNanos > 0 && maxEntries > 0) {
                        cache.put(key, new Cached(result, nanoTime.getAsLong() + ttlNanos));
                    }
                } else {
                    errors++;
                }
            }
            mine.complete(result);
        });
        return mine;
    }

    /** Token bucket holding at most one second's worth of calls, refilled continuously. */
    private boolean takeToken(long now) {
        tokens = Math.min(callsPerSecond, tokens + (now - lastRefill) * callsPerSecond / 1e9);
        lastRefill = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    public synchronized PlacesStats stats() {
        return new PlacesStats(calls, hits, coalesced, limited, errors);
    }

    @Override
    public void warmUp() {
        upstream.warmUp();
    }

    @Override
    public String describe() {
        return upstream.describe();
    }
}
