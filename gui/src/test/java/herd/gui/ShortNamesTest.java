package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShortNamesTest {

    @Test
    void theDefaultHerdsNamesAreCutToFourLetters() {
        assertEquals(List.of("Golo", "Hand", "Holi", "Wels", "Wilk"),
                ShortNames.of(List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes")));
    }

    @Test
    void namesSharingAPrefixAreCutWhereTheyDiffer() {
        assertEquals(List.of("Holi", "Holl", "Hilo"), ShortNames.of(List.of("Holiday", "Holly", "Hilo")));
        assertEquals(List.of("Wilke", "Wilki"), ShortNames.of(List.of("Wilkes", "Wilkinson")));
        assertEquals(List.of("Hand", "Hands2", "Hands3"), ShortNames.of(List.of("Hand", "Hands2", "Hands3")));
    }
}
