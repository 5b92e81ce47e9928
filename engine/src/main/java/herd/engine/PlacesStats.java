package herd.engine;

/**
 * One server's Places counters since it was created.
 *
 * @param calls     queries sent to the provider (upstream calls, for Google)
 * @param hits      answered from the cache
 * @param coalesced joined an identical query already on its way upstream
 * @param limited   refused with {@code OVER_QUERY_LIMIT} by the server's own rate limit
 * @param errors    provider answers that were neither {@code OK} nor {@code ZERO_RESULTS}
 */
public record PlacesStats(long calls, long hits, long coalesced, long limited, long errors) {
}
