package herd.launcher.metrics;

import herd.engine.ServerMetrics;

/**
 * What {@code /health} answers for one server, for a load balancer: 200 while the server
 * listens and is linked to the herd (at least one link up, or no neighbours configured), 503
 * while it is down or cut off from every neighbour, where the reports its clients send reach
 * nobody else. The body says which, with the links up of those configured:
 * {@code up; links 3/3}, {@code isolated; links 0/3}, {@code down}.
 *
 * @param status the HTTP status
 * @param body   one line for people, without its newline
 */
public record Health(int status, String body) {

    public static Health of(ServerMetrics m) {
        if (!m.up()) {
            return new Health(503, "down");
        }
        int configured = m.links().size();
        int up = m.linksUp();
        String links = "links " + up + "/" + configured;
        if (configured > 0 && up == 0) {
            return new Health(503, "isolated; " + links);
        }
        return new Health(200, "up; " + links);
    }
}
