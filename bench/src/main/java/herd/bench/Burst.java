package herd.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 7: a burst of connections opened at once at one server. From one thread and one
 * NIO selector, every non-blocking connect is issued before anything is awaited; each
 * connection, once its handshake completes, sends one IAMAT for a client id of its own and
 * reads its AT reply, which is checked ({@link Replies}). Times the first connect to the last
 * correct reply, counts the connections refused, reset, closed, answered wrongly or not
 * answered within the deadline, and reads the machine's listen-queue counters ({@code
 * TcpExt ListenOverflows} and {@code ListenDrops}) before and after. A server whose accept
 * backlog is small overflows at once: the kernel drops the handshakes it cannot queue, and
 * their clients retry one, three, seven seconds later. Then closes every connection and
 * waits until the server holds no more descriptors than before. Caller's thread.
 */
final class Burst {

    /** A connection not answered by then failed. */
    static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Descriptors left free besides the burst's, here and in the server: logs, links, the JVM's own files. */
    static final int SPARE_FILES = 256;
    /** An AT reply is about 100 bytes; a line longer than this is not one. */
    private static final int REPLY_BYTES = 512;
    private static final int MAX_SAMPLES = 5;
    /** Answered client ids handed to the lost-update audit (and the last one). */
    private static final int AUDITED = 16;

    /**
     * One burst.
     *
     * @param asked     connections asked for
     * @param opened    connections attempted: fewer than asked when an open-file limit is lower (see notes)
     * @param answered  connections whose AT reply was right
     * @param failures  how many connections failed, by what went wrong
     * @param millis    first connect to the last correct reply; NaN when none was right
     * @param listen    ListenOverflows and ListenDrops added meanwhile (whole machine), if readable
     * @param audited   some answered client ids with their IAMAT times, for {@link UpdateAudit}
     * @param samples   a few wrong replies, word for word
     * @param notes     for people: limits that applied, and how the burst went
     * @param unsettled null, or why the server did not return to its descriptors before the burst
     */
    record Result(int asked, int opened, long answered, Map<String, Long> failures, double millis,
                  Optional<ListenCounters> listen, Map<String, String> audited, List<String> samples,
                  List<String> notes, String unsettled) {

        long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Connections answered per second of the burst. */
        double perSecond() {
            return millis > 0 ? answered * 1000 / millis : Double.NaN;
        }
    }

    /** The kernel's listen-queue counters, for every listener of the machine (network namespace). */
    record ListenCounters(long overflows, long drops) {

        static Optional<ListenCounters> read() {
            return ProcFs.netstat().flatMap(c -> {
                Long overflows = c.get("TcpExt.ListenOverflows");
                Long drops = c.get("TcpExt.ListenDrops");
                return overflows == null || drops == null ? Optional.empty()
                        : Optional.of(new ListenCounters(overflows, drops));
            });
        }

        ListenCounters since(ListenCounters before) {
            return new ListenCounters(overflows - before.overflows, drops - before.drops);
        }
    }

    /** One connection of the burst; touched only by the thread running it. */
    private static final class Connection {
        final String id;
        final String location;
        SocketChannel channel;
        SelectionKey key;
        String operands;
        String time;
        ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocate(REPLY_BYTES);
        boolean connected;
        boolean finished;
        boolean answered;

        Connection(String id, String location) {
            this.id = id;
            this.location = location;
        }
    }

    private final String server;
    private final Map<String, Long> failures = new LinkedHashMap<>();
    private final List<String> samples = new ArrayList<>();
    private final ClientClock clock = new ClientClock();
    private int finished;
    private int connected;
    private long answered;
    private long lastReply;

    private Burst(String server) {
        this.server = server;
    }

    /**
     * Opens {@code connections} connections at once at {@code server} (fewer if this process's
     * or the server's open-file limit would not hold them), each sending one IAMAT with a client
     * id starting {@code idPrefix}; then closes them all and waits until the server's process,
     * when known, holds no more descriptors than before.
     */
    static Result measure(HerdLayout herd, String server, OptionalLong pid, int connections, String idPrefix) {
        List<String> notes = new ArrayList<>();
        int n = fit(connections, pid, notes);
        somaxconn().filter(s -> s < 1024).ifPresent(s -> notes.add("7 accept burst: net.core.somaxconn is " + s
                + ", so the kernel caps every listener's backlog at " + s + " (both herds ask for 1024)"));
        int filesBefore = pid.isPresent() ? ProcFs.openFiles(pid.getAsLong()) : -1;
        Result r = run(herd.address(server), server, connections, n, idPrefix, DEADLINE, notes);
        String unsettled = null;
        if (pid.isPresent()) {
            long p = pid.getAsLong();
            // others of the server's descriptors may close meanwhile (an earlier scenario's): a few short is fine
            int slack = Math.max(8, n / 1000);
            try {
                Capacity.awaitCondition(() -> ProcFs.openFiles(p) <= filesBefore + slack, DEADLINE,
                        () -> server + " still held " + (ProcFs.openFiles(p) - filesBefore) + " more descriptors than "
                                + "before the burst " + DEADLINE.toSeconds() + " s after the tool closed its connections");
            } catch (BenchException e) {
                unsettled = e.getMessage();
            }
        }
        return new Result(r.asked(), r.opened(), r.answered(), r.failures(), r.millis(), r.listen(), r.audited(),
                r.samples(), r.notes(), unsettled);
    }

