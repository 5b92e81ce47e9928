package herd.engine.config;

/**
 * One server of a herd: its name, the address its peers dial (and its clients are told
 * about), its port, and, when it binds somewhere else, the address it listens on.
 *
 * <p>{@code host} and {@code listen} differ where the address others reach a server by is
 * not one it can bind: behind NAT or in a container (peers dial the public address, the
 * server binds {@code 0.0.0.0}), or on a machine whose every interface should answer.
 * Gossip systems call the two the advertise and the bind address.
 *
 * @param host   the address (IP literal or host name) its peers dial; resolved at every dial
 * @param port   the port it listens on and its peers dial (0: any free port, for tests)
 * @param listen where it binds when that is not {@code host}: an IP literal (a wildcard,
 *               {@code 0.0.0.0} or {@code ::}, for every address) or a host name; null to
 *               bind {@code host}
 */
public record ServerSpec(String name, String host, int port, String listen) {

    /** A server that listens where its peers dial it. */
    public ServerSpec(String name, String host, int port) {
        this(name, host, port, null);
    }

    /** Where this server binds: {@code listen} if given, else {@code host}. */
    public String listenHost() {
        return listen != null ? listen : host;
    }

    /** This server on another port, listening where it did. */
    public ServerSpec withPort(int newPort) {
        return new ServerSpec(name, host, newPort, listen);
    }

    /** This server binding {@code newListen} (null: its host) instead. */
    public ServerSpec withListen(String newListen) {
        return new ServerSpec(name, host, port, newListen);
    }

    /** {@code host:port}, where its peers dial it. */
    public String dialAddress() {
        return hostPort(host, port);
    }

    /** {@code listenHost:port}, where it binds. */
    public String listenAddress() {
        return hostPort(listenHost(), port);
    }

    /** {@code host:port} as people write it: an IPv6 literal in brackets ({@code [::]:12013}). */
    public static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return name + "@" + host + ":" + port + (listen == null ? "" : " (listening on " + listen + ")");
    }
}
