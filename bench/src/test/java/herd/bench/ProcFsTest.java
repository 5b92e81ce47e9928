package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcFsTest {

    @Test
    void aListenerRowGivesItsInode() {
        String row = "   3: 0100007F:2EEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0";
        assertEquals(OptionalLong.of(123456), ProcFs.listenerInode(row, 0x2EEA));
        assertEquals(OptionalLong.empty(), ProcFs.listenerInode(row, 0x2EEB));
        assertEquals(OptionalLong.empty(), ProcFs.listenerInode(row.replace(" 0A ", " 01 "), 0x2EEA));
    }

    @Test
    void findsThisProcessListeningAndReadsItsMemoryAndFiles() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            assertTrue(ProcFs.isListening(port));
            assertEquals(ProcessHandle.current().pid(), ProcFs.listeningPid(port).orElseThrow());
        }
        long me = ProcessHandle.current().pid();
        assertTrue(ProcFs.residentBytes(me) > 1 << 20);
        assertTrue(ProcFs.openFiles(me) > 2);
        assertTrue(ProcFs.openFileLimit("self") > 2);
    }

    @Test
    void aClosedPortDoesNotListen() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertFalse(ProcFs.isListening(port));
    }
}
