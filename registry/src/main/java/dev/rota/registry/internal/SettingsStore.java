package dev.rota.registry.internal;

import dev.rota.model.ClusterSettings;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import dev.rota.registry.RegistryConfig;
import dev.rota.registry.RegistryException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.WatcherRemoveCuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The persistent {@code settings} node: the {@link ClusterSettings} workers join with. */
final class SettingsStore {
    private static final Logger log = LoggerFactory.getLogger(SettingsStore.class);

    /** While waiting, how often to look again in case a watch was lost with the connection. */
    static final Duration RECHECK_INTERVAL = Duration.ofSeconds(1);

    private final CuratorFramework client;
    private final Acls acls;
    private final MessageCodec codec = new MessageCodec();
    private final String where;

    /** @param acls the ACLs of a cluster with ZooKeeper authentication, or null */
    SettingsStore(CuratorFramework client, RegistryConfig config, Acls acls) {
        this.client = client;
        this.acls = acls;
        this.where = Layout.describe(config, Layout.SETTINGS);
    }

    void publish(ClusterSettings settings) throws Exception {
        client.create().orSetData().creatingParentsIfNeeded().forPath(Layout.SETTINGS, codec.encode(settings));
        // Membership directories exist before any worker joins: a worker may create its own node but not,
        // with ACLs, the directory. And the settings node gets its ACL even if it was created before.
        for (String dir : new String[] {Layout.WORKERS, Layout.MASTERS}) {
            try {
                client.create().forPath(dir);
            } catch (org.apache.zookeeper.KeeperException.NodeExistsException e) {
                // made by an earlier master
            }
        }
        if (acls != null) {
            client.setACL().withACL(acls.getAclForPath(Layout.SETTINGS)).forPath(Layout.SETTINGS);
        }
        log.info("published cluster settings to {}", where);
    }

    Optional<ClusterSettings> read() throws Exception {
        return read(client);
    }

    /**
     * Waits for the settings with a watch on the node, looking again every {@link #RECHECK_INTERVAL}
     * as well, because a watch does not survive a lost session.
     */
    ClusterSettings await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore changed = new Semaphore(0);
        CuratorWatcher watcher = event -> changed.release();
        WatcherRemoveCuratorFramework watching = client.newWatcherRemoveCuratorFramework();
        Exception lastFailure = null;
        try {
            while (true) {
                if (client.getZookeeperClient().isConnected()) {
                    try {
                        if (watching.checkExists().usingWatcher(watcher).forPath(Layout.SETTINGS) != null) {
                            Optional<ClusterSettings> settings = read(watching);
                            if (settings.isPresent()) {
                                return settings.get();
                            }
                        }
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (RegistryException unreadable) {
                        throw unreadable;
                    } catch (Exception e) {
                        lastFailure = e;
                        log.debug("could not read {} yet", where, e);
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new RegistryException("no cluster settings in ZooKeeper at " + where + " after "
                            + readable(timeout) + "; is a master running?", lastFailure);
                }
                changed.tryAcquire(Math.min(remaining, RECHECK_INTERVAL.toNanos()), TimeUnit.NANOSECONDS);
            }
        } finally {
            watching.removeWatchers();
        }
    }

    private Optional<ClusterSettings> read(CuratorFramework from) throws Exception {
        byte[] data;
        try {
            data = from.getData().forPath(Layout.SETTINGS);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decodeSettings(data));
        } catch (MalformedMessageException e) {
            throw unreadable(e);
        }
    }

    private RegistryException unreadable(MalformedMessageException e) {
        return new RegistryException("unreadable cluster settings at " + where + ": " + e.getMessage(), e);
    }

    private static String readable(Duration d) {
        return d.toString().substring(2).toLowerCase();
    }
}
