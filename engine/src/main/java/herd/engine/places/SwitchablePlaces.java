package herd.engine.places;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * One server's Places provider, which a config reload may replace: each query goes to the
 * provider in force when it arrives; a query already under way finishes with the one it had.
 */
public final class SwitchablePlaces implements PlacesProvider {

    private volatile GuardedPlaces current;

    public SwitchablePlaces(GuardedPlaces first) {
        this.current = first;
    }

    /** The provider in force now (its counters are this server's Places counters). */
    public GuardedPlaces current() {
        return current;
    }

    /** Queries from now on go to {@code next}. */
    public void use(GuardedPlaces next) {
        current = next;
    }

    @Override
    public CompletableFuture<ObjectNode> nearby(PlacesQuery query) {
        return current.nearby(query);
    }

    @Override
    public String describe() {
        return current.describe();
    }
}
