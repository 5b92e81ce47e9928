/**
 * Public: a herd's config, its JSON reader (SPEC §1) and its parts: servers, links,
 * limits, security, Places settings. Immutable values; safe from any thread.
 */
package herd.engine.config;
