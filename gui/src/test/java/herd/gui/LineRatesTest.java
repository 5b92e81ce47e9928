package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LineRatesTest {

    private static final long MS = 1_000_000L;

    @Test
    void rateIsLinesOverAboutTheLastSecond() {
        LineRates rates = new LineRates();
        assertEquals(0, rates.update("Hands", 0, 0));
        double r = 0;
        for (int t = 1; t <= 60; t++) { // 30 Hz for 2 s, 100 lines a pulse = 3000 lines/s
            r = rates.update("Hands", t * 100L, t * 33 * MS + t / 3 * MS);
        }
        assertEquals(3000, r, 100);
        for (int t = 61; t <= 100; t++) { // then silence
            r = rates.update("Hands", 6000, t * 33 * MS + t / 3 * MS);
        }
        assertEquals(0, r, 1e-9);
    }
}
