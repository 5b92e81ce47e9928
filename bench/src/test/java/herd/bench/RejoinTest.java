package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejoinTest {

    private static final List<String> NEIGHBOURS = List.of("Goloman", "Welsh", "Wilkes");

    @Test
    void aNeighbourIsBackWhenItsLinkIsUpAndItsReportsArriveAndTheLastOneCounts() {
        // Goloman's reports arrive through Wilkes long before its own link is up: the link decides
        double worst = Rejoin.worst(NEIGHBOURS, Map.of("Goloman", 1600.0, "Welsh", 2.0, "Wilkes", 3.0),
                Map.of("Goloman", 40.0, "Welsh", 60.0, "Wilkes", 70.0));
        assertEquals(1600, worst);
    }

    @Test
    void reportsThatArriveAfterTheLinkDoNotCountOnlyTheLinkDoes() {
        // a WHATSAT waits for the restarted server's Places provider: not the link's time
        double worst = Rejoin.worst(NEIGHBOURS, Map.of("Goloman", 270.0, "Welsh", 280.0, "Wilkes", 275.0),
                Map.of("Goloman", 700.0, "Welsh", 720.0, "Wilkes", 740.0));
        assertEquals(280, worst);
    }

    @Test
    void aLinkNeverSeenUpOrOneBackTooLateIsNoRejoin() {
        assertTrue(Double.isNaN(Rejoin.worst(NEIGHBOURS, Map.of("Welsh", 2.0, "Wilkes", 3.0),
                Map.of("Goloman", 40.0, "Welsh", 60.0, "Wilkes", 70.0))));
        assertTrue(Double.isNaN(Rejoin.worst(NEIGHBOURS, Map.of("Goloman", 1.0, "Welsh", 2.0, "Wilkes", 3.0),
                Map.of("Goloman", Double.NaN, "Welsh", 60.0, "Wilkes", 70.0))));
        assertTrue(Double.isNaN(Rejoin.worst(NEIGHBOURS, Map.of("Goloman", 10_001.0, "Welsh", 2.0, "Wilkes", 3.0),
                Map.of("Goloman", 40.0, "Welsh", 60.0, "Wilkes", 70.0))));
    }
}
