package herd.engine;

/**
 * The {@code places} section of a config: which provider answers WHATSAT and how to
 * reach it. The API key itself is never stored here, only the name of the environment
 * variable that holds it.
 *
 * @param provider  {@code auto}, {@code google} or {@code offline}
 * @param url       the Nearby Search endpoint for {@code google}
 * @param keyEnv    the environment variable holding the key
 * @param timeoutMs the whole upstream call, connect to last byte
 */
public record PlacesSettings(String provider, String url, String keyEnv, int timeoutMs) {

    public static final String LEGACY_NEARBY_URL = "https://maps.googleapis.com/maps/api/place/nearbysearch/json";

    public static PlacesSettings defaults() {
        return new PlacesSettings("auto", LEGACY_NEARBY_URL, "GOOGLE_PLACES_API_KEY", 10_000);
    }
}
