package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableCapacityTest {

    @Test
    void heapInUseIsReadFromG1sHeapInfoWithoutMetaspace() {
        String g1 = """
                14077:
                 garbage-first heap   total 397312K, used 17946K [0x0000000687400000, 0x0000000800000000)
                  region size 4096K, 4 young (16384K), 0 survivors (0K)
                 Metaspace       used 8933K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;
        assertEquals(17946L * 1024, TableCapacity.heapUsed(g1));
    }

    @Test
    void aGenerationalHeapIsTheSumOfItsGenerations() {
        String serial = """
                 def new generation   total 4928K, used 1000K [0x00000000e0000000, 0x00000000e0550000)
                  eden space 4416K,  20% used [0x00000000e0000000, 0x00000000e00f8000)
                 tenured generation   total 10944K, used 2000K [0x00000000e5550000, 0x00000000e6000000)
                   the space 10944K,  18% used [0x00000000e5550000, 0x00000000e58ad000)
                 Metaspace       used 8933K, committed 9088K, reserved 1114112K
                """;
        assertEquals(3000L * 1024, TableCapacity.heapUsed(serial));
    }

    @Test
    void anAnswerWithoutAHeapIsRefused() {
        assertThrows(BenchException.class, () -> TableCapacity.heapUsed("14077:\nCommand executed successfully"));
    }
}
