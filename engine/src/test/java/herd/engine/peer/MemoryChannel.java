package herd.engine.peer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One end of an in-memory connection: lines sent here arrive at the other end when the
 * test runs the network ({@link Net#run()}), in order, never re-entrantly, as on a socket.
 */
final class MemoryChannel implements PeerChannel {

    /**
     * The deliveries of every channel of a test. By default one queue, run in the order they
     * happen; with a random generator, one queue per lane (each direction of a connection, a
     * dial, a start), run in order within a lane and in a random order across lanes, as
     * independent connections and threads may interleave.
     */
    static final class Net {
        private final RandomGenerator random;
        private final Map<Object, ArrayDeque<Runnable>> lanes = new LinkedHashMap<>();

        Net() {
            this(null);
        }

        Net(RandomGenerator random) {
            this.random = random;
        }

        void later(Runnable r) {
            later(this, r);
        }

        void later(Object lane, Runnable r) {
            lanes.computeIfAbsent(random == null ? this : lane, k -> new ArrayDeque<>()).addLast(r);
        }

        void run() {
            for (int i = 0; ; i++) {
                lanes.values().removeIf(ArrayDeque::isEmpty);
                if (lanes.isEmpty()) {
                    return;
                }
                if (i > 1_000_000) {
                    throw new AssertionError("the exchange never ends");
                }
                List<ArrayDeque<Runnable>> open = new ArrayList<>(lanes.values());
                open.get(random == null ? 0 : random.nextInt(open.size())).removeFirst().run();
            }
        }
    }

    private final Net net;
    private final String address;
    MemoryChannel other;
    /** What this end does with a line that arrives: the handshake under test. */
    Consumer<String> receiver = line -> { };
    final List<String> sent = new ArrayList<>();
    private final List<String> held = new ArrayList<>();
    private boolean suspended;
    boolean tlsStarted;
    /** Run when both ends have started TLS (the acceptor's "secured" event). */
    Runnable onSecured;
    String closedWith;
    /** Run (by the network) when this end closes, with the reason: the server's "session closed". */
    Consumer<String> onClose = reason -> { };

    MemoryChannel(Net net, String address) {
        this.net = net;
        this.address = address;
    }

    static MemoryChannel[] pair(Net net) {
        MemoryChannel dialler = new MemoryChannel(net, "10.0.0.1:40000");
        MemoryChannel acceptor = new MemoryChannel(net, "10.0.0.2:12010");
        dialler.other = acceptor;
        acceptor.other = dialler;
        return new MemoryChannel[] {dialler, acceptor};
    }

    /** What this end sent but table repair (the digest every link-up starts with, and its answers). */
    List<String> handshakeSent() {
        return sent.stream().filter(l -> !l.startsWith("HERD-DIGEST") && !l.startsWith("HERD-REPAIR")).toList();
    }

    /** The reports (AT lines) this end sent. */
    List<String> reports() {
        return sent.stream().filter(l -> l.startsWith("AT ")).toList();
    }

    private void arrive(String line) {
        if (closedWith != null) {
            return;
        }
        if (suspended) {
            held.add(line);
        } else {
            receiver.accept(line);
        }
    }

    @Override
    public void send(String line) {
        if (closedWith == null) {
            sent.add(line);
            MemoryChannel to = other;
            net.later(to, () -> to.arrive(line));
        }
    }

    @Override
    public void send(byte[] line) {
        send(new String(line, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void sendThen(String line, Runnable whenSent) {
        send(line);
        net.later(this, whenSent);
    }

    @Override
    public void startTls(boolean dialled) {
        tlsStarted = true;
        if (other.tlsStarted) {
            MemoryChannel acceptor = dialled ? other : this;
            if (acceptor.onSecured != null) {
                net.later(acceptor, acceptor.onSecured);
            }
        }
    }

    @Override
    public boolean tlsOn() {
        return tlsStarted;
    }

    @Override
    public void suspendRead() {
        suspended = true;
    }

    @Override
    public void resumeRead() {
        suspended = false;
        List<String> lines = new ArrayList<>(held);
        held.clear();
        lines.forEach(this::arrive);
    }

    @Override
    public long writtenBytes() {
        return 0;
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public void close(String reason) {
        if (closedWith == null) {
            closedWith = reason;
            net.later(this, () -> onClose.accept(reason));
            if (other.closedWith == null) {
                other.closedWith = "closed by remote";
                MemoryChannel remote = other;
                net.later(remote, () -> remote.onClose.accept("closed by remote"));
            }
        }
    }

    @Override
    public boolean abandon() {
        return false;
    }

    @Override
    public void watchForSilence() {
    }

    @Override
    public String remoteAddress() {
        return other.address;
    }

    @Override
    public void becomePeer(String peerName) {
    }
}
