package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

class PulseTest {

    private static final long MS = 1_000_000L;

    @BeforeAll
    static void javaFx() throws Exception {
        FxToolkit.registerPrimaryStage(); // an AnimationTimer needs the JavaFX runtime
    }

    private static List<Long> ticks(double framesPerSecond, double seconds) {
        List<Long> ticks = new ArrayList<>();
        Pulse pulse = new Pulse(ticks::add);
        for (int f = 0; f < framesPerSecond * seconds; f++) {
            pulse.handle(1_000 * MS + Math.round(f * 1e9 / framesPerSecond));
        }
        return ticks;
    }

    @Test
    void ticksEveryOtherFrameAtSixtyFramesASecond() {
        assertEquals(60, ticks(60, 2).size());
    }

    @Test
    void neverTicksMoreThanAboutThirtyTimesASecondHoweverFastTheFrames() {
        for (double fps : List.of(75.0, 120.0, 144.0, 240.0)) {
            int n = ticks(fps, 2).size();
            assertTrue(n <= 2 * (Pulse.MAX_PER_SECOND + 4), fps + " frames/s gave " + n + " ticks in 2 s");
        }
    }

    @Test
    void slowFramesTickEveryFrame() {
        assertEquals(40, ticks(20, 2).size());
    }
}
