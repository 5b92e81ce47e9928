/**
 * Herd's engine, its public API: {@link herd.engine.Herd} runs some or all servers of a
 * config in this process and {@link herd.engine.HerdServer} is one of them (a facade over
 * the internal packages); {@link herd.engine.HerdEvent}s reach {@link
 * herd.engine.HerdListener}s; {@link herd.engine.LocationReport}, {@link
 * herd.engine.LinkState}, {@link herd.engine.Party}, the stats and the metrics snapshot ({@link
 * herd.engine.ServerMetrics}, read by an exporter on each scrape) are values. The config is
 * in {@link herd.engine.config}. Everything else ({@code node}, {@code io}, {@code
 * protocol}, {@code peer}, {@code places}, {@code eventlog}, {@code server}) is internal:
 * public only so that the engine's packages can use each other.
 *
 * <p>Threads: every method here is thread-safe; events reach listeners on the I/O thread
 * that caused them. {@link herd.engine.node.EngineThreads} lists every thread the engine starts.
 */
package herd.engine;
