package herd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five {@code launcher.jar} processes under steady IAMAT load, in three phases, auditing
 * <em>every</em> acknowledged report. Most reports go to a fresh client id (the rest to one
 * of the sending thread's recent ids, so that newer-wins is exercised too), so a report lost
 * anywhere is not hidden by a later report of the same client.
 *
 * <ol>
 * <li><b>Chaos</b> (25 s): servers SIGKILLed and restarted, links cut and
 * restored at random (through per-server {@link LinkProxy proxies}). Then everything is
 * healed, and every server must come to hold, for every client, the newest report any
 * server acknowledged. A server is killed only right after a report it acknowledged (a
 * marker) has reached a neighbour within {@value #MARKER_MS} ms: a link is first in, first
 * out, so everything the server acknowledged before the marker has then left it, and its
 * queues are short. (Killing a server that is cut off, or whose queues are backed up, loses
 * what only it holds by design, as there is no disk, which would say nothing about the
 * engine.) The reports it acknowledged after its marker are the crash window: the only ones
 * allowed to be lost, counted per report and bounded ({@link #MAX_CRASH_WINDOW_LOSSES_PER_KILL}).
 * <li><b>Live flooding</b> ({@value #LIVE_MS} ms): everything up, every link established
 * (a {@code HERD-PEER-OK} seen by its proxy) for a while, then load with no fault at all.
 * Every report must be at every server within {@value #DELIVERY_BOUND_MS} ms of its
 * acknowledgement, and no link may come up or go down during the phase — so table
 * exchange, which happens only when a link comes up, cannot have delivered anything.
 * <li><b>Routing around cuts</b> ({@value #LIVE_MS} ms): two links cut (seeded choice; the
 * herd stays connected) and left cut through the audit; the same delivery bound.
 * </ol>
 * No client may ever get a wrong reply, and while no fault is injected every request must be
 * answered. The seed is printed; replay with {@code -Dherd.chaos.seed=N}.
 *
 * <p>Checked against these mutations of the engine, each run on several seeds and failing
 * on every one (issue 9):
 * <ul>
 * <li>Holiday never forwards live updates to Welsh ({@code FloodRouter.offer}: {@code if
 * (server.name().equals("Holiday") && link.peer.equals("Welsh")) continue;}; table exchange
 * intact). The live phase fails, Welsh lacking about 3 in 4 of its reports (alone, with
 * {@code -Dherd.chaos.ms=0}); so does the chaos audit, as the heal restarts no link of Welsh.
 * <li>No table exchange when a link comes up ({@code PeerLink.attach} sends no snapshot):
 * restarted servers never learn what they missed; the chaos audit fails.
 * <li>An update from a peer for a client already in the table is dropped, newer or not
 * ({@code FloodRouter.offer}): reports to reused client ids stop spreading; both the chaos
 * audit and the live phase fail.
 * <li>Updates forwarded 100 ms after the reply (a timer in {@code FloodRouter.offer}) instead
 * of before it: kills lose 5 to 13 reports each, over the crash-window bound.
 * </ul>
 */
class ChaosIT {

    private static final List<String> NAMES = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    private static final List<List<String>> LINKS = List.of(List.of("Goloman", "Hands"), List.of("Goloman", "Holiday"),
            List.of("Goloman", "Wilkes"), List.of("Hands", "Wilkes"), List.of("Holiday", "Welsh"),
            List.of("Holiday", "Wilkes"));
    /** The chaos phase's length; {@code -Dherd.chaos.ms=0} runs the live phases alone (to see what they catch). */
    private static final long CHAOS_MS = Long.getLong("herd.chaos.ms", 25_000);
    private static final long LIVE_MS = 8_000;
    private static final int LOAD_THREADS = 4;
    /** Share of reports sent for one of the thread's recent client ids rather than a fresh one. */
    private static final double REUSE = 0.2;
    /**
     * A server is killed only if a marker report it acknowledged is held by a neighbour this
     * soon (else the kill is skipped). The engine queues an IAMAT's update to the neighbours
     * before its reply, on a first-in-first-out link, so the marker's arrival proves that
     * every report the server acknowledged before it has left the server.
     */
    private static final long MARKER_MS = 250;
    /**
     * Slack after a kill for the crash window: a request sent this long after the SIGKILL
     * was signalled still counts as sent before it (the signal and the test's clock are not
     * one instant).
     */
    private static final long KILL_SLACK_MS = 250;
    /**
     * The bound on reports lost in crash windows (acknowledged after the marker), per kill.
     * The update of such a report was queued before its reply, so it is lost only if it had
     * not left when SIGKILL landed. With no backlog (the marker showed none worth 250 ms) an
     * update leaves within about a millisecond of its reply, and at a few hundred
     * acknowledgements per second per server that window holds well under one report on
     * average, a few on a machine that deschedules the wrong thread. Runs here lose
     * 0 or 1 in all. An engine that sends updates 100 ms after the reply loses 5 to 13 per kill
     * and fails.
     */
    private static final int MAX_CRASH_WINDOW_LOSSES_PER_KILL = 3;
    /** Live phases: a report must be at every server this soon after its acknowledgement. */
    private static final long DELIVERY_BOUND_MS = 3_000;
    /** Live phases start once the links have been as wanted, with no change, for this long. */
    private static final long LINKS_STEADY_MS = 1_000;
    private static final long BASE_TIME = 1_600_000_000L;
    private static final int SURVEY_WINDOW = 256;

    @TempDir
    Path dir;
    final Map<String, Integer> realPorts = new ConcurrentHashMap<>();
    final Map<String, LinkProxy> proxies = new LinkedHashMap<>();
    final Map<String, HerdProcess> running = new ConcurrentHashMap<>();
    /** Per server, its kills: from its marker's sending to the SIGKILL. */
    final Map<String, List<CrashWindow>> crashWindows = new ConcurrentHashMap<>();
    final Set<String> cut = LinkProxy.newCutSet();
    final AtomicLong clock = new AtomicLong(BASE_TIME);
    final AtomicInteger markers = new AtomicInteger();
    final List<String> wrongReplies = new CopyOnWriteArrayList<>();
    final ExecutorService surveyors = Executors.newFixedThreadPool(NAMES.size());
    Random random;

    /** One acknowledged report: who, when (client time), where, which server, and when it was sent and answered. */
    record Ack(String client, long time, String location, String server, long sentMillis, long repliedMillis) {}

    /** A server's kill: its marker was sent at {@code fromMillis}, the SIGKILL at {@code killMillis}. */
    record CrashWindow(long fromMillis, long killMillis) {}

    /** What a server holds for a client: the client time (0 for nothing) and the location. */
    record Held(long time, String location) {
        static final Held NOTHING = new Held(0, "");
    }

    /** One phase's load: its acknowledgements and the requests that got no reply. */
    static final class Load {
        final String tag;
        final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        final AtomicInteger failed = new AtomicInteger();
        volatile boolean on = true;
        final List<Thread> threads = new ArrayList<>();

        Load(String tag) {
            this.tag = tag;
        }

        Set<String> clients() {
            Set<String> out = new HashSet<>();
            acks.forEach(a -> out.add(a.client()));
            return out;
        }
    }

    @AfterEach
    void stopAll() {
        running.values().forEach(HerdProcess::close);
        proxies.values().forEach(LinkProxy::close);
        surveyors.shutdownNow();
    }

    @Test
    void everyAcknowledgedReportReachesEveryServer() throws Exception {
        long started = System.currentTimeMillis();
        long seed = Long.getLong("herd.chaos.seed", System.nanoTime());
        System.out.println("ChaosIT seed: " + seed + " (replay with -Dherd.chaos.seed=" + seed + ")");
        random = new Random(new SplittableRandom(seed).nextLong()); // close seeds, different first choices
        for (String n : NAMES) {
            realPorts.put(n, freePortBelowEphemeralRange());
            proxies.put(n, new LinkProxy(realPorts.get(n), cut));
        }
        for (String n : NAMES) {
            start(n);
        }

        // ---- phase 1: chaos ------------------------------------------------------------------------
        if (CHAOS_MS > 0) {
            System.out.println("ChaosIT: " + chaos(seed));
        }

        // ---- phase 2: live flooding over every link -------------------------------------------------
        LiveAudit live = liveFlooding("l", seed + 1000, Set.of());
        System.out.println("ChaosIT: " + live.summary("all links up"));

        // ---- phase 3: live flooding around two cut links ----------------------------------------------
        Set<String> cutForGood = twoCutsLeavingTheHerdConnected();
        LiveAudit around = liveFlooding("x", seed + 2000, cutForGood);
        System.out.println("ChaosIT: " + around.summary("links " + String.join(", ", cutForGood) + " cut"));
        System.out.printf("ChaosIT: %.0f s in all%n", (System.currentTimeMillis() - started) / 1000.0);
    }

    /** Phase 1: kills, restarts, cuts and restores under load, then the heal and the audit; returns the figures. */
    private String chaos(long seed) throws Exception {
        Load chaos = startLoad("k", seed);
        int kills = 0;
        int killsSkipped = 0;
        int restarts = 0;
        int cuts = 0;
        int restores = 0;
        long end = System.currentTimeMillis() + CHAOS_MS;
        while (System.currentTimeMillis() < end) {
            List<String> dead = NAMES.stream().filter(n -> !running.containsKey(n)).toList();
            int action = random.nextInt(4);
            if (action == 0 && running.size() > 2) {
                List<String> live = new ArrayList<>(running.keySet());
                if (killAfterMarker(live.get(random.nextInt(live.size())), chaos)) {
                    kills++;
                } else {
                    killsSkipped++;
                }
            } else if (action == 1 && !dead.isEmpty()) {
                start(dead.get(random.nextInt(dead.size())));
                restarts++;
            } else if (action == 2) {
                List<String> l = LINKS.get(random.nextInt(LINKS.size()));
                if (cutLink(l)) {
                    cuts++;
                }
            } else if (action == 3 && !cut.isEmpty()) {
                List<String> c = new ArrayList<>(cut);
                cut.remove(c.get(random.nextInt(c.size())));
                restores++;
            }
            // the pace of chaos; the load threads run meanwhile
            Thread.sleep(200 + random.nextInt(500));
        }
        stopLoad(chaos);

        // heal everything: restored links exchange tables, restarted servers learn what they missed
        cut.clear();
        for (String n : NAMES) {
            if (!running.containsKey(n)) {
                start(n);
                restarts++;
            }
        }
        long healed = System.currentTimeMillis();
        ChaosAudit audit = auditChaos(chaos);
        long converged = System.currentTimeMillis();
        assertEquals(List.of(), wrongReplies, "no client ever got a wrong reply");
        assertTrue(chaos.acks.size() > 2_000, "the chaos load ran: " + chaos.acks.size() + " acknowledgements");
        assertTrue(kills > 0 && restarts > 0 && cuts > 0, "faults were injected: " + kills + " kills, " + cuts + " cuts");
        assertTrue(audit.clients >= 1_000, "thousands of clients: " + audit.clients);
        assertEquals(0, audit.lostOutsideCrashWindow, "reports lost outside the crash window");
        assertTrue(audit.lostInCrashWindow <= MAX_CRASH_WINDOW_LOSSES_PER_KILL * kills, audit.lostInCrashWindow
                + " reports lost in crash windows, more than " + MAX_CRASH_WINDOW_LOSSES_PER_KILL + " per kill (" + kills
                + " kills): " + audit.lostExamples);
        return String.format("chaos: %d kills (%d skipped: no neighbour had the marker within %d ms), %d restarts, %d link cuts, %d restores; %,d reports acknowledged for %,d "
                        + "clients, %,d requests failed (server dead or dying), %d wrong replies; after the heal the "
                        + "herd converged in %.1f s and every one of the %,d acknowledgements was checked on all %d "
                        + "servers: %d lost outside crash windows; %d acknowledged between a marker and the SIGKILL "
                        + "of their server, %d of them the newest of their client, %d of those lost (bound: %d per kill)",
                kills, killsSkipped, MARKER_MS, restarts, cuts, restores, chaos.acks.size(), audit.clients, chaos.failed.get(), wrongReplies.size(),
                (converged - healed) / 1000.0, chaos.acks.size(), NAMES.size(), audit.lostOutsideCrashWindow,
                audit.crashWindowAcks, audit.crashWindowNewest, audit.lostInCrashWindow,
                MAX_CRASH_WINDOW_LOSSES_PER_KILL);
    }

    // ---- the herd ------------------------------------------------------------------------------

    /**
     * A port for a server to listen on, outside the ephemeral range: the thousands of client
     * connections this test makes take ephemeral ports, and one of them could otherwise sit on
     * a port a killed server is about to be restarted on.
     */
    private static int freePortBelowEphemeralRange() throws IOException {
        Random r = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + r.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 20000-31999");
    }

    /** Server X's config: X at its real port, its neighbours at their proxies. */
    private String configFor(String self) {
        StringBuilder b = new StringBuilder("{\"servers\": {");
        for (int i = 0; i < NAMES.size(); i++) {
            String n = NAMES.get(i);
            int port = n.equals(self) ? realPorts.get(n) : proxies.get(n).port();
            b.append(i > 0 ? ", " : "").append('"').append(n).append("\": {\"port\": ").append(port).append('}');
        }
        // no Places key: WHATSAT (the audit's question) is answered at once, without a network
        return b.append("}, \"places\": {\"provider\": \"google\", \"keyEnv\": \"HERD_CHAOS_NO_KEY\"}, ")
                .append("\"logDir\": \"logs\"}").toString();
    }

    /** Starts {@code name}; should its port have been taken meanwhile, on another one. */
    private void start(String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Files.writeString(dir.resolve(name + ".json"), configFor(name));
            HerdProcess p = HerdProcess.start(dir, Map.of(), name, "--config", name + ".json");
            waitFor(() -> "start of " + name, 30_000, () -> !p.process.isAlive() || p.err().contains("herd: running "));
            if (p.process.isAlive()) {
                running.put(name, p);
                return;
            }
            String err = p.err();
            if (attempt < 5 && err.contains("address already in use")) {
                realPorts.put(name, freePortBelowEphemeralRange());
                proxies.get(name).retarget(realPorts.get(name));
                continue;
            }
            throw new AssertionError(name + " exited " + p.process.exitValue() + ": " + err);
        }
    }

    /**
     * Kills {@code name} if a marker report it acknowledges reaches a running neighbour (over
     * an established link) within {@link #MARKER_MS}; returns whether it did. The marker is
     * an acknowledged report like any other, audited with the rest.
     */
    private boolean killAfterMarker(String name, Load chaos) throws Exception {
        Map<String, List<LinkProxy.Relay>> up = establishedLinks();
        List<String> neighbours = LINKS.stream().filter(l -> l.contains(name) && up.containsKey(key(l)))
                .map(l -> l.get(0).equals(name) ? l.get(1) : l.get(0)).filter(running::containsKey).toList();
        if (neighbours.isEmpty()) {
            return false;
        }
        String neighbour = neighbours.get(random.nextInt(neighbours.size()));
        String client = "m" + chaos.tag + "." + markers.incrementAndGet();
        long time = clock.incrementAndGet();
        String location = location(time);
        long sent = System.currentTimeMillis();
        String reply;
        try {
            reply = LineExchange.exchange(realPorts.get(name), "IAMAT " + client + " " + location + " " + time + "\n");
        } catch (IOException e) {
            return false;
        }
        if (!reply.startsWith("AT " + name + " ") || !reply.endsWith(" " + client + " " + location + " " + time + "\n")) {
            wrongReplies.add(name + " answered <" + reply + "> to the marker IAMAT " + client);
            return false;
        }
        chaos.acks.add(new Ack(client, time, location, name, sent, System.currentTimeMillis()));
        while (System.currentTimeMillis() - sent <= MARKER_MS) {
            if (survey(neighbour, List.of(client)).get(client).time() >= time) {
                HerdProcess p = running.remove(name);
                crashWindows.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>())
                        .add(new CrashWindow(sent, System.currentTimeMillis()));
                p.process.destroyForcibly().waitFor(); // SIGKILL
                return true;
            }
            Thread.sleep(5); // the poll interval of this wait; MARKER_MS bounds it
        }
        return false;
    }

    private static String key(List<String> link) {
        return LinkProxy.key(link.get(0), link.get(1));
    }

    /** Cuts link {@code l} (refused by the proxy, open relays dropped); false if it already was. */
    private boolean cutLink(List<String> l) {
        if (!cut.add(LinkProxy.key(l.get(0), l.get(1)))) {
            return false;
        }
        proxies.values().forEach(p -> p.dropRelays(l.get(0), l.get(1)));
        return true;
    }

    /** The links established now (a relay past HERD-PEER-OK), by key. */
    private Map<String, List<LinkProxy.Relay>> establishedLinks() {
        Map<String, List<LinkProxy.Relay>> out = new TreeMap<>();
        for (LinkProxy p : proxies.values()) {
            for (LinkProxy.Relay r : p.established()) {
                out.computeIfAbsent(r.link, k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private static long linkEvents(Collection<LinkProxy> proxies) {
        return proxies.stream().mapToLong(LinkProxy::linkEvents).sum();
    }

    private long lastLinkEventMillis() {
        return proxies.values().stream().mapToLong(LinkProxy::lastLinkEventMillis).max().orElse(0);
    }

    /** Waits until exactly the links not in {@code cutLinks} are established, and nothing changed for a while. */
    private void waitForSteadyLinks(Set<String> cutLinks) throws InterruptedException {
        Set<String> wanted = new TreeSet<>();
        for (List<String> l : LINKS) {
            String k = LinkProxy.key(l.get(0), l.get(1));
            if (!cutLinks.contains(k)) {
                wanted.add(k);
            }
        }
        waitFor(() -> "links " + wanted + " established and steady (established now: " + establishedLinks().keySet()
                + "); the servers' link events:" + linkDiagnostics(), 60_000, () -> {
                    long now = System.currentTimeMillis();
                    Map<String, List<LinkProxy.Relay>> up = establishedLinks();
                    return up.keySet().equals(wanted) && up.values().stream().allMatch(r -> r.size() == 1)
                            && now - lastLinkEventMillis() >= LINKS_STEADY_MS;
                });
    }

    /** The last link events of each server's event log, and its stderr: for a failure message. */
    private String linkDiagnostics() {
        StringBuilder out = new StringBuilder();
        for (String n : NAMES) {
            HerdProcess p = running.get(n);
            out.append("\n").append(n).append(p == null ? " (killed by the test)"
                    : p.process.isAlive() ? "" : " (exited by itself, code " + p.process.exitValue() + ")").append(':');
            try (var lines = Files.lines(dir.resolve("logs/" + n + ".log"))) {
                List<String> events = lines.filter(l -> l.contains(" PEER_UP ") || l.contains(" PEER_DOWN ")
                        || l.contains(" ERROR ") || l.contains(" SERVER_UP ") || l.contains(" peer/") && (
                        l.contains(" OPEN ") || l.contains(" CLOSE ") || l.contains("HERD-PEER"))).toList();
                events.subList(Math.max(0, events.size() - 12), events.size()).forEach(l -> out.append("\n  ").append(l));
            } catch (IOException | java.io.UncheckedIOException e) {
                out.append(" (no log: ").append(e.getMessage()).append(')');
            }
            if (p != null && !p.err().isBlank()) {
                out.append("\n  stderr: ").append(p.err().strip().replace("\n", "\n  stderr: "));
            }
        }
        return out.toString();
    }

    private Set<String> twoCutsLeavingTheHerdConnected() {
        List<Set<String>> choices = new ArrayList<>();
        for (int i = 0; i < LINKS.size(); i++) {
            for (int j = i + 1; j < LINKS.size(); j++) {
                Set<String> c = new LinkedHashSet<>();
                c.add(LinkProxy.key(LINKS.get(i).get(0), LINKS.get(i).get(1)));
                c.add(LinkProxy.key(LINKS.get(j).get(0), LINKS.get(j).get(1)));
                if (connectedWithout(c)) {
                    choices.add(c);
                }
            }
        }
        return choices.get(random.nextInt(choices.size()));
    }

    private static boolean connectedWithout(Set<String> cutLinks) {
        Set<String> seen = new HashSet<>(List.of(NAMES.get(0)));
        ArrayDeque<String> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            String n = todo.poll();
            for (List<String> l : LINKS) {
                if (l.contains(n) && !cutLinks.contains(LinkProxy.key(l.get(0), l.get(1)))) {
                    String other = l.get(0).equals(n) ? l.get(1) : l.get(0);
                    if (seen.add(other)) {
                        todo.add(other);
                    }
                }
            }
        }
        return seen.size() == NAMES.size();
    }

    // ---- load ----------------------------------------------------------------------------------

    private Load startLoad(String tag, long seed) {
        Load load = new Load(tag);
        for (int t = 0; t < LOAD_THREADS; t++) {
            int id = t;
            Thread th = new Thread(() -> load(load, id, new Random(new SplittableRandom(seed * 31 + id).nextLong())), "chaos-client-" + tag + id);
            th.start();
            load.threads.add(th);
        }
        return load;
    }

    private static void stopLoad(Load load) throws InterruptedException {
        load.on = false;
        for (Thread th : load.threads) {
            th.join(60_000);
            assertTrue(!th.isAlive(), th.getName() + " did not stop");
        }
    }

    /** A client thread: one connection per report, to a random running server; mostly fresh client ids. */
    private void load(Load load, int thread, Random r) {
        List<String> recent = new ArrayList<>();
        int fresh = 0;
        while (load.on) {
            List<String> live = new ArrayList<>(running.keySet());
            if (live.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            String server = live.get(r.nextInt(live.size()));
            String client;
            if (!recent.isEmpty() && r.nextDouble() < REUSE) {
                client = recent.get(r.nextInt(recent.size()));
            } else {
                client = "c" + load.tag + thread + "." + fresh++;
                if (recent.size() == 16) {
                    recent.remove(0);
                }
                recent.add(client);
            }
            long time = clock.incrementAndGet(); // strictly increasing, so per client too
            String location = location(time);
            String line = "IAMAT " + client + " " + location + " " + time;
            Integer port = realPorts.get(server);
            long sent = System.currentTimeMillis();
            String reply;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                s.setSoTimeout(20_000);
                s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                load.failed.incrementAndGet();
                continue;
            }
            long replied = System.currentTimeMillis();
            if (reply.isEmpty() || !reply.endsWith("\n")) {
                load.failed.incrementAndGet(); // cut short by a kill: no reply, not a wrong one
                continue;
            }
            String[] f = reply.substring(0, reply.length() - 1).split(" ", -1);
            if (f.length != 6 || !f[0].equals("AT") || !f[1].equals(server) || !f[2].matches("[+-]\\d+\\.\\d{9}")
                    || !f[3].equals(client) || !f[4].equals(location) || !f[5].equals(Long.toString(time))) {
                wrongReplies.add(server + " answered <" + reply + "> to <" + line + ">");
                continue;
            }
            load.acks.add(new Ack(client, time, location, server, sent, replied));
        }
    }

    /** A location of its own for each report. */
    private static String location(long time) {
        return String.format(Locale.ROOT, "+%d.%06d-%d.%06d", time % 90, time / 90 % 1_000_000, time % 180,
                time * 7919 % 1_000_000);
    }

    // ---- what the servers hold ------------------------------------------------------------------

    /**
     * What {@code server} holds for each of {@code clients}, by pipelined WHATSATs on one
     * connection. At most {@value #SURVEY_WINDOW} requests are unanswered at a time: a client
     * that lets replies pile up in the server is dropped, and rightly so.
     */
    private Map<String, Held> survey(String server, List<String> clients) throws IOException, InterruptedException {
        Map<String, Held> out = new HashMap<>(clients.size() * 2);
        Semaphore window = new Semaphore(SURVEY_WINDOW);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), realPorts.get(server))) {
            s.setSoTimeout(30_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream os = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                    for (String c : clients) {
                        if (!window.tryAcquire()) {
                            os.flush();
                            window.acquire();
                        }
                        os.write(("WHATSAT " + c + " 0.001 1\n").getBytes(StandardCharsets.UTF_8));
                    }
                    os.flush();
                    s.shutdownOutput();
                } catch (IOException | InterruptedException e) {
                    // the reader notices the missing replies
                }
            }, "chaos-survey-" + server);
            writer.setDaemon(true);
            writer.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8),
                    1 << 16);
            try {
                for (String c : clients) {
                    String at = in.readLine();
                    if (at == null) {
                        throw new IOException(server + " closed the survey after " + out.size() + " of "
                                + clients.size() + " replies");
                    }
                    window.release();
                    if (at.startsWith("? ")) {
                        out.put(c, Held.NOTHING);
                        continue;
                    }
                    String[] f = at.split(" ");
                    if (f.length != 6 || !f[0].equals("AT") || !f[3].equals(c)) {
                        throw new AssertionError(server + " answered <" + at + "> to WHATSAT " + c);
                    }
                    out.put(c, new Held(Long.parseLong(f[5]), f[4]));
                    for (String json; (json = in.readLine()) != null && !json.isEmpty(); ) {
                        // the Places JSON; the audit only needs the AT line
                    }
                }
            } finally {
                writer.interrupt();
            }
            writer.join();
        }
        return out;
    }

    /** What every server holds for each of {@code clients}, surveyed in parallel. */
    private Map<String, Map<String, Held>> surveyAll(List<String> clients) throws Exception {
        running.forEach((n, p) -> assertTrue(p.process.isAlive(), () -> n + " exited by itself (code "
                + p.process.exitValue() + "): " + p.err()));
        Map<String, Future<Map<String, Held>>> futures = new LinkedHashMap<>();
        for (String n : NAMES) {
            futures.put(n, surveyors.submit(() -> survey(n, clients)));
        }
        Map<String, Map<String, Held>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Future<Map<String, Held>>> e : futures.entrySet()) {
            out.put(e.getKey(), e.getValue().get(120, TimeUnit.SECONDS));
        }
        return out;
    }

    // ---- the chaos audit -------------------------------------------------------------------------

    static final class ChaosAudit {
        int clients;
        int crashWindowAcks;
        int crashWindowNewest;
        int lostInCrashWindow;
        int lostOutsideCrashWindow;
        final List<String> lostExamples = new ArrayList<>();
    }

    /** Acknowledged after its server's marker was sent, and asked before that server was killed. */
    private boolean inCrashWindow(Ack a) {
        return crashWindows.getOrDefault(a.server(), List.of()).stream().anyMatch(
                w -> a.repliedMillis() >= w.fromMillis() && a.sentMillis() <= w.killMillis() + KILL_SLACK_MS);
    }

    /**
     * After the heal: every server must come to hold, for every client, the same report, and
     * none older than the newest acknowledged outside a crash window. Then every single
     * acknowledgement is checked against what the herd holds.
     */
    private ChaosAudit auditChaos(Load chaos) throws Exception {
        Map<String, Long> expected = new HashMap<>(); // per client, the newest time acknowledged outside crash windows
        for (Ack a : chaos.acks) {
            if (!inCrashWindow(a)) {
                expected.merge(a.client(), a.time(), Math::max);
            }
        }
        List<String> clients = new ArrayList<>(chaos.clients());
        Map<String, Map<String, Held>> held = new HashMap<>();
        NAMES.forEach(n -> held.put(n, new HashMap<>()));
        List<String> unsettled = clients;
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            Map<String, Map<String, Held>> now = surveyAll(unsettled);
            now.forEach((server, m) -> held.get(server).putAll(m));
            List<String> next = new ArrayList<>();
            for (String c : unsettled) {
                long first = held.get(NAMES.get(0)).get(c).time();
                boolean settled = first >= expected.getOrDefault(c, 0L)
                        && NAMES.stream().allMatch(n -> held.get(n).get(c).time() == first);
                if (!settled) {
                    next.add(c);
                }
            }
            unsettled = next;
            if (unsettled.isEmpty()) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                Map<String, Long> behind = new TreeMap<>();
                for (String n : NAMES) {
                    behind.put(n, unsettled.stream().filter(c -> held.get(n).get(c).time() < expected.getOrDefault(c, 0L))
                            .count());
                }
                StringBuilder why = new StringBuilder(" clients each server lacks the newest acknowledged report of: "
                        + behind + ".");
                // reports no server holds any more: who acknowledged them, and when that server was next killed
                Map<String, Ack> newest = new HashMap<>();
                for (Ack a : chaos.acks) {
                    newest.merge(a.client(), a, (x, y) -> x.time() >= y.time() ? x : y);
                }
                List<Ack> gone = unsettled.stream().filter(c -> NAMES.stream()
                        .allMatch(n -> held.get(n).get(c).time() < expected.getOrDefault(c, 0L))).map(newest::get).toList();
                if (!gone.isEmpty()) {
                    Map<String, Long> byServer = new TreeMap<>();
                    gone.forEach(a -> byServer.merge(a.server(), 1L, Long::sum));
                    why.append("\n  held by no server: ").append(gone.size()).append(", by the server that acknowledged them: ")
                            .append(byServer).append("; for example:");
                    for (Ack a : gone.subList(0, Math.min(5, gone.size()))) {
                        Long nextKill = crashWindows.getOrDefault(a.server(), List.of()).stream()
                                .map(CrashWindow::killMillis).filter(k -> k >= a.sentMillis()).min(Long::compare)
                                .orElse(null);
                        why.append("\n    ").append(a).append(nextKill == null ? ", server never killed after it"
                                : ", server killed " + (nextKill - a.repliedMillis()) + " ms after the reply");
                    }
                }
                why.append("\n  the first ones:");
                for (String c : unsettled.subList(0, Math.min(10, unsettled.size()))) {
                    why.append("\n  ").append(c).append(": newest acknowledged outside crash windows ")
                            .append(expected.get(c)).append(", held:");
                    NAMES.forEach(n -> why.append(' ').append(n).append('=').append(held.get(n).get(c).time()));
                }
                fail(unsettled.size() + " of " + clients.size() + " clients never converged on all servers after the "
                        + "heal;" + why);
            }
            Thread.sleep(500); // the poll interval of this wait; the deadline bounds it
        }

        ChaosAudit audit = new ChaosAudit();
        audit.clients = clients.size();
        for (Ack a : chaos.acks) {
            Held h = held.get(NAMES.get(0)).get(a.client()); // all servers agree (above)
            boolean kept = h.time() > a.time() || h.time() == a.time() && h.location().equals(a.location());
            if (!inCrashWindow(a)) {
                if (!kept) {
                    audit.lostOutsideCrashWindow++;
                }
                continue;
            }
            audit.crashWindowAcks++;
            if (a.time() > expected.getOrDefault(a.client(), 0L)) {
                audit.crashWindowNewest++;
                if (!kept) {
                    audit.lostInCrashWindow++;
                    if (audit.lostExamples.size() < 10) {
                        audit.lostExamples.add(a.toString());
                    }
                }
            }
        }
        return audit;
    }

    // ---- live flooding ---------------------------------------------------------------------------

    /** One live phase's result. */
    record LiveAudit(long steadyAfterMs, int acks, int clients, int failed, long maxCheckDelayMs, long linkEventsDuring) {
        String summary(String what) {
            return String.format("live flooding, %s (links steady after %.1f s): %,d reports acknowledged for %,d "
                            + "clients, %d requests failed; each at all %d servers within %d ms of its acknowledgement "
                            + "(checked %d-%d ms after it); %d links came up or went down meanwhile", what,
                    steadyAfterMs / 1000.0, acks, clients, failed, NAMES.size(), DELIVERY_BOUND_MS, DELIVERY_BOUND_MS,
                    maxCheckDelayMs, linkEventsDuring);
        }
    }

    /**
     * Cuts {@code cutLinks} (none: all links up), waits until the links are steady, then runs
     * the load with no fault while every acknowledgement is checked, once {@link
     * #DELIVERY_BOUND_MS} has passed, at every server. The links stay as they are until the
     * last check.
     */
    private LiveAudit liveFlooding(String tag, long seed, Set<String> cutLinks) throws Exception {
        for (String k : cutLinks) {
            cutLink(List.of(k.split("-")));
        }
        long steadyFrom = System.currentTimeMillis();
        waitForSteadyLinks(cutLinks);
        long steadyAfter = System.currentTimeMillis() - steadyFrom;
        long linkEventsBefore = linkEvents(proxies.values());
        Load load = startLoad(tag, seed);
        List<String> misses = new ArrayList<>();
        Map<String, Integer> missesByServer = new TreeMap<>();
        long maxCheckDelay = 0;
        long loadEnd = System.currentTimeMillis() + LIVE_MS;
        List<Ack> due = new ArrayList<>();
        List<Ack> all = new ArrayList<>();
        while (true) {
            long now = System.currentTimeMillis();
            if (load.on && now >= loadEnd) {
                stopLoad(load);
            }
            for (Ack a; (a = load.acks.peek()) != null && a.repliedMillis() + DELIVERY_BOUND_MS <= now; ) {
                due.add(load.acks.poll());
            }
            if (!load.on && load.acks.isEmpty() && due.isEmpty()) {
                break;
            }
            if (due.isEmpty()) {
                Thread.sleep(100); // the audit's pace: acknowledgements fall due as time passes
                continue;
            }
            List<String> clients = due.stream().map(Ack::client).distinct().toList();
            Map<String, Map<String, Held>> held = surveyAll(clients);
            long checked = System.currentTimeMillis();
            for (Ack a : due) {
                maxCheckDelay = Math.max(maxCheckDelay, checked - a.repliedMillis());
                for (String n : NAMES) {
                    Held h = held.get(n).get(a.client());
                    if (h.time() < a.time() || h.time() == a.time() && !h.location().equals(a.location())) {
                        missesByServer.merge(n, 1, Integer::sum);
                        if (misses.size() < 10) {
                            misses.add(n + " lacks " + a + " " + (checked - a.repliedMillis()) + " ms after it");
                        }
                    }
                }
            }
            all.addAll(due);
            due.clear();
        }
        long linkEventsDuring = linkEvents(proxies.values()) - linkEventsBefore;
        String what = cutLinks.isEmpty() ? "with every link up" : "with " + cutLinks + " cut";
        assertEquals(List.of(), wrongReplies, "no client ever got a wrong reply");
        assertTrue(missesByServer.isEmpty(), "live flooding " + what + ": reports not at every server within "
                + DELIVERY_BOUND_MS + " ms of their acknowledgement (of " + all.size() + "), by server lacking them: "
                + missesByServer + "; the first ones: " + misses);
        assertEquals(0, linkEventsDuring, "live flooding " + what + ": links came up or went down during the phase, so "
                + "table exchange may have delivered what live flooding did not");
        assertEquals(0, load.failed.get(), "live flooding " + what + ": requests failed although no fault was injected");
        assertTrue(all.size() > 500, "the live load ran: " + all.size());
        return new LiveAudit(steadyAfter, all.size(), (int) all.stream().map(Ack::client).distinct().count(), load.failed.get(),
                maxCheckDelay, linkEventsDuring);
    }

    private static void waitFor(Supplier<String> what, long ms, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + what.get() + " within " + ms + " ms");
            }
            Thread.sleep(20); // the poll interval of this wait; the deadline bounds it
        }
    }
}
