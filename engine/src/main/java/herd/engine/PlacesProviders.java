package herd.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Chooses the provider named by {@code places.provider}: {@code google} (legacy Nearby
 * Search), or {@code auto}, which is google when the key variable is set. Until the offline
 * gazetteer exists, {@code offline} and a missing key answer {@code REQUEST_DENIED} saying
 * which variable to set.
 */
final class PlacesProviders {

    private PlacesProviders() {
    }

    static PlacesProvider create(PlacesSettings settings, Map<String, String> env) {
        String key = env.get(settings.keyEnv());
        boolean hasKey = key != null && !key.isBlank();
        if (settings.provider().equals("google") || settings.provider().equals("auto")) {
            return hasKey ? new LegacyNearbySearch(settings.url(), key.strip(), settings.timeoutMs())
                    : new NoKey(settings.keyEnv());
        }
        return new NoKey(settings.keyEnv());
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
