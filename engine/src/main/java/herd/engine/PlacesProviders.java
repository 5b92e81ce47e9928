package herd.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Chooses the provider named by {@code places.provider}: {@code google} (legacy Nearby
 * Search), {@code google-new} (Places API (New)), {@code offline} (the built-in gazetteer),
 * or {@code auto}: google when the key variable is set, else offline. A Google provider
 * without a key answers {@code REQUEST_DENIED} saying which variable to set.
 */
final class PlacesProviders {

    private PlacesProviders() {
    }

    static PlacesProvider create(PlacesSettings settings, Map<String, String> env) {
        String key = env.get(settings.keyEnv());
        boolean hasKey = key != null && !key.isBlank();
        return switch (settings.provider()) {
            case "offline" -> new OfflineGazetteerPlaces();
            case "auto" -> hasKey ? new LegacyNearbySearch(settings.url(), key.strip(), settings.timeoutMs())
                    : new OfflineGazetteerPlaces();
            case "google" -> hasKey ? new LegacyNearbySearch(settings.url(), key.strip(), settings.timeoutMs())
                    : new NoKey(settings.keyEnv());
            case "google-new" -> hasKey ? new PlacesApiNew(settings.url(), key.strip(), settings.timeoutMs())
                    : new NoKey(settings.keyEnv());
            default -> throw new IllegalArgumentException("unknown places provider " + settings.provider());
        };
    }

    /** True when answers cost a network call, so each server guards them with a cache and a rate limit. */
    static boolean isNetwork(PlacesProvider provider) {
        return provider instanceof LegacyNearbySearch || provider instanceof PlacesApiNew;
    }

    /** Answers every query REQUEST_DENIED, naming the environment variable to set. */
    private record NoKey(String keyEnv) implements PlacesProvider {
        @Override
        public CompletableFuture<ObjectNode> nearby(PlacesQuery query) {
            return CompletableFuture.completedFuture(PlacesAnswers.error("REQUEST_DENIED",
                    "no Places API key: set the environment variable " + keyEnv + " and restart the server"));
        }

        @Override
        public String describe() {
            return "none (environment variable " + keyEnv + " is not set; WHATSAT answers REQUEST_DENIED)";
        }
    }
}
