package herd.engine.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A fake peer's heartbeats: {@code HERD-ALIVE} every half second on a socket, so that the
 * server under test sees a live peer (one that may still never read).
 */
public final class Heartbeats {

    private static final byte[] ALIVE = "HERD-ALIVE\n".getBytes(StandardCharsets.US_ASCII);

    private final ScheduledExecutorService timer;

    private Heartbeats(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static Heartbeats start(Socket peer) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-peer-heartbeats");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                peer.getOutputStream().write(ALIVE);
            } catch (IOException e) {
                timer.shutdown(); // the socket is closed: the test is over
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        return new Heartbeats(timer);
    }

    public void stop() {
        timer.shutdownNow();
    }
}
