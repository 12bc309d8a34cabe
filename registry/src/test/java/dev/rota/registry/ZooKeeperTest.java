package dev.rota.registry;

import dev.rota.testsupport.InProcessZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One in-process ZooKeeper per test class, and a fresh namespace ({@link TestCluster}) per test. */
abstract class ZooKeeperTest {
    static InProcessZooKeeper zooKeeper;
    TestCluster cluster;

    @BeforeAll
    static void startZooKeeper() {
        zooKeeper = new InProcessZooKeeper();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zooKeeper.close();
    }

    @BeforeEach
    void newNamespace() {
        cluster = new TestCluster(zooKeeper.connectString());
    }

    @AfterEach
    void closeRegistries() {
        cluster.close();
    }
}
