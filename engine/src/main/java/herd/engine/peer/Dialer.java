package herd.engine.peer;

import java.net.InetSocketAddress;

/**
 * Opens connections for the links that dial; the transport seam of {@link PeerLink}. A
 * dial reports twice: {@link PeerLink#connecting} with the new connection's channel as
 * soon as it exists (before any of its I/O events), then {@link PeerLink#connectDone}.
 */
public interface Dialer {

    /** Starts connecting {@code link} to {@code address}; never blocks. */
    void dial(PeerLink link, InetSocketAddress address, Object attempt);
}
