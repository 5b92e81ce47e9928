package herd.engine.config;

/**
 * A bidirectional link between two servers, stored with the names in sorted order. The
 * first name ({@link #dialer()}) is the end that dials and redials; the other accepts, and
 * dials only once, to announce itself when it starts. The dialler decides which of two
 * connections is kept, so a link has exactly one.
 */
public record Link(String dialer, String acceptor) {

    /** The link between {@code a} and {@code b}, in either order. */
    public static Link between(String a, String b) {
        if (a.equals(b)) {
            throw new IllegalArgumentException("a link needs two different servers: " + a);
        }
        return a.compareTo(b) < 0 ? new Link(a, b) : new Link(b, a);
    }

    public boolean touches(String server) {
        return dialer.equals(server) || acceptor.equals(server);
    }

    /** The end that is not {@code server}. */
    public String other(String server) {
        return dialer.equals(server) ? acceptor : dialer;
    }

    @Override
    public String toString() {
        return dialer + "–" + acceptor;
    }
}
