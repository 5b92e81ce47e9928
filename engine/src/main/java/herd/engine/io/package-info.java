/**
 * Internal: connections as bytes and lines, over MINA: line framing, the outgoing bytes of a
 * connection and their batching per read, and the ways to close. Runs on MINA I/O threads;
 * any thread may write.
 */
package herd.engine.io;