    /**
     * How many of {@code asked} connections fit under this process's open-file limit and, when
     * its process is known, the server's; says so in {@code notes} when fewer do.
     */
    static int fit(int asked, OptionalLong pid, List<String> notes) {
        long selfLimit = ProcFs.openFileLimit("self");
        int selfOpen = ProcFs.openFiles(ProcessHandle.current().pid());
        int n = fitting(asked, selfLimit, selfOpen);
        String why = "this tool's open-file limit is " + selfLimit + " with " + selfOpen + " open";
        if (pid.isPresent()) {
            long serverLimit = ProcFs.openFileLimit(Long.toString(pid.getAsLong()));
            int serverOpen = ProcFs.openFiles(pid.getAsLong());
            int forServer = fitting(asked, serverLimit, serverOpen);
            if (forServer < n) {
                n = forServer;
                why = "the server's (pid " + pid.getAsLong() + ") open-file limit is " + serverLimit + " with "
                        + serverOpen + " open";
            }
        }
        if (n < asked) {
            notes.add(String.format(Locale.ROOT, "7 accept burst: %,d connections instead of %,d: %s and %d are kept "
                    + "spare; raise the limit with `ulimit -n $(ulimit -Hn)` before starting (bench/run.sh does)",
                    n, asked, why, SPARE_FILES));
        }
        return n;
    }

    /** {@code wanted}, or fewer so that {@code open} files plus those and {@link #SPARE_FILES} stay within {@code limit}. */
    static int fitting(int wanted, long limit, long open) {
        return (int) Math.max(0, Math.min(wanted, limit - open - SPARE_FILES));
    }

