package herd.gui;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The last lines of one server's event log, and the ones a person is looking at: those that
 * match the filter, frozen while paused. Bounded: at most {@code capacity} lines are kept,
 * the oldest dropped first. JavaFX thread only ({@link #shown()} backs a list view).
 */
final class LogTail {

    private final int capacity;
    private final Deque<TailLine> lines = new ArrayDeque<>();
    private final ObservableList<TailLine> shown = FXCollections.observableArrayList();
    private String filter = "";
    private boolean paused;

    LogTail(int capacity) {
        this.capacity = capacity;
    }

    /** The lines to show: the kept lines matching the filter, as of the last resume while paused. */
    ObservableList<TailLine> shown() {
        return shown;
    }

    /** Keeps {@code batch} (oldest first) and shows the matching lines unless paused. */
    void append(List<TailLine> batch) {
        List<TailLine> kept = batch.size() > capacity ? batch.subList(batch.size() - capacity, batch.size()) : batch;
        int droppedShown = 0;
        for (TailLine line : kept) {
            lines.addLast(line);
            if (lines.size() > capacity && matches(lines.removeFirst())) {
                droppedShown++;
            }
        }
        if (paused) {
            return;
        }
        // shown mirrors the kept lines that match, so what leaves the tail leaves the view
        if (droppedShown > 0) {
            shown.remove(0, Math.min(droppedShown, shown.size()));
        }
        List<TailLine> fresh = kept.stream().filter(this::matches).toList();
        if (!fresh.isEmpty()) {
            shown.addAll(fresh);
        }
        if (shown.size() > capacity) {
            shown.remove(0, shown.size() - capacity);
        }
    }

    /** Shows only lines containing {@code text}, ignoring case; empty shows all. */
    void setFilter(String text) {
        filter = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (!paused) {
            refresh();
        }
    }

    /** Paused, the view stays as it is while lines keep arriving; resumed, it catches up. */
    void setPaused(boolean pause) {
        paused = pause;
        if (!pause) {
            refresh();
        }
    }

    int size() {
        return lines.size();
    }

    private boolean matches(TailLine line) {
        return filter.isEmpty() || line.text().toLowerCase(Locale.ROOT).contains(filter);
    }

    private void refresh() {
        shown.setAll(lines.stream().filter(this::matches).toList());
    }
}
