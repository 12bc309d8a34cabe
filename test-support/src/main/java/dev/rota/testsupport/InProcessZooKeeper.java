package dev.rota.testsupport;

import java.io.IOException;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A single ZooKeeper server in the test JVM (curator-test), with a short tick so that short session
 * timeouts are allowed. Stop and restart it to test reconnection.
 */
public final class InProcessZooKeeper implements AutoCloseable {
    /** Tick time in ms; the smallest session timeout ZooKeeper allows is two ticks. */
    public static final int TICK_MS = 200;

    private final TestingServer server;

    public InProcessZooKeeper() {
        try {
            InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1);
            server = new TestingServer(spec, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start in-process ZooKeeper", e);
        }
    }

    public String connectString() {
        return server.getConnectString();
    }

    public void stop() throws IOException {
        server.stop();
    }

    public void restart() throws Exception {
        server.restart();
    }

    public TestingServer server() {
        return server;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
