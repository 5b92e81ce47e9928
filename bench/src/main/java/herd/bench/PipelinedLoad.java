package herd.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load over many client connections from one thread and one NIO selector:
 * each client keeps {@code depth} requests in flight on its own connection and sends the
 * next one as soon as a reply comes back. Every reply is checked ({@link Replies}), and
 * the time from writing a request to reading its reply is recorded in an HdrHistogram.
 * Closed loop means latencies are those of a client that waits for its answers (no
 * coordinated-omission correction); replies per second is what the herd sustained.
 *
 * <p>Also holds many idle connections (the capacity scenario): {@link #connect} opens
 * them, and they cost this process nothing until {@link #run} sends on them.
 *
 * <p>Threading: {@link #connect}, {@link #run} and {@link #close} run on the caller's
 * thread, one at a time; {@link #stop()} may be called from any thread.
 */
final class PipelinedLoad implements AutoCloseable {

    /** What the clients send. */
    enum Kind {
        /** A fresh IAMAT each time (newer client time), so every request floods the herd. */
        IAMAT,
        /**
         * An IAMAT for a client id never used before each time ({@code <client id>-<n>}), so
         * every request adds a client to every server's table.
         */
        IAMAT_NEW_CLIENT,
        /** WHATSAT for the client's own id with a fixed radius: the same upstream query again and again. */
        WHATSAT_SAME,
        /** WHATSAT with a radius never used before by this load: a new upstream query each time. */
        WHATSAT_DISTINCT
    }

    static final int WHATSAT_BOUND = 20;
    private static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int MAX_ERROR_SAMPLES = 5;
    private static final int FULL_PARSE_EVERY = 64;

    /** One simulated client: its connection, id and requests in flight. */
    static final class Client {
        final String server;
        final InetSocketAddress address;
        final String id;
        final String location;
        final ClientClock clock = new ClientClock();
        /** The newest IAMAT time sent, for the lost-update audit. */
        String newestTime;
        /** For {@link Kind#IAMAT_NEW_CLIENT}: the client id that {@link #newestTime} was sent for. */
        String newestId;
        /** For WHATSAT loads: the AT line the server must answer with. */
        String storedAt;
        SocketChannel channel;
        SelectionKey key;
        final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        long sent;
        private byte[] in = new byte[512];
        private int inStart;
        private int inEnd;
        private int scanned;
        private ByteBuffer out = ByteBuffer.allocate(512);

        Client(String server, InetSocketAddress address, String id, String location) {
            this.server = server;
            this.address = address;
            this.id = id;
            this.location = location;
        }
    }

    private record InFlight(long sentNanos, boolean whatsAt, String expect) {}

    /** What one {@link #run} measured. */
    record Outcome(long replies, double seconds, Histogram latency, long answered, long errors,
                   List<String> errorSamples) {
        double perSecond() {
            return seconds <= 0 ? 0 : replies / seconds;
        }
    }

    private final Kind kind;
    private final List<Client> clients;
    private final Selector selector;
    private volatile boolean stopRequested;
    /** Shared by every load of this process, so no later load repeats an earlier one's queries. */
    private static final java.util.concurrent.atomic.AtomicLong DISTINCT = new java.util.concurrent.atomic.AtomicLong();
    /** Requests sent and not yet answered, over all clients. */
    private long outstanding;
    /** Clients whose connection is still open. */
    private int live;
    private long errors;
    private long answered;
    private int expectedResults = WHATSAT_BOUND;
    private long auditEvery = Long.MAX_VALUE;
    /** For {@link Kind#IAMAT_NEW_CLIENT}: the client ids kept for the audit, with their times. */
    private final Map<String, String> audited = new LinkedHashMap<>();
    private final List<String> errorSamples = new ArrayList<>();

    private PipelinedLoad(Kind kind, List<Client> clients) {
        this.kind = kind;
        this.clients = clients;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new BenchException("cannot open a selector: " + e.getMessage());
        }
    }

    /**
     * Opens a connection for every client, at most {@code maxConnecting} handshakes at a
     * time (a server's accept backlog may be small), within {@code limit}.
     */
    static PipelinedLoad connect(Kind kind, List<Client> clients, int maxConnecting, Duration limit) {
        PipelinedLoad load = new PipelinedLoad(kind, clients);
        try {
            load.openAll(maxConnecting, limit);
        } catch (RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    private void openAll(int maxConnecting, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        int next = 0;
        int pending = 0;
        int connected = 0;
        while (connected < clients.size()) {
            while (pending < maxConnecting && next < clients.size()) {
                Client c = clients.get(next++);
                try {
                    c.channel = SocketChannel.open();
                    c.channel.configureBlocking(false);
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.key = c.channel.register(selector, 0, c);
                    if (c.channel.connect(c.address)) {
                        c.key.interestOps(SelectionKey.OP_READ);
                        connected++;
                        live++;
                    } else {
                        c.key.interestOps(SelectionKey.OP_CONNECT);
                        pending++;
                    }
                } catch (IOException e) {
                    throw new BenchException("cannot open connection " + next + " of " + clients.size() + " to "
                            + c.server + ": " + e.getMessage() + openFilesHint(e));
                }
            }
            select(100);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                Client c = (Client) k.attachment();
                if (k.isValid() && k.isConnectable()) {
                    try {
                        c.channel.finishConnect();
                    } catch (IOException e) {
                        throw new BenchException("connection to " + c.server + " failed: " + e.getMessage());
                    }
                    k.interestOps(SelectionKey.OP_READ);
                    pending--;
                    connected++;
                    live++;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException("only " + connected + " of " + clients.size() + " connections opened within "
                        + limit.toSeconds() + " s");
            }
        }
    }

    private static String openFilesHint(IOException e) {
        return String.valueOf(e.getMessage()).contains("Too many open files")
                ? " (raise the open-file limit: ulimit -n $(ulimit -Hn); bench/run.sh does)" : "";
    }

    /**
     * Runs the load: each client keeps {@code depth} requests in flight and sends at most
     * {@code perClient} requests in all (0: no limit). Replies and latencies count from
     * {@code warmup} on, for {@code measure}; then sending stops and the replies still due
     * are awaited for up to {@code drain} (any still missing then are errors).
     */
    Outcome run(int depth, long perClient, Duration warmup, Duration measure, Duration drain) {
        Histogram latency = new Histogram(MAX_LATENCY_NS, 3);
        long started = System.nanoTime();
        long from = started + warmup.toNanos();
        long to = from + measure.toNanos();
        long drainUntil = Long.MAX_VALUE;
        long replies = 0;
        for (Client c : clients) {
            for (int i = 0; i < depth && mayMore(c, perClient); i++) {
                enqueue(c, System.nanoTime());
            }
            flush(c);
        }
        while (true) {
            long now = System.nanoTime();
            boolean sending = now < to && !stopRequested && live > 0;
            if (!sending && drainUntil == Long.MAX_VALUE) {
                drainUntil = now + drain.toNanos();
            }
            if (outstanding == 0 && (!sending || perClient > 0 && clients.stream().noneMatch(c -> mayMore(c, perClient)))) {
                break;
            }
            if (now > drainUntil) {
                error(outstanding + " replies still missing " + drain.toMillis() + " ms after the load stopped");
                errors += outstanding - 1;
                break;
            }
            select(5);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                Client c = (Client) k.attachment();
                if (k.isValid() && k.isWritable()) {
                    flush(c);
                }
                if (k.isValid() && k.isReadable()) {
                    long done = receive(c, from, to, latency);
                    long t = System.nanoTime();
                    if (done > 0 && t >= from && t < to) {
                        replies += done;
                    }
                    boolean more = t < to && !stopRequested;
                    for (long i = 0; i < done && more && mayMore(c, perClient); i++) {
                        enqueue(c, t);
                    }
                    flush(c);
                }
            }
        }
        long end = System.nanoTime();
        double seconds = (perClient > 0 ? end - from : Math.max(0, Math.min(end, to) - from)) / 1e9;
        return new Outcome(replies, seconds, latency, answered, errors, List.copyOf(errorSamples));
    }

    private static boolean mayMore(Client c, long perClient) {
        return c.key.isValid() && (perClient == 0 || c.sent < perClient);
    }

    /** WHATSAT replies must list {@code n} results (-1: any number, any status). */
    PipelinedLoad expectResults(int n) {
        expectedResults = n;
        return this;
    }

    /**
     * For {@link Kind#IAMAT_NEW_CLIENT}: which new client ids {@link #newestTimes} hands the
     * audit: every {@code n}-th of each connection, and its last (by default only the first
     * and last), so that a million clients are not all audited.
     */
    PipelinedLoad auditEvery(long n) {
        auditEvery = Math.max(1, n);
        return this;
    }

    /** Asks a running {@link #run} to stop sending (from any thread). */
    void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    /**
     * Every client's newest IAMAT time, by client id; for {@link Kind#IAMAT_NEW_CLIENT}, the
     * time of each id kept for the audit ({@link #auditEvery}).
     */
    Map<String, String> newestTimes() {
        Map<String, String> out = new LinkedHashMap<>();
        if (kind == Kind.IAMAT_NEW_CLIENT) {
            out.putAll(audited);
        }
        for (Client c : clients) {
            if (c.newestTime != null) {
                out.put(kind == Kind.IAMAT_NEW_CLIENT ? c.newestId : c.id, c.newestTime);
            }
        }
        return out;
    }

    private void enqueue(Client c, long now) {
        String line;
        InFlight f;
        switch (kind) {
            case IAMAT, IAMAT_NEW_CLIENT -> {
                String time = c.clock.next();
                c.newestTime = time;
                String id = c.id;
                if (kind == Kind.IAMAT_NEW_CLIENT) {
                    id = c.id + "-" + c.sent;
                    c.newestId = id;
                    if (c.sent % auditEvery == 0) {
                        audited.put(id, time);
                    }
                }
                String operands = " " + id + " " + c.location + " " + time;
                line = "IAMAT" + operands;
                f = new InFlight(now, false, operands);
            }
            case WHATSAT_SAME -> {
                line = "WHATSAT " + c.id + " 10 " + WHATSAT_BOUND;
                f = new InFlight(now, true, c.storedAt);
            }
            default -> {
                long n = DISTINCT.getAndIncrement();
                // 1.000 .. 49.999 km: a radius this load has not asked for recently, so no cache can answer
                String radius = (1 + (n / 1000) % 49) + "." + (1000 + n % 1000 + "").substring(1);
                line = "WHATSAT " + c.id + " " + radius + " " + WHATSAT_BOUND;
                f = new InFlight(now, true, c.storedAt);
            }
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (c.out.remaining() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(c.out.capacity() * 2, c.out.position() + bytes.length));
            c.out.flip();
            bigger.put(c.out);
            c.out = bigger;
        }
        c.out.put(bytes);
        c.inFlight.addLast(f);
        c.sent++;
        outstanding++;
    }

    private void flush(Client c) {
        if (c.out.position() == 0 || !c.key.isValid()) {
            return;
        }
        c.out.flip();
        try {
            c.channel.write(c.out);
        } catch (IOException e) {
            c.out.clear();
            fail(c, "write failed: " + e.getMessage());
            return;
        }
        c.out.compact();
        c.key.interestOps(c.out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Reads what arrived and checks every complete reply; returns how many were complete. */
    private long receive(Client c, long from, long to, Histogram latency) {
        if (c.inEnd == c.in.length) {
            if (c.inStart > 0) {
                System.arraycopy(c.in, c.inStart, c.in, 0, c.inEnd - c.inStart);
                c.inEnd -= c.inStart;
                c.inStart = 0;
            } else {
                c.in = java.util.Arrays.copyOf(c.in, c.in.length * 2);
            }
        }
        int n;
        try {
            n = c.channel.read(ByteBuffer.wrap(c.in, c.inEnd, c.in.length - c.inEnd));
        } catch (IOException e) {
            fail(c, "read failed: " + e.getMessage());
            return 0;
        }
        if (n < 0) {
            fail(c, "the server closed the connection with " + c.inFlight.size() + " replies due");
            return 0;
        }
        c.inEnd += n;
        long done = 0;
        while (!c.inFlight.isEmpty()) {
            InFlight head = c.inFlight.peekFirst();
            int replyEnd = replyEnd(c, head.whatsAt());
            if (replyEnd < 0) {
                break;
            }
            long now = System.nanoTime();
            String reply = new String(c.in, c.inStart, replyEnd - c.inStart, StandardCharsets.UTF_8);
            c.inStart = replyEnd;
            c.scanned = 0;
            c.inFlight.removeFirst();
            outstanding--;
            answered++;
            done++;
            String problem = head.whatsAt()
                    ? Replies.checkWhatsAt(reply, head.expect(), expectedResults, c.sent % FULL_PARSE_EVERY == 0)
                    : Replies.checkAt(reply.substring(0, reply.length() - 1), c.server, head.expect());
            if (problem != null) {
                error(c.server + ": " + problem);
            } else if (head.sentNanos() >= from && now < to) {
                latency.recordValue(Math.min(now - head.sentNanos(), MAX_LATENCY_NS));
            }
        }
        if (c.inStart == c.inEnd) {
            c.inStart = 0;
            c.inEnd = 0;
        }
        return done;
    }

    /** Where the reply at the head of the buffer ends (exclusive), or -1 if it is incomplete. */
    private static int replyEnd(Client c, boolean whatsAt) {
        byte[] b = c.in;
        boolean oneLine = !whatsAt || c.inEnd > c.inStart && b[c.inStart] == '?';
        for (int i = c.inStart + Math.max(c.scanned, 1) - 1; i < c.inEnd; i++) {
            if (b[i] == '\n' && (oneLine || i > c.inStart && b[i - 1] == '\n')) {
                return i + 1;
            }
        }
        c.scanned = Math.max(1, c.inEnd - c.inStart);
        return -1;
    }

    private void fail(Client c, String why) {
        error(c.server + " (" + c.id + "): " + why);
        errors += Math.max(0, c.inFlight.size() - 1);
        outstanding -= c.inFlight.size();
        c.inFlight.clear();
        c.key.cancel();
        live--;
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // already failing this connection; the error is counted above
        }
    }

    private void error(String what) {
        errors++;
        if (errorSamples.size() < MAX_ERROR_SAMPLES) {
            errorSamples.add(what);
        }
    }

    private void select(long millis) {
        try {
            selector.select(millis);
        } catch (IOException e) {
            throw new BenchException("selector failed: " + e.getMessage());
        }
    }

    int size() {
        return clients.size();
    }

    @Override
    public void close() {
        for (Client c : clients) {
            if (c.channel != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing at the end of a scenario: nothing left to measure
                }
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // as above
        }
    }
}
