package herd.engine.places.gazetteer;

import java.util.Objects;

/**
 * One populated place of the offline gazetteer: a GeoNames city (data from GeoNames,
 * CC BY 4.0). Immutable.
 *
 * @param geonameId  GeoNames' id of the place
 * @param name       the place's name, as GeoNames spells it (UTF-8, may be non-Latin)
 * @param lat        latitude in decimal degrees, -90 to 90
 * @param lng        longitude in decimal degrees, -180 to 180
 * @param population GeoNames' population figure (at least 1000 in the bundled data)
 * @param region     English name of the first-level administrative region (state,
 *                   province), its GeoNames code when no name is known, or {@code ""}
 * @param country    ISO 3166-1 alpha-2 country code, e.g. {@code US}
 */
public record Place(int geonameId, String name, double lat, double lng, int population,
                   String region, String country) {

    public Place {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(country, "country");
    }

    /** The id Herd answers in Nearby Search's {@code place_id}: {@code geonames:<id>}. */
    public String placeId() {
        return "geonames:" + geonameId;
    }

    /**
     * Nearby Search's {@code vicinity}: {@code "<region>, <country>"}, or the country alone
     * when GeoNames has no region for the place.
     */
    public String vicinity() {
        return region.isEmpty() ? country : region + ", " + country;
    }
}
