/**
 * Internal: the client protocol's words (SPEC §2): the tokenizer, commands and their pure
 * parser, coordinates, the exact time difference, and the AT line. Pure functions and
 * values, no threads, no I/O.
 */
package herd.engine.protocol;
