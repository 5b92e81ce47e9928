package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingLayoutTest {

    @Test
    void theDefaultHerdIsDrawnWithoutCrossings() {
        HerdConfig d = HerdConfig.defaults();
        assertEquals(1, RingLayout.crossings(d.serverNames(), d.links()), "config order crosses once");
        List<String> order = RingLayout.order(d.serverNames(), d.links());
        assertEquals(0, RingLayout.crossings(order, d.links()));
        assertEquals("Goloman", order.get(0));
        assertEquals(d.serverNames().stream().sorted().toList(), order.stream().sorted().toList());
    }

    @Test
    void largeHerdsKeepConfigOrder() {
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i");
        assertEquals(names, RingLayout.order(names, List.of(Link.between("a", "e"), Link.between("b", "f"))));
    }
}
