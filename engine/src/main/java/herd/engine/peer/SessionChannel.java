package herd.engine.peer;

import herd.engine.io.Connection;
import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;

/** {@link PeerChannel} over a MINA session and its {@link Connection}. Thread-safe as its parts are. */
final class SessionChannel implements PeerChannel {

    private final Connection connection;
    private final IoSession session;
    private final PeerTls tls;

    SessionChannel(Connection connection, PeerTls tls) {
        this.connection = connection;
        this.session = connection.session;
        this.tls = tls;
    }

    IoSession session() {
        return session;
    }

    @Override
    public void send(String line) {
        connection.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void send(byte[] line) {
        connection.writeLine(line);
    }

    @Override
    public void sendThen(String line, Runnable whenSent) {
        connection.flush();
        session.write(IoBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8))).addListener(f -> whenSent.run());
    }

    @Override
    public void startTls(boolean dialled) {
        tls.start(session);
    }

    @Override
    public boolean tlsOn() {
        return PeerTls.isOn(session);
    }

    @Override
    public void suspendRead() {
        session.suspendRead();
    }

    @Override
    public void resumeRead() {
        session.resumeRead();
    }

    @Override
    public long queuedBytes() {
        return connection.queuedBytes();
    }

    @Override
    public long writtenBytes() {
        return session.getWrittenBytes();
    }

    @Override
    public void close(String reason) {
        connection.close(reason);
    }

    @Override
    public boolean abandon() {
        return connection.abandon();
    }

    @Override
    public void watchForSilence() {
        // A link cut by a dead network (no FIN, no RST) is otherwise noticed only when TCP
        // gives up, which on Linux can take a quarter of an hour.
        session.getConfig().setIdleTime(IdleStatus.BOTH_IDLE, 0);
        session.getConfig().setIdleTime(IdleStatus.WRITER_IDLE, PeerLink.HEARTBEAT_SECONDS);
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, PeerLink.SILENCE_SECONDS);
    }

    @Override
    public String remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public void becomePeer(String peerName) {
        connection.becomePeer(peerName);
    }
}
