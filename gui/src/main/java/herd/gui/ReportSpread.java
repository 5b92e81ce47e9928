package herd.gui;

import java.util.List;

/**
 * The grid's propagation texts for one report, from its recorded learns: per client how far
 * it has spread ({@code all 5 in 1.8 ms}, {@code 3 of 5}) and per cell when that server
 * learned it after the first server did ({@code +0.9 ms via Holiday}, {@code origin}).
 * Pure functions; any thread.
 */
final class ReportSpread {

    private ReportSpread() {
    }

    /**
     * @param holdings per server column, what it holds of the client
     * @param learned  the newest report's learns, or null when none are recorded
     * @return {@code all N in T} when every running server holds the newest report (T: from its
     *         first learn to the last running server's), {@code F of N} while it spreads, or
     *         empty without learns
     */
    static String describe(List<Holding> holdings, List<String> servers, LearnTimes.Report learned) {
        if (learned == null) {
            return "";
        }
        int running = 0;
        int fresh = 0;
        long last = 0;
        long first = learned.firstMicros();
        for (int i = 0; i < holdings.size(); i++) {
            Holding h = holdings.get(i);
            if (h == Holding.DOWN) {
                continue;
            }
            running++;
            if (h == Holding.FRESH) {
                fresh++;
                LearnTimes.Learn l = learned.lastBy(servers.get(i));
                if (l != null) {
                    last = Math.max(last, l.atMicros() - first);
                }
            }
        }
        return fresh == running ? "all " + running + " in " + Durations.micros(last) : fresh + " of " + running;
    }

    /** {@code origin} for the learn from the client, else {@code +T via PEER}. */
    static String cell(LearnTimes.Learn learn, long firstMicros) {
        if (!learn.from().isPeer()) {
            return "origin";
        }
        return "+" + Durations.micros(learn.atMicros() - firstMicros) + " via " + learn.from().name();
    }
}
