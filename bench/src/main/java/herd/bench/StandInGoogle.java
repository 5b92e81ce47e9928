package herd.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 server that answers Places Nearby Search the way Google does, at
 * once: 20 Google-shaped results (about 14 KB) when the key matches, {@code REQUEST_DENIED}
 * otherwise. It counts the requests it answered, which tells cache hits from misses.
 *
 * <p>Deliberately tiny and fast (one thread, one selector, keep-alive, canned bytes) so
 * that the herd, not the stand-in, limits the WHATSAT scenario; the JDK's
 * {@code com.sun.net.httpserver} tops out near the herds' own rates on two cores. It reads
 * a request up to its blank line and ignores any body (Nearby Search is a GET).
 */
final class StandInGoogle implements AutoCloseable {

    static final String PATH = "/maps/api/place/nearbysearch/json";
    static final int RESULTS = 20;
    private static final int MAX_REQUEST = 64 * 1024;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread thread;
    private final byte[] ok;
    private final byte[] denied;
    private final byte[] notFound;
    private final String keyParam;
    private final AtomicLong served = new AtomicLong();
    private volatile boolean closing;

    /** One keep-alive connection: request bytes read so far, response bytes not yet written. */
    private static final class Conn {
        final SocketChannel channel;
        byte[] in = new byte[2048];
        int length;
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    StandInGoogle(String key) {
        this.keyParam = "key=" + key;
        this.ok = response("200 OK", nearbyBody());
        this.denied = response("200 OK", "{\n   \"html_attributions\" : [],\n   \"results\" : [],\n"
                + "   \"status\" : \"REQUEST_DENIED\",\n   \"error_message\" : \"The provided API key is invalid.\"\n}\n");
        this.notFound = response("404 Not Found", "not found\n");
        try {
            selector = Selector.open();
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new BenchException("cannot start the stand-in Google: " + e.getMessage());
        }
        thread = new Thread(this::serve, "stand-in-google");
        thread.setDaemon(true);
        thread.start();
    }

    /** The Nearby Search URL for a herd config's {@code places.url}. */
    String url() {
        return "http://127.0.0.1:" + listener.socket().getLocalPort() + PATH;
    }

    /** Requests answered so far. */
    long served() {
        return served.get();
    }

    private static byte[] response(String status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: "
                + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    private void serve() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
        while (!closing) {
            try {
                selector.select(500);
            } catch (IOException e) {
                System.err.println("bench: stand-in Google stopped: " + e.getMessage());
                return;
            }
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                try {
                    if (k.isAcceptable()) {
                        accept();
                    } else {
                        Conn c = (Conn) k.attachment();
                        if (k.isReadable()) {
                            read(k, c, scratch);
                        }
                        if (k.isValid() && k.isWritable()) {
                            write(k, c);
                        }
                    }
                } catch (IOException e) {
                    k.cancel();
                    closeQuietly(k.channel());
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, new Conn(ch));
        }
    }

    private void read(SelectionKey k, Conn c, ByteBuffer scratch) throws IOException {
        scratch.clear();
        int n = c.channel.read(scratch);
        if (n < 0) {
            k.cancel();
            c.channel.close();
            return;
        }
        scratch.flip();
        if (c.length + n > c.in.length) {
            if (c.length + n > MAX_REQUEST) {
                throw new IOException("request too long");
            }
            c.in = java.util.Arrays.copyOf(c.in, Math.max(c.in.length * 2, c.length + n));
        }
        scratch.get(c.in, c.length, n);
        c.length += n;
        int start = 0;
        for (int end; (end = headEnd(c.in, start, c.length)) >= 0; start = end) {
            String head = new String(c.in, start, end - start, StandardCharsets.ISO_8859_1);
            String target = head.substring(head.indexOf(' ') + 1, Math.max(head.indexOf(' ') + 1, head.indexOf(" HTTP/")));
            byte[] answer = !target.startsWith(PATH) ? notFound : target.contains(keyParam) ? ok : denied;
            c.out.add(ByteBuffer.wrap(answer));
            served.incrementAndGet();
        }
        System.arraycopy(c.in, start, c.in, 0, c.length - start);
        c.length -= start;
        write(k, c);
    }

    /** The end (exclusive) of the next request head in {@code b[from, to)}, or -1. */
    private static int headEnd(byte[] b, int from, int to) {
        for (int i = from + 3; i < to; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static void write(SelectionKey k, Conn c) throws IOException {
        while (!c.out.isEmpty()) {
            ByteBuffer b = c.out.peekFirst();
            c.channel.write(b);
            if (b.hasRemaining()) {
                break;
            }
            c.out.removeFirst();
        }
        k.interestOps(c.out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    private static void closeQuietly(java.io.Closeable ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // a client connection that already failed
        }
    }

    /** A Nearby Search answer with {@link #RESULTS} results, shaped and spaced like Google's. */
    static String nearbyBody() {
        StringBuilder b = new StringBuilder("{\n   \"html_attributions\" : [],\n   \"results\" : [\n");
        for (int i = 0; i < RESULTS; i++) {
            double lat = 34.068 + i * 0.0007;
            double lng = -118.445 + i * 0.0009;
            String id = String.format(Locale.ROOT, "ChIJ%020d", 4_000_000_000L + i * 7919L);
            b.append(String.format(Locale.ROOT, """
                          {
                             "business_status" : "OPERATIONAL",
                             "geometry" : {
                                "location" : {
                                   "lat" : %.7f,
                                   "lng" : %.7f
                                },
                                "viewport" : {
                                   "northeast" : {
                                      "lat" : %.7f,
                                      "lng" : %.7f
                                   },
                                   "southwest" : {
                                      "lat" : %.7f,
                                      "lng" : %.7f
                                   }
                                }
                             },
                             "icon" : "https://maps.gstatic.com/mapfiles/place_api/icons/v1/png_71/generic_business-71.png",
                             "name" : "Stand-in place number %d",
                             "place_id" : "%s",
                             "plus_code" : {
                                "compound_code" : "3H9%02d+X2 Los Angeles, California, United States",
                                "global_code" : "85633H9%02d+X2"
                             },
                             "rating" : %.1f,
                             "reference" : "%s",
                             "scope" : "GOOGLE",
                             "types" : [ "point_of_interest", "establishment" ],
                             "user_ratings_total" : %d,
                             "vicinity" : "%d Westwood Plaza, Los Angeles"
                          }""", lat, lng, lat + 0.0013, lng + 0.0013, lat - 0.0013, lng - 0.0013, i + 1, id, i, i,
                    3.0 + (i % 20) / 10.0, id, 10 + i * 37, 100 + i));
            b.append(i + 1 < RESULTS ? ",\n" : "\n");
        }
        return b.append("   ],\n   \"status\" : \"OK\"\n}\n").toString();
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey k : selector.keys()) {
            closeQuietly(k.channel());
        }
        closeQuietly(selector);
    }
}
