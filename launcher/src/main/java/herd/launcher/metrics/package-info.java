/**
 * Prometheus metrics and {@code /health} over HTTP, one small HTTP server per herd server
 * that asks for it (README "Metrics"). The engine only keeps its counters and gives a
 * snapshot ({@link herd.engine.HerdServer#metrics()}); this package turns that snapshot into
 * Prometheus's model on each scrape ({@link herd.launcher.metrics.ServerCollector}) and serves
 * it with the Prometheus Java client's exporter. The only package that uses the client
 * ({@code ArchitectureTest}).
 *
 * <p>Threads: each HTTP server answers on one daemon thread of its own
 * ({@code herd-metrics-<Name>}), which reads the snapshot; nothing here runs on the engine's
 * I/O threads.
 */
package herd.launcher.metrics;
