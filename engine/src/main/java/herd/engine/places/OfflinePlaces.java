package herd.engine.places;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.node.EngineThreads;
import herd.engine.places.gazetteer.Gazetteer;
import herd.engine.places.gazetteer.GazetteerAnswers;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code offline} provider: the built-in GeoNames gazetteer, no network. The gazetteer
 * is loaded once per process on a background thread, started by {@link #warmUp()} once the
 * herd listens (or by the first query, whichever comes first), so no I/O thread ever waits
 * for it and start-up does not compete with it for the cores (it takes about 100 ms of CPU);
 * queries that arrive before it is ready are answered when it is. A query takes
 * microseconds and runs on the caller's thread.
 */
final class OfflinePlaces implements PlacesProvider {

    private static final CompletableFuture<GazetteerAnswers> LOADED = new CompletableFuture<>();
    private static volatile boolean loading;

    private final CompletableFuture<GazetteerAnswers> places;

    OfflinePlaces() {
        places = LOADED;
    }

    @Override
    public void warmUp() {
        startLoading();
    }

    private static synchronized void startLoading() {
        if (loading) {
            return;
        }
        loading = true;
        Thread loader = EngineThreads.daemon(() -> {
            try {
                LOADED.complete(new GazetteerAnswers(Gazetteer.shared()));
            } catch (RuntimeException e) {
                LOADED.completeExceptionally(e);
            }
        }, EngineThreads.GAZETTEER);
        loader.start();
    }

    @Override
    public CompletableFuture<ObjectNode> nearby(PlacesQuery q) {
        if (!loading) {
            startLoading();
        }
        return places.handle((p, failure) -> {
            if (failure != null) {
                return PlacesAnswers.error("UNKNOWN_ERROR", "the offline gazetteer could not be loaded");
            }
            return p.nearbySearch(q.center().latitude().doubleValue(), q.center().longitude().doubleValue(),
                    q.radiusMeters().doubleValue(), q.bound());
        });
    }

    @Override
    public String describe() {
        return "offline (built-in GeoNames gazetteer; " + GazetteerAnswers.ATTRIBUTION + ")";
    }
}
