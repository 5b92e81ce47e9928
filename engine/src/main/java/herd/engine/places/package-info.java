/**
 * Internal: WHATSAT's Places answers. The providers ({@code GoogleLegacyPlaces}, {@code
 * GoogleNewPlaces}, {@code OfflinePlaces}) behind {@link herd.engine.places.PlacesProvider},
 * the per-server guard (cache, coalescing, rate limit), and Google's JSON printer. Answers
 * complete on the HTTP client's threads (network) or the caller's (offline); nothing blocks.
 */
package herd.engine.places;
