/**
 * Internal: the per-server event logs (README "Log format"): the bus that hands each event
 * to its listeners on the caller's thread, and the writer that puts every line in its
 * server's file from one background thread.
 */
package herd.engine.eventlog;
