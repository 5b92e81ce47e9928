/**
 * Internal: everything between servers (SPEC §3). Peer messages and their pure codec; the
 * handshake as a state machine, with authentication and TLS; links (dialling, backoff,
 * heartbeats); flooding and the location table. The transport is behind {@link
 * herd.engine.peer.PeerChannel} and {@link herd.engine.peer.Dialer}, so the handshake and
 * flooding run in tests without sockets. Runs on MINA I/O threads and the herd's timer; no
 * method blocks, except {@link herd.engine.peer.CookieFile}, which reads (or makes) the
 * user's cookie file once, on the thread that creates the herd.
 */
package herd.engine.peer;
