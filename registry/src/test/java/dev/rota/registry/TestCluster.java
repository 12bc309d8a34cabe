package dev.rota.registry;

import dev.rota.registry.internal.CuratorRegistry;
import dev.rota.testsupport.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.data.Stat;

/**
 * Registries for one fresh namespace on one ZooKeeper, with short session timeouts, all closed
 * together.
 */
final class TestCluster implements AutoCloseable {
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(1);
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    static final Instant STARTED_AT = Instant.parse("2025-01-02T03:04:05.123456Z");

    private final String connectString;
    private final String namespace = TestServers.uniqueName("reg");
    private final List<Registry> registries = Collections.synchronizedList(new ArrayList<>());

    TestCluster(String connectString) {
        this.connectString = connectString;
    }

    String namespace() {
        return namespace;
    }

    Registry startRegistry() {
        return startRegistry(null);
    }

    /** A registry with ZooKeeper authentication and ACLs ({@code auth} null for none). */
    Registry startRegistry(ZkAuth auth) {
        Registry registry = new RegistryBuilder()
                .connectString(connectString)
                .namespace(namespace)
                .sessionTimeout(SESSION_TIMEOUT)
                .connectionTimeout(CONNECTION_TIMEOUT)
                .auth(auth)
                .build();
        registries.add(registry);
        registry.start();
        return registry;
    }

    static MasterInfo master(String id) {
        return new MasterInfo(id, "host-" + id + ":8080", "0.1.0-test", STARTED_AT);
    }

    static WorkerInfo worker(String id) {
        return new WorkerInfo(id, "host-" + id, Set.of("report", "email"), 4, "0.1.0-test", STARTED_AT);
    }

    static CuratorFramework curator(Registry registry) {
        return ((CuratorRegistry) registry).curator();
    }

    /** Expires the registry's ZooKeeper session as a long network partition would. */
    static void expireSession(Registry registry) throws Exception {
        KillSession.kill(curator(registry).getZookeeperClient().getZooKeeper());
    }

    /** Whether {@code path} exists and belongs to the registry's current session. */
    static boolean ownedByCurrentSession(Registry registry, String path) throws Exception {
        CuratorFramework client = curator(registry);
        if (!client.getZookeeperClient().isConnected()) {
            return false;
        }
        Stat stat = client.checkExists().forPath(path);
        return stat != null && stat.getEphemeralOwner() == client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    @Override
    public void close() {
        List<Registry> all = new ArrayList<>(registries);
        Collections.reverse(all);
        all.forEach(Registry::close);
    }
}
