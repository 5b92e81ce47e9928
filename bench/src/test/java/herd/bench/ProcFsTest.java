package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
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

    /** Captured from this project's machine (Linux 6.18), the TcpExt lines cut after TCPHPHits, the MPTcpExt ones after two. */
    private static final String NETSTAT = """
            TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned OfoPruned \
            OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive PAWSEstab BeyondWindow \
            TSEcrRejected PAWSOldAck PAWSTimewait DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops \
            TCPHPHits
            TcpExt: 0 0 0 0 507 0 0 0 0 0 91015 20711 0 0 0 0 0 0 1 10262 2 3590 1234 1240 1710458
            IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets OutOctets \
            InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors InNoECTPkts InECT1Pkts InECT0Pkts \
            InCEPkts ReasmOverlaps
            IpExt: 0 0 0 0 0 0 2862481633 2830122723 0 0 0 0 0 3658682 0 0 0 0
            MPTcpExt: MPCapableSYNRX MPCapableSYNTX
            MPTcpExt: 0 7
            """;

    @Test
    void netstatGivesEachCounterByItsSectionAndName() {
        Map<String, Long> counters = ProcFs.netstat(NETSTAT);
        assertEquals(1234, counters.get("TcpExt.ListenOverflows"));
        assertEquals(1240, counters.get("TcpExt.ListenDrops"));
        assertEquals(1710458, counters.get("TcpExt.TCPHPHits"));
        assertEquals(2830122723L, counters.get("IpExt.OutOctets"));
        assertEquals(7, counters.get("MPTcpExt.MPCapableSYNTX"));
        assertEquals(25 + 18 + 2, counters.size());
    }

    @Test
    void aNetstatValuesLineWithoutItsNamesLineIsLeftOut() {
        assertEquals(Map.of(), ProcFs.netstat("TcpExt: 0 1 2\nIpExt: A B\nTcpExt: 3 4\n"));
        assertEquals(Map.of(), ProcFs.netstat("TcpExt: A B C\nTcpExt: 1 2\n"));
        assertEquals(Map.of(), ProcFs.netstat(""));
    }

    @Test
    void thisMachinesNetstatHasTheListenCountersOrIsAbsent() {
        ProcFs.netstat().ifPresent(c -> {
            assertTrue(c.containsKey("TcpExt.ListenOverflows"), c.keySet().toString());
            assertTrue(c.containsKey("TcpExt.ListenDrops"), c.keySet().toString());
        });
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
