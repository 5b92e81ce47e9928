/**
 * Public: a herd's config, its JSON reader (SPEC §1) and its parts: servers, links,
 * limits, security, Places settings, event log rotation. Immutable values; safe from any thread.
 */
package herd.engine.config;
