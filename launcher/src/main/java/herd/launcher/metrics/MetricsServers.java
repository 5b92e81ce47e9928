package herd.launcher.metrics;

import herd.engine.Herd;
import herd.engine.HerdServer;
import herd.engine.config.HerdConfig;
import herd.engine.config.ServerSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The metrics endpoints of one launcher run: a {@link MetricsServer} for each server of the
 * herd that the config (or {@code --metrics-port}) gives a metrics port, on that server's
 * host. A run whose config names none starts nothing here and loads none of the Prometheus
 * client's classes.
 */
public final class MetricsServers implements AutoCloseable {

    private final List<String> names;
    private final List<MetricsServer> servers;

    private MetricsServers(List<String> names, List<MetricsServer> servers) {
        this.names = names;
        this.servers = servers;
    }

    /** True when some server of {@code herd} has a metrics port in {@code config}. */
    public static boolean wanted(HerdConfig config, Herd herd) {
        for (HerdServer s : herd.servers()) {
            if (config.metricsPort(s.name()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts an endpoint for each server of {@code herd} with a metrics port in {@code config};
     * if one cannot bind its port, the ones started are closed and the exception names the
     * server and the address, as a taken server port does.
     */
    public static MetricsServers start(HerdConfig config, Herd herd) throws IOException {
        List<String> names = new ArrayList<>();
        List<MetricsServer> started = new ArrayList<>();
        for (HerdServer s : herd.servers()) {
            OptionalInt port = config.metricsPort(s.name());
            if (port.isEmpty()) {
                continue;
            }
            ServerSpec spec = s.spec();
            try {
                started.add(MetricsServer.start(s.name(), spec.host(), port.getAsInt(), s::metrics));
                names.add(s.name());
            } catch (IOException e) {
                started.forEach(MetricsServer::close);
                // "Address already in use", or "Cannot assign requested address" for a host not of this machine
                String message = String.valueOf(e.getMessage());
                String why = message.contains("in use") ? "address already in use"
                        : message.toLowerCase(java.util.Locale.ROOT);
                throw new IOException(s.name() + ": cannot serve metrics on " + spec.host() + ":" + port.getAsInt()
                        + ": " + why, e);
            }
        }
        return new MetricsServers(List.copyOf(names), List.copyOf(started));
    }

    /** Where each endpoint listens, for the launcher's start-up line: {@code metrics on URL}, or one per server. */
    public String describe() {
        if (servers.size() == 1) {
            return "metrics on " + servers.get(0).url();
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            each.add(names.get(i) + " " + servers.get(i).url());
        }
        return "metrics: " + String.join(", ", each);
    }

    @Override
    public void close() {
        for (MetricsServer s : servers) {
            s.close();
        }
    }
}
