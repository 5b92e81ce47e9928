package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import herd.engine.config.ServerSpec;
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

    @Test
    void aServerAddedGoesIntoTheBestGapAndTheOthersKeepTheirPlaces() {
        HerdConfig d = HerdConfig.defaults();
        List<String> before = RingLayout.order(d.serverNames(), d.links());
        HerdConfig grown = d.withServer(new ServerSpec("Hilo", "127.0.0.1", 0), List.of("Welsh", "Holiday"));
        List<String> after = RingLayout.order(grown.serverNames(), grown.links(), before);
        assertEquals(before, after.stream().filter(s -> !s.equals("Hilo")).toList(), "the five stay in their order");
        assertEquals(0, RingLayout.crossings(after, grown.links()));
        assertEquals("Goloman", after.get(0), "the top server stays at the top");
        // linked with Welsh and Goloman, it crosses less if Welsh and Holiday swap places: they do
        HerdConfig other = d.withServer(new ServerSpec("Hilo", "127.0.0.1", 0), List.of("Welsh", "Goloman"));
        assertEquals(0, RingLayout.crossings(RingLayout.order(other.serverNames(), other.links(), before), other.links()));
    }

    @Test
    void aServerRemovedLeavesTheOthersInTheirOrder() {
        HerdConfig d = HerdConfig.defaults();
        List<String> before = RingLayout.order(d.serverNames(), d.links());
        HerdConfig shrunk = d.withoutServer("Hands");
        assertEquals(before.stream().filter(s -> !s.equals("Hands")).toList(),
                RingLayout.order(shrunk.serverNames(), shrunk.links(), before));
    }

    @Test
    void theOrderIsLaidAfreshWhenKeepingItWouldCrossMore() {
        List<Link> links = List.of(Link.between("a", "c"), Link.between("b", "d"), Link.between("a", "e"));
        List<String> order = RingLayout.order(List.of("a", "b", "c", "d", "e"), links, List.of("a", "b", "c", "d"));
        assertEquals(0, RingLayout.crossings(order, links), order.toString());
    }
}
