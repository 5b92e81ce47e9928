package herd.engine.config;

import java.util.List;

/**
 * The {@code places} section of a config: which provider answers WHATSAT, how to reach
 * it, and how the network providers are cached and rate-limited. The API key itself is
 * never stored here, only the name of the environment variable that holds it.
 *
 * @param provider          {@code auto}, {@code google}, {@code google-new} or {@code offline}
 * @param url               the endpoint of the Google provider in use
 * @param keyEnv            the environment variable holding the key
 * @param timeoutMs         the whole upstream call, connect to last byte
 * @param cacheTtlMs        how long an upstream answer is reused for the same query
 * @param cacheEntries      how many answers each server's cache holds (least recently used go first)
 * @param maxCallsPerSecond upstream calls each server may make per second; beyond that
 *                          WHATSAT answers {@code OVER_QUERY_LIMIT} without calling Google
 */
public record PlacesSettings(String provider, String url, String keyEnv, int timeoutMs, int cacheTtlMs,
                             int cacheEntries, int maxCallsPerSecond) {

    public static final String LEGACY_NEARBY_URL = "https://maps.googleapis.com/maps/api/place/nearbysearch/json";
    public static final String NEW_NEARBY_URL = "https://places.googleapis.com/v1/places:searchNearby";
    public static final List<String> PROVIDERS = List.of("auto", "google", "google-new", "offline");

    public static PlacesSettings defaults() {
        return new PlacesSettings("auto", LEGACY_NEARBY_URL, "GOOGLE_PLACES_API_KEY", 10_000, 60_000, 1000, 10);
    }

    /** The endpoint a provider uses when the config names none. */
    public static String defaultUrl(String provider) {
        return provider.equals("google-new") ? NEW_NEARBY_URL : LEGACY_NEARBY_URL;
    }

    /** These settings with another provider (and that provider's default URL). */
    public PlacesSettings withProvider(String newProvider) {
        return new PlacesSettings(newProvider, defaultUrl(newProvider), keyEnv, timeoutMs, cacheTtlMs, cacheEntries,
                maxCallsPerSecond);
    }

    public PlacesSettings withUrl(String newUrl) {
        return new PlacesSettings(provider, newUrl, keyEnv, timeoutMs, cacheTtlMs, cacheEntries, maxCallsPerSecond);
    }

    public PlacesSettings withKeyEnv(String newKeyEnv) {
        return new PlacesSettings(provider, url, newKeyEnv, timeoutMs, cacheTtlMs, cacheEntries, maxCallsPerSecond);
    }

    public PlacesSettings withTimeoutMs(int newTimeoutMs) {
        return new PlacesSettings(provider, url, keyEnv, newTimeoutMs, cacheTtlMs, cacheEntries, maxCallsPerSecond);
    }

    public PlacesSettings withCache(int newTtlMs, int newEntries) {
        return new PlacesSettings(provider, url, keyEnv, timeoutMs, newTtlMs, newEntries, maxCallsPerSecond);
    }

    public PlacesSettings withMaxCallsPerSecond(int perSecond) {
        return new PlacesSettings(provider, url, keyEnv, timeoutMs, cacheTtlMs, cacheEntries, perSecond);
    }
}
