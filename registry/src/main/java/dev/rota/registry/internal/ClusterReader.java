package dev.rota.registry.internal;

import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import dev.rota.registry.ClusterStatus;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.WorkerInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the cluster's registrations and election; nodes that cannot be parsed are skipped with a WARN. */
final class ClusterReader {
    private static final Logger log = LoggerFactory.getLogger(ClusterReader.class);

    private final CuratorFramework client;
    private final MessageCodec codec;

    ClusterReader(CuratorFramework client, MessageCodec codec) {
        this.client = client;
        this.codec = codec;
    }

    ClusterStatus status() throws Exception {
        return new ClusterStatus(Election.leaderId(client),
                read(Layout.MASTERS, MasterInfo.class, MasterInfo::id),
                read(Layout.WORKERS, WorkerInfo.class, WorkerInfo::id));
    }

    /** How many nodes are registered under {@code parent}, readable or not. */
    int count(String parent) throws Exception {
        return children(parent).size();
    }

    private <T> List<T> read(String parent, Class<T> type, Function<T, String> id) throws Exception {
        List<T> found = new ArrayList<>();
        for (String child : children(parent)) {
            String path = ZKPaths.makePath(parent, child);
            try {
                found.add(codec.decode(client.getData().forPath(path), type));
            } catch (KeeperException.NoNodeException leftJustNow) {
                // Deregistered between listing and reading: no longer part of the snapshot.
            } catch (MalformedMessageException e) {
                log.warn("skipping unreadable {} node {}: {}", type.getSimpleName(), path, e.getMessage());
            }
        }
        found.sort(Comparator.comparing(id));
        return List.copyOf(found);
    }

    private List<String> children(String parent) throws Exception {
        try {
            return client.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }
}
