package dev.rota.registry.internal;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link CuratorCache}s the registry watches with. Their background errors while the
 * connection is down or closing are expected (the cache reloads once reconnected) and go to DEBUG
 * rather than Curator's default ERROR; others are logged at WARN.
 *
 * <p>Every cache must be closed before its client: closing a Curator 5.7 client under an open cache
 * whose watch is being re-added makes the cache's watcher retry without end on the closing thread.
 */
final class Caches {
    private static final Logger log = LoggerFactory.getLogger(Caches.class);

    private Caches() {
    }

    static CuratorCache build(CuratorFramework client, String path, CuratorCache.Options... options) {
        return CuratorCache.builder(client, path)
                .withOptions(options)
                .withExceptionHandler(e -> {
                    if (client.getZookeeperClient().isConnected()) {
                        log.warn("watch on {} failed; it recovers on the next change or reconnection", path, e);
                    } else {
                        log.debug("watch on {} failed while disconnected: {}", path, e.toString());
                    }
                })
                .build();
    }
}
