/**
 * Internal: one server on MINA: the handler (a dispatcher: a connection's first line makes
 * it a client or a peer), the client protocol (IAMAT, WHATSAT, replies in command order),
 * client slots and the idle rule. Runs on MINA I/O threads and never blocks.
 */
package herd.engine.server;
