package dev.rota.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * A ZooKeeper ensemble of in-process servers (curator-test {@link TestingCluster}) with an explicit
 * tick, so that the session timeouts the nodes ask for are allowed (between 2 and 20 ticks). Servers
 * are addressed by index 0..n-1 for killing and restarting.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {
    static {
        // A server that cannot bind its quorum port (a random port taken between choosing and binding it)
        // calls System.exit by default, which ended a whole surefire fork of chaos tests in CI once. Logged
        // instead, the ensemble fails to form and that one test says so.
        org.apache.zookeeper.util.ServiceUtils.setSystemExitProcedure(org.apache.zookeeper.util.ServiceUtils.LOG_ONLY);
    }

    private final TestingCluster cluster;
    private final List<InstanceSpec> specs;

    public ZooKeeperEnsemble(int servers, int tickMillis) {
        int[][] ports = new int[servers][3];
        Map<String, Object> serverLines = new HashMap<>();
        for (int i = 0; i < servers; i++) {
            for (int p = 0; p < 3; p++) {
                ports[i][p] = InstanceSpec.getRandomPort();
            }
            // Without a client address in the server lines, /zookeeper/config names no client ports, so
            // Curator's EnsembleTracker (on by default) cannot replace a node's connect string (its
            // proxies) with the servers' own addresses, which would bypass every cut.
            serverLines.put("server." + (i + 1), "localhost:" + ports[i][1] + ":" + ports[i][2]);
        }
        specs = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            specs.add(new InstanceSpec(null, ports[i][0], ports[i][1], ports[i][2], true, i + 1, tickMillis, -1,
                    serverLines));
        }
        cluster = new TestingCluster(specs);
        try {
            cluster.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a ZooKeeper ensemble of " + servers, e);
        }
    }

    public String connectString() {
        return cluster.getConnectString();
    }

    public int size() {
        return specs.size();
    }

    public InetSocketAddress address(int server) {
        return new InetSocketAddress("127.0.0.1", specs.get(server).getPort());
    }

    /** Stops server {@code server} (0-based) as a crash would. */
    public void kill(int server) {
        try {
            if (!cluster.killServer(specs.get(server))) {
                throw new IllegalStateException("ZooKeeper server " + server + " was not running");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot kill ZooKeeper server " + server, e);
        }
    }

    /** Starts a killed server again with its data. */
    public void restart(int server) {
        try {
            if (!cluster.restartServer(specs.get(server))) {
                throw new IllegalStateException("ZooKeeper server " + server + " could not be restarted");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart ZooKeeper server " + server, e);
        }
    }

    @Override
    public void close() throws IOException {
        cluster.close();
    }
}
