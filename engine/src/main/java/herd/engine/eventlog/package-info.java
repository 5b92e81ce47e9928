/**
 * Internal: the per-server event logs (README "Log format"): each server's lines as bytes
 * in an {@link herd.engine.eventlog.EventLogBuffer} (appended on I/O threads), the writer
 * that moves them to the server's file from one background thread, and the bus that hands
 * event objects to listeners on the caller's thread while any are subscribed.
 */
package herd.engine.eventlog;
