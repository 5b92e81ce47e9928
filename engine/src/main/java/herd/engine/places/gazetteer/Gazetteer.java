package herd.engine.places.gazetteer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The world's populated places, offline: GeoNames' cities with a population of at least
 * 1000 (about 112,000 places; data from GeoNames, https://www.geonames.org/, CC BY 4.0),
 * with a latitude/longitude grid index that answers "which places lie within r metres of
 * here" without scanning the whole table.
 *
 * <p><b>Data.</b> The places ship as the class-path resource
 * {@code herd/engine/places/geonames-cities.bin.gz}, made by
 * {@code tools/gazetteer/build-gazetteer.mjs} (see the README beside it). It is one gzip
 * stream, every integer big-endian:
 * <pre>
 *   bytes[4] magic "HGZ1"
 *   int32    region count R, then R times: uint16 byte length + UTF-8 region name ("" = none)
 *   int32    place count N, then N-long columns, places in ascending geonameId:
 *            int32 geonameId delta (from the previous place's id; the first from 0)
 *            int32 latitude, 1e-5 degrees     int32 longitude, 1e-5 degrees
 *            int32 population                 uint16 region index
 *            2 ASCII bytes ISO country code   then N times: uint16 byte length + UTF-8 name
 * </pre>
 *
 * <p><b>Index.</b> Places are grouped into 0.5-degree latitude/longitude cells stored as
 * one array per field, ordered by cell, with each cell's first index in
 * {@code cellStart}. A query visits only the cells of the bounding box of its spherical
 * cap. Longitude cells wrap at the antimeridian, and a cap that reaches a pole takes every
 * longitude, so neither breaks a query.
 *
 * <p><b>Threading.</b> Immutable once built, so any number of threads may query one
 * instance at once. {@link #shared()} loads the bundled data once per JVM, lazily, on the
 * first caller's thread (tens of milliseconds; do it at start-up, not on an I/O thread, if
 * that matters).
 */
public final class Gazetteer {

    /** The mean Earth radius (IUGG) used for every great-circle distance here. */
    public static final double EARTH_RADIUS_METERS = 6371008.8;

    /** Class-path resource, relative to this class's package. */
    static final String RESOURCE = "geonames-cities.bin.gz";

    private static final byte[] MAGIC = {'H', 'G', 'Z', '1'};
    private static final double COORDINATE_UNITS_PER_DEGREE = 1e5;

    private static final double CELL_DEGREES = 0.5;
    private static final int ROWS = (int) (180 / CELL_DEGREES);
    private static final int COLUMNS = (int) (360 / CELL_DEGREES);

    /**
     * Widens the bounding box a little so that rounding in its trigonometry never drops a
     * cell holding a place right at the edge; the exact distance test decides anyway.
     */
    private static final double BOX_MARGIN_DEGREES = 1e-6;

    /** Lets the cheap haversine pre-test err only on the side of the exact test. */
    private static final double HAVERSINE_SLACK = 1e-12;

    private static volatile Gazetteer shared;

    // Parallel arrays in cell order: the hot loop reads primitives, not records.
    private final Place[] places;
    private final double[] latRadians;
    private final double[] lngRadians;
    private final double[] cosLat;
    /** Places of cell c are indexes cellStart[c] (inclusive) to cellStart[c + 1]. */
    private final int[] cellStart;

    /** Builds the index over {@code places}; tests use it for small hand-made tables. */
    Gazetteer(List<Place> places) {
        int n = places.size();
        int[] cellOf = new int[n];
        int[] start = new int[ROWS * COLUMNS + 1];
        for (int i = 0; i < n; i++) {
            Place p = places.get(i);
            requireCoordinates(p.lat(), p.lng());
            cellOf[i] = cell(row(p.lat()), column(p.lng()));
            start[cellOf[i] + 1]++;
        }
        for (int c = 0; c < ROWS * COLUMNS; c++) {
            start[c + 1] += start[c];
        }
        // Counting sort by cell keeps the input's order within a cell.
        int[] next = Arrays.copyOf(start, start.length - 1);
        this.places = new Place[n];
        this.latRadians = new double[n];
        this.lngRadians = new double[n];
        this.cosLat = new double[n];
        for (int i = 0; i < n; i++) {
            Place p = places.get(i);
            int at = next[cellOf[i]]++;
            this.places[at] = p;
            latRadians[at] = Math.toRadians(p.lat());
            lngRadians[at] = Math.toRadians(p.lng());
            cosLat[at] = Math.cos(latRadians[at]);
        }
        this.cellStart = start;
    }

    /**
     * The gazetteer of the bundled GeoNames data, loaded on the first call and shared by
     * every caller in the JVM.
     *
     * @throws UncheckedIOException when the bundled resource is missing or corrupt (a
     *                              packaging fault); later calls try again and fail alike
     */
    public static Gazetteer shared() {
        // Double-checked locking rather than a holder class: a failed holder class
        // initialisation leaves only a bare NoClassDefFoundError for every later caller,
        // while this rethrows the real reason each time.
        Gazetteer g = shared;
        if (g == null) {
            synchronized (Gazetteer.class) {
                g = shared;
                if (g == null) {
                    g = loadBundled();
                    shared = g;
                }
            }
        }
        return g;
    }

    private static Gazetteer loadBundled() {
        try (InputStream in = Gazetteer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("class-path resource herd/engine/places/" + RESOURCE + " is missing");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the offline gazetteer: " + e.getMessage(), e);
        }
    }

    /** Reads the gzip format described in the class comment. Does not close {@code gzipped}. */
    static Gazetteer read(InputStream gzipped) throws IOException {
        byte[] bytes = new GZIPInputStream(gzipped, 1 << 16).readAllBytes();
        try {
            return new Gazetteer(decode(ByteBuffer.wrap(bytes)));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("corrupt gazetteer data: " + e, e);
        }
    }

    private static List<Place> decode(ByteBuffer in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not gazetteer data (bad magic " + Arrays.toString(magic) + ")");
        }
        String[] regions = new String[count(in, 2)];
        for (int r = 0; r < regions.length; r++) {
            regions[r] = utf8(in);
        }
        int n = count(in, 22); // 20 bytes of columns and a name length per place
        // Fixed-width columns are read by absolute offset, names then continue after them.
        int ids = in.position();
        int lats = ids + 4 * n;
        int lngs = lats + 4 * n;
        int populations = lngs + 4 * n;
        int regionIndexes = populations + 4 * n;
        int countries = regionIndexes + 2 * n;
        in.position(countries + 2 * n);
        Map<Integer, String> countryCodes = new HashMap<>(); // one String per country, not per place
        Place[] places = new Place[n];
        int id = 0;
        for (int i = 0; i < n; i++) {
            id += in.getInt(ids + 4 * i);
            int region = Short.toUnsignedInt(in.getShort(regionIndexes + 2 * i));
            if (region >= regions.length) {
                throw new IOException("place " + id + " has region index " + region + " of " + regions.length);
            }
            int code = Short.toUnsignedInt(in.getShort(countries + 2 * i));
            String country = countryCodes.computeIfAbsent(code,
                    c -> new String(new byte[] {(byte) (c >> 8), (byte) (c & 0xff)}, StandardCharsets.US_ASCII));
            places[i] = new Place(id, utf8(in),
                    in.getInt(lats + 4 * i) / COORDINATE_UNITS_PER_DEGREE,
                    in.getInt(lngs + 4 * i) / COORDINATE_UNITS_PER_DEGREE,
                    in.getInt(populations + 4 * i), regions[region], country);
        }
        if (in.hasRemaining()) {
            throw new IOException(in.remaining() + " unexpected bytes after the last place");
        }
        return Arrays.asList(places);
    }

    /** A count that must fit in what is left, given each entry takes at least {@code minBytes}. */
    private static int count(ByteBuffer in, int minBytes) throws IOException {
        int count = in.getInt();
        if (count < 0 || (long) count * minBytes > in.remaining()) {
            throw new IOException("implausible count " + count + " with " + in.remaining() + " bytes left");
        }
        return count;
    }

    private static String utf8(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        int start = in.position();
        in.position(start + length); // throws IllegalArgumentException if the string overruns the data
        return new String(in.array(), start, length, StandardCharsets.UTF_8);
    }

    /** How many places the gazetteer holds. */
    public int size() {
        return places.length;
    }

    /** Every place, in index order; for tests that check the index against a full scan. */
    List<Place> all() {
        return List.of(places);
    }

    /**
     * The places whose great-circle (haversine) distance from ({@code lat}, {@code lng}) is
     * at most {@code radiusMeters}, most populous first (ties: nearer first, then lower
     * GeoNames id), at most {@code limit} of them.
     *
     * @param lat          latitude in decimal degrees, -90 to 90
     * @param lng          longitude in decimal degrees, -180 to 180
     * @param radiusMeters non-negative, finite; any size (a large radius just visits more cells)
     * @param limit        non-negative
     * @return an unmodifiable list, empty when nothing is in range
     * @throws IllegalArgumentException for an argument outside those ranges
     */
    public List<Place> nearby(double lat, double lng, double radiusMeters, int limit) {
        requireCoordinates(lat, lng);
        if (!(radiusMeters >= 0) || Double.isInfinite(radiusMeters)) {
            throw new IllegalArgumentException("radius must be a finite number of metres >= 0, got " + radiusMeters);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        double angle = radiusMeters / EARTH_RADIUS_METERS;
        double qLat = Math.toRadians(lat);
        double qLng = Math.toRadians(lng);
        double qCos = Math.cos(qLat);
        double halfSine = Math.sin(Math.min(angle, Math.PI) / 2);
        double haversineLimit = halfSine * halfSine + HAVERSINE_SLACK;

        // Bounding box of the spherical cap: its latitude span is exact; its longitude
        // half-width is asin(sin(angle) / cos(lat)) unless the cap holds a pole, in which
        // case every longitude is in it.
        double span = Math.toDegrees(angle) + BOX_MARGIN_DEGREES;
        double south = lat - span;
        double north = lat + span;
        int firstRow = row(Math.max(south, -90));
        int lastRow = row(Math.min(north, 90));
        int firstColumn = 0;
        int columnCount = COLUMNS;
        double sine = Math.sin(angle) / qCos;
        if (south > -90 && north < 90 && sine < 1) {
            double halfWidth = Math.toDegrees(Math.asin(sine)) + BOX_MARGIN_DEGREES;
            int west = (int) Math.floor((lng - halfWidth + 180) / CELL_DEGREES);
            int east = (int) Math.floor((lng + halfWidth + 180) / CELL_DEGREES);
            firstColumn = Math.floorMod(west, COLUMNS); // a box across ±180 wraps round
            columnCount = Math.min(COLUMNS, east - west + 1);
        }

        Ranking ranking = new Ranking(limit);
        for (int row = firstRow; row <= lastRow; row++) {
            for (int k = 0; k < columnCount; k++) {
                int c = cell(row, (firstColumn + k) % COLUMNS);
                for (int i = cellStart[c], end = cellStart[c + 1]; i < end; i++) {
                    double sinLat = Math.sin((latRadians[i] - qLat) / 2);
                    double sinLng = Math.sin((lngRadians[i] - qLng) / 2); // sin² is 2π-periodic: no wrap needed
                    double haversine = sinLat * sinLat + qCos * cosLat[i] * sinLng * sinLng;
                    if (haversine <= haversineLimit) {
                        double meters = 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(Math.min(1, haversine)));
                        if (meters <= radiusMeters) {
                            ranking.offer(i, meters);
                        }
                    }
                }
            }
        }
        return ranking.best();
    }

    private static void requireCoordinates(double lat, double lng) {
        if (!(lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("latitude must be within -90..90, got " + lat);
        }
        if (!(lng >= -180 && lng <= 180)) {
            throw new IllegalArgumentException("longitude must be within -180..180, got " + lng);
        }
    }

    private static int row(double lat) {
        return Math.min(ROWS - 1, (int) Math.floor((lat + 90) / CELL_DEGREES)); // lat 90 joins the top row
    }

    private static int column(double lng) {
        return Math.floorMod((int) Math.floor((lng + 180) / CELL_DEGREES), COLUMNS); // lng 180 is lng -180
    }

    private static int cell(int row, int column) {
        return row * COLUMNS + column;
    }

    /**
     * The best {@code limit} matches of one query so far, as a binary heap whose root is the
     * worst kept match: each offer costs O(log limit), whatever the number of matches.
     * Confined to the querying thread.
     */
    private final class Ranking {
        private final int limit;
        private int[] index = new int[16];
        private double[] meters = new double[16];
        private int size;

        Ranking(int limit) {
            this.limit = limit;
        }

        void offer(int i, double distance) {
            if (size < limit) {
                if (size == index.length) {
                    int grown = (int) Math.min(limit, 2L * size);
                    index = Arrays.copyOf(index, grown);
                    meters = Arrays.copyOf(meters, grown);
                }
                index[size] = i;
                meters[size] = distance;
                siftUp(size++);
            } else if (before(i, distance, index[0], meters[0])) {
                index[0] = i;
                meters[0] = distance;
                siftDown(0, size);
            }
        }

        /** Empties the heap worst-first into the list's tail, so the list runs best-first. */
        List<Place> best() {
            Place[] out = new Place[size];
            for (int end = size - 1; end >= 0; end--) {
                out[end] = places[index[0]];
                swap(0, end);
                siftDown(0, end);
            }
            return List.of(out);
        }

        /** Whether match (a, da) ranks before (b, db): more people, then nearer, then lower id. */
        private boolean before(int a, double da, int b, double db) {
            Place pa = places[a];
            Place pb = places[b];
            if (pa.population() != pb.population()) {
                return pa.population() > pb.population();
            }
            if (da != db) {
                return da < db;
            }
            return pa.geonameId() < pb.geonameId();
        }

        private void siftUp(int k) {
            while (k > 0) {
                int parent = (k - 1) / 2;
                if (!before(index[parent], meters[parent], index[k], meters[k])) {
                    return;
                }
                swap(k, parent);
                k = parent;
            }
        }

        private void siftDown(int k, int end) {
            while (true) {
                int worst = k;
                for (int child = 2 * k + 1; child <= 2 * k + 2 && child < end; child++) {
                    if (before(index[worst], meters[worst], index[child], meters[child])) {
                        worst = child;
                    }
                }
                if (worst == k) {
                    return;
                }
                swap(k, worst);
                k = worst;
            }
        }

        private void swap(int a, int b) {
            int i = index[a];
            index[a] = index[b];
            index[b] = i;
            double m = meters[a];
            meters[a] = meters[b];
            meters[b] = m;
        }
    }
}
