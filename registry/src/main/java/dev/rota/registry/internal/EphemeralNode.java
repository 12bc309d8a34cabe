package dev.rota.registry.internal;

import dev.rota.registry.RegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ephemeral node that Curator's {@link PersistentNode} recreates after a session loss or a
 * deletion, until {@link #close()} removes it. Closing while disconnected blocks for as long as the
 * client's retry policy allows; the deletion is then retried in the background (Curator's guaranteed
 * delete) while the client stays open, and the node goes with the session when the client closes.
 */
final class EphemeralNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EphemeralNode.class);

    private final CuratorFramework client;
    private final String path;
    private final PersistentNode node;

    EphemeralNode(CuratorFramework client, String path, byte[] data) {
        this.client = client;
        this.path = path;
        this.node = new PersistentNode(client, CreateMode.EPHEMERAL, false, path, data);
    }

    /**
     * Creates the node and waits up to {@code timeout} for it to exist.
     *
     * @throws RegistryException when it was not created in time (the node is closed), or on interrupt
     *                           (the interrupt flag is set again)
     */
    void start(Duration timeout) {
        node.start();
        boolean created;
        try {
            created = node.waitForInitialCreate(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new RegistryException("interrupted while creating " + path, e);
        }
        if (!created) {
            close();
            throw new RegistryException("could not create " + path + " within " + timeout);
        }
    }

    /** Deletes the node and stops recreating it. Idempotent. */
    @Override
    public void close() {
        try {
            node.close();
        } catch (IOException e) {
            if (client.getState() == CuratorFrameworkState.STOPPED) {
                log.debug("{} goes with the closed ZooKeeper session", path);
            } else {
                log.warn("could not delete {} now ({}); Curator keeps trying in the background", path, e.getMessage());
            }
        }
    }
}
