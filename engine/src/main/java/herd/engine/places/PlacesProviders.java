package herd.engine.places;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.config.PlacesSettings;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Chooses the provider named by {@code places.provider}: {@code google} (legacy Nearby
 * Search), {@code google-new} (Places API (New)), {@code offline} (the built-in gazetteer),
 * or {@code auto}: google when the key variable is set, else offline. A Google provider
 * without a key answers {@code REQUEST_DENIED} saying which variable to set.
 */
public final class PlacesProviders {

    private PlacesProviders() {
    }

    public static PlacesProvider create(PlacesSettings settings, Map<String, String> env) {
        String key = env.get(settings.keyEnv());
        boolean hasKey = key != null && !key.isBlank();
        return switch (settings.provider()) {
            case OFFLINE -> new OfflinePlaces();
            case AUTO -> hasKey ? new GoogleLegacyPlaces(settings.url(), key.strip(), settings.timeoutMs())
                    : new OfflinePlaces();
            case GOOGLE -> hasKey ? new GoogleLegacyPlaces(settings.url(), key.strip(), settings.timeoutMs())
                    : new NoKey(settings.keyEnv());
            case GOOGLE_NEW -> hasKey ? new GoogleNewPlaces(settings.url(), key.strip(), settings.timeoutMs())
                    : new NoKey(settings.keyEnv());
        };
    }

    /** True when answers cost a network call, so each server guards them with a cache and a rate limit. */
    public static boolean isNetwork(PlacesProvider provider) {
        return provider instanceof GoogleLegacyPlaces || provider instanceof GoogleNewPlaces;
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
