package herd.gui;

import java.util.Locale;

/** Microsecond durations for people: {@code 0.05 ms}, {@code 2.4 ms}, {@code 38 ms}, {@code 1.25 s}. */
final class Durations {

    private Durations() {
    }

    static String micros(long us) {
        double ms = us / 1000.0;
        if (ms < 0.1) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
}
