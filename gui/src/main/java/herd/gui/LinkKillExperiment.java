package herd.gui;

import herd.engine.Herd;
import herd.engine.HerdServer;
import herd.engine.HerdStartException;
import herd.engine.LinkState;
import herd.engine.LocationReport;
import herd.engine.config.ConfigException;
import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The README's link-kill experiment without a window, for figures in a report:
 * {@code java -cp launcher.jar herd.gui.LinkKillExperiment --out DIR [--config F] [--rounds N]}.
 * Runs the config's servers in this process on free ports (offline Places, event logs in a
 * temporary folder), and each round: a report at Welsh floods; Holiday-Welsh is cut; reports
 * on both sides (kiwi at Hands, lemon at Welsh); the link is restored and the herd heals;
 * Holiday is taken down, reports at Welsh and Goloman, Holiday is brought up and relearns.
 * Every action goes through the monitor's {@link HerdOperator} and is recorded by an
 * {@link Experiment}, and the folder is written by the window's {@link ExperimentExport}.
 * Never loads JavaFX. Prints each heal as the window's status line would, and the export.
 */
public final class LinkKillExperiment {

    static final long WAIT_MILLIS = 30_000;
    private static final String CUT_A = "Holiday";
    private static final String CUT_B = "Welsh";

    private final Herd herd;
    private final Experiment experiment;
    private final HerdOperator operator;
    private final PrintStream out;
    private final List<HealWatch.Heal> heals = new ArrayList<>();

