package herd.engine.config;

/**
 * One server of a herd: its name, and the address it listens on and its peers dial.
 */
public record ServerSpec(String name, String host, int port) {

    @Override
    public String toString() {
        return name + "@" + host + ":" + port;
    }
}
