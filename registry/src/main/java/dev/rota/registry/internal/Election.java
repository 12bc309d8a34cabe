package dev.rota.registry.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;

/**
 * Reads the leader election as ZooKeeper holds it, without taking part: the leader is the participant
 * whose {@code LeaderLatch} node has the lowest sequence number, and that node's data is its id. This
 * can run ahead of the latches themselves, which learn of a change a moment later.
 */
final class Election {
    /** The prefix {@code LeaderLatch} gives its nodes, before the 10-digit sequence number. */
    private static final String NODE_PREFIX = "latch-";

    private Election() {
    }

    static Optional<String> leaderId(CuratorFramework client) throws Exception {
        List<String> children;
        try {
            children = client.getChildren().forPath(Layout.ELECTION);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
        List<String> inLine = children.stream()
                .filter(child -> child.contains(NODE_PREFIX))
                .sorted(Comparator.comparing(Election::sequence))
                .toList();
        for (String child : inLine) {
            try {
                byte[] id = client.getData().forPath(ZKPaths.makePath(Layout.ELECTION, child));
                return Optional.of(new String(id, UTF_8));
            } catch (KeeperException.NoNodeException leftJustNow) {
                // The next participant in line takes over from the one that left.
            }
        }
        return Optional.empty();
    }

    private static String sequence(String child) {
        return child.substring(child.lastIndexOf(NODE_PREFIX) + NODE_PREFIX.length());
    }

    /**
     * Deletes the election node of {@code masterId} if it is the leader's node now: the next participant
     * in line then takes over at once, without waiting for the crashed leader's session to expire.
     *
     * @return whether a node was deleted
     */
    static boolean evictLeader(CuratorFramework client, String masterId) throws Exception {
        List<String> children;
        try {
            children = client.getChildren().forPath(Layout.ELECTION);
        } catch (KeeperException.NoNodeException e) {
            return false;
        }
        List<String> inLine = children.stream()
                .filter(child -> child.contains(NODE_PREFIX))
                .sorted(Comparator.comparing(Election::sequence))
                .toList();
        for (String child : inLine) {
            String path = ZKPaths.makePath(Layout.ELECTION, child);
            try {
                org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
                byte[] id = client.getData().storingStatIn(stat).forPath(path);
                if (!masterId.equals(new String(id, UTF_8))) {
                    return false;
                }
                client.delete().withVersion(stat.getVersion()).forPath(path);
                return true;
            } catch (KeeperException.NoNodeException leftJustNow) {
                // The next participant in line is the leader now: look at it.
            }
        }
        return false;
    }
}