    private LinkKillExperiment(Herd herd, Experiment experiment, PrintStream out) {
        this.herd = herd;
        this.experiment = experiment;
        this.out = out;
        this.operator = new HerdOperator(herd, line -> out.println("  " + line), experiment);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the experiment; returns the exit code (0 done, 1 failed, 2 bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path folder = null;
        Path configFile = null;
        int rounds = 3;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> folder = Path.of(value(args, ++i, "--out"));
                    case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, "--rounds"));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (folder == null) {
                throw new IllegalArgumentException("say where to write the results: --out DIR");
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            err.println("link-kill: " + e.getMessage()
                    + "\nusage: java -cp launcher.jar herd.gui.LinkKillExperiment --out DIR [--config FILE] [--rounds N]");
            return 2;
        }
        Path logs = null;
        try {
            HerdConfig config = configFile == null ? HerdConfig.defaults() : HerdConfig.load(configFile);
            for (String needed : List.of("Goloman", "Hands", CUT_A, CUT_B)) {
                if (config.server(needed).isEmpty()) {
                    throw new IllegalStateException("the experiment needs a server named " + needed + " (the default herd's)");
                }
            }
            if (!config.links().contains(Link.between(CUT_A, CUT_B))) {
                throw new IllegalStateException("the experiment cuts the link Holiday-Welsh, which the config does not have");
            }
            logs = Files.createTempDirectory("herd-link-kill-");
            config = config.withPorts(Collections.nCopies(config.servers().size(), 0)).withLogDir(logs);
            ExperimentExport.Summary summary = runIn(config, rounds, folder, out);
            out.println(summary.describe());
            return 0;
        } catch (ConfigException | HerdStartException | IOException | IllegalStateException e) {
            err.println("link-kill: " + e.getMessage());
            return 1;
        } finally {
            deleteQuietly(logs);
        }
    }

    /** Runs {@code rounds} rounds on a herd of {@code config} and exports to {@code folder}. */
    static ExperimentExport.Summary runIn(HerdConfig config, int rounds, Path folder, PrintStream out)
            throws HerdStartException, IOException {
        Experiment experiment = new Experiment();
        Herd herd = Herd.create(config, config.serverNames(), Map.of());
        List<String> servers;
        try {
            herd.subscribe(experiment);
            herd.startAll();
            servers = herd.servers().stream().map(HerdServer::name).toList();
            LinkKillExperiment run = new LinkKillExperiment(herd, experiment, out);
            for (int r = 1; r <= rounds; r++) {
                out.println("round " + r + " of " + rounds);
                run.round();
            }
            run.operator.close();
        } finally {
            herd.close(); // every log line written before the export reads them
        }
        return ExperimentExport.write(folder, experiment, servers, config.logDir());
    }

    private void round() throws IOException {
        Link cut = Link.between(CUT_A, CUT_B);
        await("every link up", this::allLinksUp);
        send(CUT_B, "kiwi.cs.ucla.edu");
        await("the report at Welsh on every server", this::converged);

        operator.toggleLink(cut);
        await("Holiday-Welsh cut at both ends", () -> state(CUT_A, CUT_B) == LinkState.CUT && state(CUT_B, CUT_A) == LinkState.CUT);
        String kiwi = send("Hands", "kiwi.cs.ucla.edu");
        String lemon = send(CUT_B, "lemon.cs.ucla.edu");
        await("kiwi at Hands on the four, lemon at Welsh", () -> holds(CUT_A, "kiwi.cs.ucla.edu", kiwi)
                && holds(CUT_B, "lemon.cs.ucla.edu", lemon));
        operator.toggleLink(cut);
        await("the herd converged after the restore", () -> allLinksUp() && converged());
        awaitHeal();

        operator.toggleServer(CUT_A);
        await("Holiday down", () -> !herd.server(CUT_A).isUp());
        String kiwi2 = send(CUT_B, "kiwi.cs.ucla.edu");
        String lemon2 = send("Goloman", "lemon.cs.ucla.edu");
        await("kiwi at Welsh, lemon at Goloman", () -> holds(CUT_B, "kiwi.cs.ucla.edu", kiwi2)
                && holds("Hands", "lemon.cs.ucla.edu", lemon2));
        operator.toggleServer(CUT_A);
        await("Holiday back and the herd converged", () -> herd.server(CUT_A).isUp() && allLinksUp() && converged());
        awaitHeal();
    }

    /** Sends an IAMAT for {@code client} at the current time to {@code server}; returns its client time. */
    private String send(String server, String client) throws IOException {
        Instant now = Instant.now();
        String time = now.getEpochSecond() + "." + String.format("%09d", now.getNano());
        String line = "IAMAT " + client + " +34.068930-118.445127 " + time;
        experiment.action("send", server, line);
        try (Socket s = new Socket(herd.server(server).spec().host(), herd.server(server).spec().port())) {
            s.setSoTimeout((int) WAIT_MILLIS);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!reply.startsWith("AT " + server + " ")) {
                throw new IllegalStateException(server + " answered " + line + " with: " + reply);
            }
        }
        return time;
    }

    private void awaitHeal() {
        int before = heals.size();
        await("the heal to settle", () -> {
            for (HealWatch.Heal h : experiment.settledHeals()) {
                heals.add(h);
                out.println("  " + h.describe());
            }
            return heals.size() > before && !experiment.healing();
        });
    }

    private boolean allLinksUp() {
        return herd.servers().stream().allMatch(s -> s.isUp() && s.linkStates().values().stream().allMatch(st -> st == LinkState.UP));
    }

    private LinkState state(String server, String peer) {
        return herd.server(server).linkStates().get(peer);
    }

    private boolean holds(String server, String client, String time) {
        Optional<LocationReport> r = herd.server(server).location(client);
        return r.isPresent() && r.get().clientTime().equals(time);
    }

    /** Every running server holds the same report of every client. */
    private boolean converged() {
        List<List<LocationReport>> tables = herd.servers().stream().filter(HerdServer::isUp).map(s -> {
            List<LocationReport> t = new ArrayList<>(s.locations());
            t.sort(Comparator.comparing(LocationReport::clientId));
            return t.stream().map(r -> new LocationReport("", "", r.clientId(), "", r.clientTime())).toList();
        }).toList();
        return tables.stream().distinct().count() == 1;
    }

    /** Waits for {@code done}, checking every few milliseconds, for at most {@link #WAIT_MILLIS}. */
    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + WAIT_MILLIS / 1000 + " s waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("link-kill: could not delete the temporary logs in " + dir + ": " + e.getMessage());
        }
    }
}
