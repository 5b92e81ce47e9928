package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsoleHistoryTest {

    @Test
    void upRecallsEarlierLinesAndDownComesBackToTheDraft() {
        ConsoleHistory h = new ConsoleHistory();
        h.add("IAMAT a +1+1 1");
        h.add("WHATSAT a 10 5");
        assertEquals("WHATSAT a 10 5", h.earlier("half typed"));
        assertEquals("IAMAT a +1+1 1", h.earlier("WHATSAT a 10 5"));
        assertEquals("IAMAT a +1+1 1", h.earlier("IAMAT a +1+1 1"), "the first line stays");
        assertEquals("WHATSAT a 10 5", h.later("IAMAT a +1+1 1"));
        assertEquals("half typed", h.later("WHATSAT a 10 5"));
        assertEquals("half typed", h.later("half typed"));
    }

    @Test
    void aLineSentTwiceInARowIsKeptOnceAndNothingSentRecallsNothing() {
        ConsoleHistory h = new ConsoleHistory();
        assertEquals("draft", h.earlier("draft"));
        h.add("x");
        h.add("x");
        assertEquals("x", h.earlier(""));
        assertEquals("x", h.earlier("x"));
    }
}
