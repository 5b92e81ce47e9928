package herd.gui;

import herd.engine.config.HerdConfig;
import herd.engine.config.ServerSpec;
import java.util.List;

/**
 * A server a person asked to add to the running herd: its name, its port (0: any free port)
 * and the servers to link it with. {@link #problem} says what is wrong with what was typed,
 * in words for the dialog; {@link #addTo} makes the config the herd then applies. Pure.
 *
 * @param name       the new server's name
 * @param port       where it listens; 0 for any free port
 * @param neighbours the servers it links with, at least one
 */
record NewServer(String name, int port, List<String> neighbours) {

    NewServer {
        neighbours = List.copyOf(neighbours);
    }

    /**
     * What is wrong with adding a server named {@code name} on {@code port} (as typed) linked
     * with {@code neighbours} to a herd running {@code config}, or null when nothing is.
     *
     * @param listening where the herd's servers listen now (a server of port 0 has one of its own)
     */
    static String problem(HerdConfig config, List<ServerSpec> listening, String name, String port,
                          List<String> neighbours) {
        if (name.isEmpty()) {
            return "give it a name";
        }
        if (name.chars().anyMatch(Character::isWhitespace)) {
            return "no spaces in a name";
        }
        if (!name.chars().allMatch(NewServer::isNameChar)) {
            return "a name is letters, digits, '_', '.' or '-', as in a config file";
        }
        if (config.server(name).isPresent()) {
            return name + " is taken: the herd has a server by that name";
        }
        Integer p = port(port);
        if (p == null) {
            return "the port is a number from 0 to 65535 (0: any free port)";
        }
        NewServer wanted = new NewServer(name, p, neighbours);
        for (ServerSpec s : listening) {
            if (p != 0 && s.port() == p && s.host().equals(host(config))) {
                return "port " + p + " is " + s.name() + "'s";
            }
        }
        if (neighbours.isEmpty()) {
            return "link it with at least one server";
        }
        try {
            wanted.addTo(config); // what the engine itself refuses, e.g. a port taken
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** The port typed, or null when it is not one (blank, not a number, out of range). */
    static Integer port(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 5 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int p = Integer.parseInt(t);
        return p <= 65535 ? p : null;
    }

    /**
     * {@code config} with this server added, on the host its servers share (the herd's
     * machine), or 127.0.0.1 when they do not share one.
     *
     * @throws IllegalArgumentException as {@link HerdConfig#withServer} does
     */
    HerdConfig addTo(HerdConfig config) {
        return config.withServer(new ServerSpec(name, host(config), port), neighbours);
    }

    /** Where it listens: on the host the servers of {@code config} share, else on 127.0.0.1. */
    static String host(HerdConfig config) {
        List<String> hosts = config.servers().stream().map(ServerSpec::host).distinct().toList();
        return hosts.size() == 1 ? hosts.get(0) : "127.0.0.1";
    }

    // the config file's rule for server names, so that a herd grown here can be written to one
    private static boolean isNameChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
    }
}
