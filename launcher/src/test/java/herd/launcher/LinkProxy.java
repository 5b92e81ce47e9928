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

/**
 * Stands in front of one server's port for its peers (the chaos test gives each process a
 * config in which its neighbours live at their proxies), so that the test can cut one link
 * between real processes: it reads a connection's first line, {@code HERD-PEER a b}, and
 * then either refuses (the link a–b is cut) or relays both ways. Cutting also drops the
 * relays already open for that link. Blocking sockets, two threads per relay: test code.
 */
final class LinkProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<String> cut;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();

    private record Relay(String link, Socket in, Socket out) {
        void close() {
            closeQuietly(in);
            closeQuietly(out);
        }
    }

    LinkProxy(int port, int target, Set<String> cut) throws IOException {
        this.listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.cut = cut;
        Thread t = new Thread(this::acceptLoop, "link-proxy-" + port);
        t.setDaemon(true);
        t.start();
    }

    static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a;
    }

    static Set<String> newCutSet() {
        return ConcurrentHashMap.newKeySet();
    }

    /** Drops the open relays of link {@code a–b} (call after adding it to the cut set). */
    void dropRelays(String a, String b) {
        String k = key(a, b);
        for (Relay r : relays) {
            if (r.link().equals(k)) {
                r.close();
                relays.remove(r);
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
        try {
            in.setSoTimeout(10_000);
            byte[] first = readLine(in.getInputStream());
            String[] f = new String(first, StandardCharsets.UTF_8).trim().split("\\s+");
            if (f.length < 3 || !f[0].startsWith("HERD-PEER") || cut.contains(key(f[1], f[2]))) {
                in.close();
                return;
            }
            in.setSoTimeout(0);
            Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
            Relay relay = new Relay(key(f[1], f[2]), in, out);
            relays.add(relay);
            out.getOutputStream().write(first);
            out.getOutputStream().write('\n');
            pump(in, out, relay);
            pump(out, in, relay);
        } catch (IOException e) {
            closeQuietly(in);
        }
    }

    private void pump(Socket from, Socket to, Relay relay) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
                for (int n; (n = is.read(buf)) != -1; ) {
                    os.write(buf, 0, n);
                }
            } catch (IOException e) {
                // one side went away: the relay ends
            } finally {
                relay.close();
                relays.remove(relay);
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
