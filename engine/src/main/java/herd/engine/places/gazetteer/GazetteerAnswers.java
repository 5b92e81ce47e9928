package herd.engine.places.gazetteer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

/**
 * Answers a Nearby Search from a {@link Gazetteer}, in the shape of Google's legacy Places
 * Nearby Search response, so that Herd's WHATSAT reply looks the same whichever provider
 * answered. Stateless apart from its gazetteer; safe to use from any number of threads.
 *
 * <p>The shape, keys in this order:
 * <pre>
 * {"html_attributions": ["Data from GeoNames (https://www.geonames.org/), CC BY 4.0"],
 *  "results": [{"geometry": {"location": {"lat": 34.07362, "lng": -118.40036}},
 *               "name": "Beverly Hills", "place_id": "geonames:5328041",
 *               "types": ["locality", "political"], "vicinity": "California, US"}, ...],
 *  "status": "OK"}
 * </pre>
 * With nothing in range it is {@code {"html_attributions": [], "results": [],
 * "status": "ZERO_RESULTS"}}, as Google answers: no GeoNames data is shown, so nothing
 * needs attributing.
 */
public final class GazetteerAnswers {

    /** GeoNames' CC BY 4.0 licence requires this credit wherever its data is shown. */
    public static final String ATTRIBUTION = "Data from GeoNames (https://www.geonames.org/), CC BY 4.0";

    /** Google prints coordinates with up to 7 fraction digits; ours have 5, so none is lost. */
    private static final int COORDINATE_FRACTION_DIGITS = 7;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Gazetteer gazetteer;

    public GazetteerAnswers(Gazetteer gazetteer) {
        this.gazetteer = Objects.requireNonNull(gazetteer, "gazetteer");
    }

    /**
     * The places within {@code radiusMeters} of the point, most populous first, at most
     * {@code limit}, as a Nearby Search response.
     *
     * @throws IllegalArgumentException as {@link Gazetteer#nearby} does
     */
    public ObjectNode nearbySearch(double lat, double lng, double radiusMeters, int limit) {
        return toNearbySearchJson(gazetteer.nearby(lat, lng, radiusMeters, limit));
    }

    /** {@code places}, in their order, as a Nearby Search response (see the class comment). */
    public static ObjectNode toNearbySearchJson(List<Place> places) {
        ObjectNode answer = JSON.objectNode();
        ArrayNode attributions = answer.putArray("html_attributions");
        ArrayNode results = answer.putArray("results");
        if (places.isEmpty()) {
            answer.put("status", "ZERO_RESULTS");
            return answer;
        }
        attributions.add(ATTRIBUTION);
        for (Place p : places) {
            ObjectNode result = results.addObject();
            ObjectNode location = result.putObject("geometry").putObject("location");
            location.set("lat", coordinate(p.lat()));
            location.set("lng", coordinate(p.lng()));
            result.put("name", p.name());
            result.put("place_id", p.placeId());
            result.putArray("types").add("locality").add("political");
            result.put("vicinity", p.vicinity());
        }
        answer.put("status", "OK");
        return answer;
    }

    /**
     * An exact decimal, so it prints as its digits ({@code 34.05223}): a double may print
     * as {@code 1.0E-4}, and Herd's Google-style printer writes decimals plain.
     */
    private static DecimalNode coordinate(double degrees) {
        BigDecimal value = BigDecimal.valueOf(degrees)
                .setScale(COORDINATE_FRACTION_DIGITS, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        if (value.scale() < 0) {
            value = value.setScale(0); // 1E+2 would print as "1E+2"; keep it "100"
        }
        return DecimalNode.valueOf(value);
    }
}
