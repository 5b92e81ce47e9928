package herd.engine.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code places} section of a config: which provider answers WHATSAT, how to reach
 * it, and how the network providers are cached and rate-limited. The API key itself is
 * never stored here, only the name of the environment variable that holds it.
 *
 * @param provider          which provider answers ({@code places.provider} in the config)
 * @param url               the endpoint of the Google provider in use
 * @param keyEnv            the environment variable holding the key
 * @param timeoutMs         the whole upstream call, connect to last byte
 * @param cacheTtlMs        how long an upstream answer is reused for the same query
 * @param cacheEntries      how many answers each server's cache holds (least recently used go first)
 * @param maxCallsPerSecond upstream calls each server may make per second; beyond that
 *                          WHATSAT answers {@code OVER_QUERY_LIMIT} without calling Google
 */
public record PlacesSettings(Provider provider, String url, String keyEnv, int timeoutMs, int cacheTtlMs,
                             int cacheEntries, int maxCallsPerSecond) {

    public static final String LEGACY_NEARBY_URL = "https://maps.googleapis.com/maps/api/place/nearbysearch/json";
    public static final String NEW_NEARBY_URL = "https://places.googleapis.com/v1/places:searchNearby";
    /** The providers, by the names the config gives them. */
    public enum Provider {
        /** Google when the key's variable is set, else offline (the choice is logged at start). */
        AUTO("auto"),
        /** Google's legacy Nearby Search over HTTP. */
        GOOGLE("google"),
        /** Google's Places API (New), its answers translated to the legacy shape. */
        GOOGLE_NEW("google-new"),
        /** The built-in GeoNames gazetteer; no network. */
        OFFLINE("offline");

        private final String configName;

        Provider(String configName) {
            this.configName = configName;
        }

        /** The name in a config file, e.g. {@code google-new}. */
        public String configName() {
            return configName;
        }

        /** The provider a config names; empty for an unknown name. */
        public static Optional<Provider> named(String name) {
            for (Provider p : values()) { // a loop: read before the ports are bound (HerdConfig)
                if (p.configName.equals(name)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        /** Every config name, for error messages. */
        public static List<String> configNames() {
            return Arrays.stream(values()).map(Provider::configName).toList();
        }

        @Override
        public String toString() {
            return configName;
        }
    }

    public static PlacesSettings defaults() {
        return new PlacesSettings(Provider.AUTO, LEGACY_NEARBY_URL, "GOOGLE_PLACES_API_KEY", 10_000, 60_000, 1000, 10);
    }

    /** The endpoint a provider uses when the config names none. */
    public static String defaultUrl(Provider provider) {
        return provider == Provider.GOOGLE_NEW ? NEW_NEARBY_URL : LEGACY_NEARBY_URL;
    }

    /** These settings with the provider a config names (and that provider's default URL). */
    public PlacesSettings withProvider(String configName) {
        return withProvider(Provider.named(configName).orElseThrow(() -> new IllegalArgumentException(
                "unknown places provider " + configName + " (valid: " + String.join(", ", Provider.configNames()) + ")")));
    }

    /** These settings with another provider (and that provider's default URL). */
    public PlacesSettings withProvider(Provider newProvider) {
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