    private static Optional<Integer> somaxconn() {
        try {
            // by lines: Files.readString returned only "4" of "4096" here (a size-0 file under /proc/sys)
            return Optional.of(Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).strip()));
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /**
     * The burst itself, against any listener: {@code n} connections at {@code address}, each
     * answered within {@code deadline} of the first connect or failed. Closes them all before
     * returning.
     */
    static Result run(InetSocketAddress address, String server, int asked, int n, String idPrefix, Duration deadline,
                      List<String> notes) {
        Burst b = new Burst(server);
        List<Connection> cs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cs.add(new Connection(idPrefix + i, Throughput.location(i)));
        }
        Optional<ListenCounters> before = ListenCounters.read();
        long t0;
        long issued;
        long allConnected = -1;
        Selector selector;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new BenchException("cannot open a selector: " + e.getMessage());
        }
        try {
            t0 = System.nanoTime();
            for (Connection c : cs) {
                b.connect(c, selector, address);
            }
            issued = System.nanoTime();
            long until = t0 + deadline.toNanos();
            while (b.finished < n) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    selector.select(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (IOException e) {
                    throw new BenchException("selector failed: " + e.getMessage());
                }
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    b.ready(k);
                }
                if (allConnected < 0 && b.connected == n) {
                    allConnected = System.nanoTime();
                }
            }
            int connecting = 0;
            int waiting = 0;
            for (Connection c : cs) {
                if (!c.finished) {
                    if (!c.connected) {
                        connecting++;
                    } else {
                        waiting++;
                    }
                }
            }
            String within = deadline.toMillis() % 1000 == 0 ? deadline.toSeconds() + " s" : deadline.toMillis() + " ms";
            b.count("not connected within " + within, connecting);
            b.count("connected, no reply within " + within, waiting);
        } finally {
            for (Connection c : cs) {
                if (c.channel != null) {
                    try {
                        c.channel.close();
                    } catch (IOException ignored) {
                        // closing at the end of the burst: nothing left to measure on it
                    }
                }
            }
            try {
                selector.close(); // deregisters the channels, which only then really close
            } catch (IOException ignored) {
                // as above
            }
        }
        Optional<ListenCounters> listen = before.flatMap(x -> ListenCounters.read().map(after -> after.since(x)));
        if (listen.isEmpty()) {
            notes.add("7 accept burst: listen-queue overflows not read (no TcpExt ListenOverflows in /proc/net/netstat)");
        }
        double millis = b.answered > 0 ? (b.lastReply - t0) / 1e6 : Double.NaN;
        notes.add(String.format(Locale.ROOT, "7 accept burst at %s: %,d connects issued in %.0f ms, %s, "
                        + "%,d answered right, the last %s after the first connect; %,d failed%s",
                server, n, (issued - t0) / 1e6,
                allConnected < 0 ? "not all connected" : String.format(Locale.ROOT, "all connected after %.0f ms",
                        (allConnected - t0) / 1e6),
                b.answered, Double.isNaN(millis) ? "none" : String.format(Locale.ROOT, "%.0f ms", millis), b.failed(),
                b.failures.isEmpty() ? "" : " (" + describe(b.failures) + ")"));
        return new Result(asked, n, b.answered, java.util.Collections.unmodifiableMap(b.failures), millis, listen, audited(cs),
                List.copyOf(b.samples), List.copyOf(notes), null);
    }

    private void connect(Connection c, Selector selector, InetSocketAddress address) {
        try {
            c.channel = SocketChannel.open();
            c.channel.configureBlocking(false);
            c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
            if (c.channel.connect(address)) {
                connected(c);
            }
        } catch (IOException e) {
            fail(c, "connect failed: " + e.getMessage());
        }
    }

    private void ready(SelectionKey k) {
        Connection c = (Connection) k.attachment();
        if (c.finished || !k.isValid()) {
            return;
        }
        try {
            if (k.isConnectable()) {
                if (!c.channel.finishConnect()) {
                    return;
                }
                connected(c);
                return;
            }
            if (k.isWritable()) {
                write(c);
            }
            if (k.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            // a failed connect closes its channel (and so cancels its key): the flag says which it was
            fail(c, (c.connected ? "reset before its reply: " : "connect failed: ") + e.getMessage());
        }
    }

    /** The handshake is done: sends the IAMAT. */
    private void connected(Connection c) throws IOException {
        connected++;
        c.connected = true;
        c.time = clock.next();
        c.operands = " " + c.id + " " + c.location + " " + c.time;
        c.out = ByteBuffer.wrap((Replies.iamat(c.id, c.location, c.time) + "\n").getBytes(StandardCharsets.UTF_8));
        c.key.interestOps(SelectionKey.OP_READ);
        write(c);
    }

    private void write(Connection c) throws IOException {
        c.channel.write(c.out);
        c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read(Connection c) throws IOException {
        if (c.channel.read(c.in) < 0) {
            fail(c, "closed by the server before its reply");
            return;
        }
        byte[] bytes = c.in.array();
        for (int i = 0; i < c.in.position(); i++) {
            if (bytes[i] == '\n') {
                String problem = Replies.checkAt(new String(bytes, 0, i, StandardCharsets.UTF_8), server, c.operands);
                if (problem != null) {
                    sample(problem);
                    fail(c, "wrong reply");
                    return;
                }
                answered++;
                lastReply = System.nanoTime();
                c.answered = true;
                done(c);
                return;
            }
        }
        if (!c.in.hasRemaining()) {
            sample("no line end in the first " + REPLY_BYTES + " bytes of the reply to " + c.id);
            fail(c, "wrong reply");
        }
    }

    private void fail(Connection c, String why) {
        count(why, 1);
        done(c);
    }

    private void done(Connection c) {
        c.finished = true;
        finished++;
        if (c.key != null && c.key.isValid()) {
            c.key.interestOps(0);
        }
    }

    private void count(String why, long n) {
        if (n > 0) {
            failures.merge(why, n, Long::sum);
        }
    }

    private long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    private void sample(String problem) {
        if (samples.size() < MAX_SAMPLES) {
            samples.add(problem);
        }
    }

    /** Every (n / {@link #AUDITED})-th answered connection's client id and time, and the last one's. */
    private static Map<String, String> audited(List<Connection> cs) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Connection> right = cs.stream().filter(c -> c.answered).toList();
        int every = Math.max(1, right.size() / AUDITED);
        for (int i = 0; i < right.size(); i += every) {
            out.put(right.get(i).id, right.get(i).time);
        }
        if (!right.isEmpty()) {
            Connection last = right.get(right.size() - 1);
            out.put(last.id, last.time);
        }
        return out;
    }

    /** {@code 12 not connected within 30 s, 3 reset before its reply: Connection reset by peer}. */
    static String describe(Map<String, Long> failures) {
        StringBuilder b = new StringBuilder();
        failures.forEach((why, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(why));
        return b.toString();
    }
}
