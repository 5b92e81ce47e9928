package herd.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.Test;

class WriteBatchTest {

    private final List<String> sent = new CopyOnWriteArrayList<>();

    private Connection connection(String name, boolean peer) {
        DummySession session = new DummySession();
        session.setHandler(new IoHandlerAdapter() {
            @Override
            public void messageSent(IoSession s, Object message) {
                IoBuffer b = ((IoBuffer) message).duplicate();
                b.rewind();
                byte[] bytes = new byte[b.limit()];
                b.get(bytes);
                sent.add(name + ":" + new String(bytes, StandardCharsets.UTF_8));
            }
        });
        Connection c = Connection.accepted(session, 1024);
        if (peer) {
            c.becomePeer("Holiday");
        }
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesDuringABatchLeaveAsOneWritePerConnectionPeersBeforeClients() {
        Connection client = connection("client", false);
        Connection peer = connection("peer", true);
        WriteBatch.during(() -> {
            client.write(bytes("AT reply 1\n"));
            peer.write(bytes("AT update 1\n"));
            client.write(bytes("AT reply 2\n"));
            peer.write(bytes("AT update 2\n"));
            assertTrue(sent.isEmpty(), "nothing leaves before the read is handled: " + sent);
        });
        assertEquals(List.of("peer:AT update 1\nAT update 2\n", "client:AT reply 1\nAT reply 2\n"), sent);
    }

    @Test
    void writesOutsideABatchLeaveAtOnce() {
        Connection client = connection("client", false);
        client.write(bytes("a\n"));
        client.write(bytes("b\n"));
        assertEquals(List.of("client:a\n", "client:b\n"), sent);
    }

    @Test
    void aWriteFromAnotherThreadGoesOutBehindTheBytesABatchHolds() throws Exception {
        Connection client = connection("client", false);
        WriteBatch.during(() -> {
            client.write(bytes("IAMAT reply\n"));
            Thread places = new Thread(() -> client.write(bytes("WHATSAT reply\n")));
            places.start();
            try {
                places.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of("client:IAMAT reply\nWHATSAT reply\n"), sent);
    }

    @Test
    void closingAfterFlushSendsWhatTheBatchHolds() {
        Connection client = connection("client", false);
        WriteBatch.during(() -> {
            client.write(bytes("? too long\n"));
            client.closeAfterFlush("line too long");
            assertEquals(List.of("client:? too long\n"), sent);
        });
    }
}
