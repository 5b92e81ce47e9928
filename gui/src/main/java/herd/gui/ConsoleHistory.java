package herd.gui;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines sent from the client console, for Up and Down to recall as a shell does: Up
 * goes to earlier lines, Down back towards the line being typed, which is kept while
 * browsing. A line sent twice in a row is kept once; at most {@value #KEPT} are kept.
 * JavaFX thread only.
 */
final class ConsoleHistory {

    static final int KEPT = 200;

    private final List<String> sent = new ArrayList<>();
    private int at; // sent.size() while not browsing
    private String draft = "";

    /** Remembers a line just sent, and stops browsing. */
    void add(String line) {
        if (!line.isEmpty() && (sent.isEmpty() || !sent.get(sent.size() - 1).equals(line))) {
            sent.add(line);
            if (sent.size() > KEPT) {
                sent.remove(0);
            }
        }
        at = sent.size();
        draft = "";
    }

    /** The line before the one shown ({@code current}, kept as the draft when browsing starts); unchanged at the first. */
    String earlier(String current) {
        if (at == sent.size()) {
            draft = current;
        }
        if (at > 0) {
            at--;
        }
        return sent.isEmpty() ? current : sent.get(at);
    }

    /** The line after the one shown; past the newest, the draft typed before browsing. */
    String later(String current) {
        if (at >= sent.size()) {
            return current;
        }
        at++;
        return at == sent.size() ? draft : sent.get(at);
    }
}
