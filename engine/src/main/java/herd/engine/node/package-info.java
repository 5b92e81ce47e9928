/**
 * Internal: what one server's parts share ({@link herd.engine.node.NodeContext}): its name,
 * clock, events ({@link herd.engine.node.NodeEvents}: the log line, and an event object only
 * for listeners), counters and duration histograms ({@link herd.engine.node.DurationBuckets}),
 * limits, the herd's timer; and the list of every thread the
 * engine starts. Thread-safe values.
 */
package herd.engine.node;
