package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogTailTest {

    private static List<TailLine> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> TailLine.note((i % 2 == 0 ? "IN " : "OUT ") + i)).toList();
    }

    private static List<String> text(List<TailLine> lines) {
        return lines.stream().map(TailLine::text).toList();
    }

    @Test
    void keepsOnlyTheNewestLines() {
        LogTail tail = new LogTail(10);
        tail.append(lines(0, 7));
        tail.append(lines(7, 14));
        assertEquals(10, tail.size());
        assertEquals(text(lines(4, 14)), text(tail.shown()));
        tail.append(lines(14, 100));
        assertEquals(text(lines(90, 100)), text(tail.shown()));
    }

    @Test
    void filterShowsMatchingKeptLinesAndFollowsNewOnes() {
        LogTail tail = new LogTail(10);
        tail.append(lines(0, 10));
        tail.setFilter("in");
        assertEquals(List.of("IN 0", "IN 2", "IN 4", "IN 6", "IN 8"), text(tail.shown()));
        tail.append(lines(10, 14)); // 0..3 leave the tail, and so leave the view
        assertEquals(List.of("IN 4", "IN 6", "IN 8", "IN 10", "IN 12"), text(tail.shown()));
        tail.setFilter("");
        assertEquals(text(lines(4, 14)), text(tail.shown()));
    }

    @Test
    void pauseFreezesTheViewAndResumeCatchesUp() {
        LogTail tail = new LogTail(10);
        tail.append(lines(0, 3));
        tail.setPaused(true);
        tail.append(lines(3, 20));
        assertEquals(text(lines(0, 3)), text(tail.shown()));
        tail.setPaused(false);
        assertEquals(text(lines(10, 20)), text(tail.shown()));
    }
}
