/**
 * Internal: the offline gazetteer: GeoNames places in a grid index, loaded once per process
 * on a background thread, and its answers in Google's Nearby Search shape. Immutable once
 * loaded; queries are safe from any thread.
 */
package herd.engine.places.gazetteer;
