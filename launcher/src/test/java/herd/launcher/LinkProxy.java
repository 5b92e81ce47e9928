package herd.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in front of one server's port for its peers (the chaos test gives each process a
 * config in which its neighbours live at their proxies), so that the test can cut one link
 * between real processes: it reads a connection's first line, {@code HERD-PEER a b}, and
 * then either refuses (the link a–b is cut) or relays both ways. Cutting also drops the
 * relays already open for that link.
 *
 * <p>It also tells the test which links are up: a relay is <em>established</em> once the
 * server behind the proxy has answered {@code HERD-PEER-OK} (from then on both ends carry
 * the link), and every relay established or an established relay closed counts as one
 * {@linkplain #linkEvents() link event}. A link that came up exchanged tables; no link event
 * over a stretch of time means none did.
 *
 * <p>Blocking sockets, two threads per relay: test code.
 */
final class LinkProxy implements AutoCloseable {

    private static final byte[] WELCOME = "HERD-PEER-OK ".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private volatile int target;
    private final Set<String> cut;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();
    private final AtomicLong linkEvents = new AtomicLong();
    private volatile long lastLinkEventMillis = System.currentTimeMillis();

    /** One relayed peer connection of link {@link #link}. */
    final class Relay {
        final String link;
        final Socket in;
        final Socket out;
        private volatile long establishedAtMillis;
        private final AtomicBoolean closed = new AtomicBoolean();

        Relay(String link, Socket in, Socket out) {
            this.link = link;
            this.in = in;
            this.out = out;
        }

        /** When the server behind the proxy answered HERD-PEER-OK; 0 before. */
        long establishedAtMillis() {
            return establishedAtMillis;
        }

        private void established() {
            establishedAtMillis = System.currentTimeMillis();
            linkEvent();
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            closeQuietly(in);
            closeQuietly(out);
            relays.remove(this);
            if (establishedAtMillis != 0) {
                linkEvent();
            }
        }
    }

    /** A proxy on a free loopback port, relaying to {@code target}. */
    LinkProxy(int target, Set<String> cut) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.cut = cut;
        Thread t = new Thread(this::acceptLoop, "link-proxy-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a;
    }

    static Set<String> newCutSet() {
        return ConcurrentHashMap.newKeySet();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Relays new connections to {@code port} (the server behind moved). */
    void retarget(int port) {
        target = port;
    }

    /** Relays established and established relays closed so far. */
    long linkEvents() {
        return linkEvents.get();
    }

    long lastLinkEventMillis() {
        return lastLinkEventMillis;
    }

    /** The established relays open now. */
    List<Relay> established() {
        return relays.stream().filter(r -> r.establishedAtMillis() != 0).toList();
    }

    private void linkEvent() {
        lastLinkEventMillis = System.currentTimeMillis();
        linkEvents.incrementAndGet();
    }

    /** Drops the open relays of link {@code a–b} (call after adding it to the cut set). */
    void dropRelays(String a, String b) {
        String k = key(a, b);
        for (Relay r : relays) {
            if (r.link.equals(k)) {
                r.close();
            }
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket in = listener.accept();
                Thread t = new Thread(() -> open(in), "link-proxy-open");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void open(Socket in) {
        Socket out = null;
        try {
            in.setSoTimeout(10_000);
            byte[] first = readLine(in.getInputStream());
            String[] f = new String(first, StandardCharsets.UTF_8).trim().split("\\s+");
            if (f.length < 3 || !f[0].startsWith("HERD-PEER") || cut.contains(key(f[1], f[2]))) {
                in.close();
                return;
            }
            in.setSoTimeout(0);
            out = new Socket(InetAddress.getLoopbackAddress(), target);
            Relay relay = new Relay(key(f[1], f[2]), in, out);
            relays.add(relay);
            if (cut.contains(relay.link)) { // cut while this one was opening
                relay.close();
                return;
            }
            out.getOutputStream().write(first);
            out.getOutputStream().write('\n');
            pump(in, out, relay, false);
            pump(out, in, relay, true);
        } catch (IOException e) {
            closeQuietly(in);
            if (out != null) {
                closeQuietly(out);
            }
        }
    }

    /** Copies {@code from} to {@code to}; on the server's side, watches for its HERD-PEER-OK. */
    private void pump(Socket from, Socket to, Relay relay, boolean fromServer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            int matched = 0; // bytes of WELCOME matched at the start of a line so far
            boolean lineStart = true;
            boolean watching = fromServer;
            try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
                for (int n; (n = is.read(buf)) != -1; ) {
                    os.write(buf, 0, n);
                    for (int i = 0; watching && i < n; i++) {
                        byte b = buf[i];
                        if (lineStart && matched < WELCOME.length && b == WELCOME[matched]) {
                            if (++matched == WELCOME.length) {
                                watching = false;
                                relay.established();
                            }
                            continue;
                        }
                        matched = 0;
                        lineStart = b == '\n';
                    }
                }
            } catch (IOException e) {
                // one side went away: the relay ends
            } finally {
                relay.close();
            }
        }, "link-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            if (line.size() > 1000) {
                throw new IOException("not a handshake");
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        relays.forEach(Relay::close);
    }
}
