package herd.launcher;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * A JVM that only binds a port and waits to be killed: what any Java server pays before it
 * can listen. GraderScriptIT starts five at once to learn this machine's floor.
 */
public final class BindOnly {

    private BindOnly() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocketChannel c = ServerSocketChannel.open()) {
            c.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 50);
            Thread.sleep(60_000); // killed by the test long before
        }
    }
}
