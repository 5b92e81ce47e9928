package herd.engine;

/**
 * The other end of a connection: a client, named by its address, or a peer server, named
 * by its server name. Printed as {@code client/127.0.0.1:50412} or {@code peer/Holiday}.
 */
public record Party(Kind kind, String name) {

    public enum Kind { CLIENT, PEER }

    public static Party client(String address) {
        return new Party(Kind.CLIENT, address);
    }

    public static Party peer(String server) {
        return new Party(Kind.PEER, server);
    }

    public boolean isPeer() {
        return kind == Kind.PEER;
    }

    @Override
    public String toString() {
        return (kind == Kind.PEER ? "peer/" : "client/") + name;
    }
}
