package herd.engine.peer;

/**
 * One connection as the peer side uses it: the seam between flooding and the handshake and
 * the transport. {@link SessionChannel} runs it over MINA; tests run the handshake and
 * flooding over in-memory channels, without sockets.
 */
public interface PeerChannel {

    /** Sends {@code line} after everything sent before (batched with the current read's output). */
    void send(String line);

    /** {@link #send(String)} for a line as UTF-8 bytes, without its terminator. */
    void send(byte[] line);

    /** Sends {@code line} now and runs {@code whenSent} once it is on the wire. */
    void sendThen(String line, Runnable whenSent);

    /** Switches the connection to TLS: client mode when this end dialled. */
    void startTls(boolean dialled);

    boolean tlsOn();

    /** Stops (and later resumes) reading, so that no byte arrives between two layers. */
    void suspendRead();

    void resumeRead();

    /** Bytes sent but not yet on the wire. */
    long queuedBytes();

    /** Bytes that have gone out on the wire so far: grows while the peer reads. */
    long writtenBytes();

    /** Closes at once; {@code reason} goes to the log's CLOSE line. */
    void close(String reason);

    /**
     * Closes the socket itself, for a connection the transport no longer closes (a failed
     * TLS handshake in MINA 2.2). True when it was still open.
     */
    boolean abandon();

    /** Watches for silence: a heartbeat after a quiet second, dropped after {@link PeerLink#SILENCE_SECONDS}. */
    void watchForSilence();

    /** The remote address, for log lines. */
    String remoteAddress();

    /** The connection is now a peer's: logged as {@code peer/<name>}, flushed first. */
    void becomePeer(String peerName);
}
