package herd.engine.places;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * Answers a Nearby Search in Google's legacy response shape. The future always completes
 * normally: failures become an error-shaped answer ({@link PlacesAnswers#error}). Never
 * blocks the calling thread (a MINA I/O thread).
 */
public interface PlacesProvider {

    CompletableFuture<ObjectNode> nearby(PlacesQuery query);

    /** For the start-up log line: which provider, and where it goes (never the key). */
    String describe();

    /**
     * Starts any slow preparation (loading the gazetteer) on a background thread and returns
     * at once. The herd calls it after its ports listen, so that start-up does not share the
     * machine's cores with it; a query that comes first starts it too, and waits for it.
     */
    default void warmUp() {
    }
}
