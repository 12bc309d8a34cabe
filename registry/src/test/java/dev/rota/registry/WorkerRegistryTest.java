package dev.rota.registry;

import static dev.rota.registry.TestCluster.worker;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;


import java.time.Duration;
import org.apache.zookeeper.CreateMode;




import org.junit.jupiter.api.Test;

class WorkerRegistryTest extends ZooKeeperTest {
    @Test
    void watchersSeeWorkersJoinAndLeave_andStatusListsThem() throws Exception {
        Registry workers = cluster.startRegistry();
        WorkerMembership first = workers.registerWorker(worker("w1"));
        Registry observer = cluster.startRegistry();
        WorkerEvents events = new WorkerEvents();
        AutoCloseable watch = observer.watchWorkers(events);

        events.expect("joined:w1");
        WorkerMembership second = workers.registerWorker(worker("w2"));
        events.expect("joined:w2");
        assertThat(observer.status().workers()).containsExactly(worker("w1"), worker("w2"));

        first.close();

        events.expect("left:w1");
        assertThat(observer.status().workers()).containsExactly(worker("w2"));

        watch.close();
        second.close();
        events.expectNothingWithin(Duration.ofMillis(300));
        assertThat(observer.status().workers()).isEmpty();
    }

    @Test
    void closingTheRegistryRemovesItsWorkers() throws Exception {
        Registry workers = cluster.startRegistry();
        workers.registerWorker(worker("w1"));
        Registry observer = cluster.startRegistry();
        WorkerEvents events = new WorkerEvents();
        observer.watchWorkers(events);
        events.expect("joined:w1");

        workers.close();

        events.expect("left:w1");
        assertThat(observer.status().workers()).isEmpty();
    }

    @Test
    void unreadableNodesAreSkipped() throws Exception {
        Registry registry = cluster.startRegistry();
        registry.registerWorker(worker("w1"));
        TestCluster.curator(registry).create().withMode(CreateMode.EPHEMERAL)
                .forPath("/workers/garbled", "not json".getBytes(UTF_8));
        WorkerEvents events = new WorkerEvents();
        registry.watchWorkers(events);

        assertThat(registry.status().workers()).containsExactly(worker("w1"));
        events.expect("joined:w1");
        events.expectNothingWithin(Duration.ofMillis(300));
    }
}
