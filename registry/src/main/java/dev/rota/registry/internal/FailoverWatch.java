package dev.rota.registry.internal;

import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master's watch on the {@code failover} node. When a request names this master it steps down and
 * deletes the request (only that version of it, so a newer request survives).
 *
 * <p>It steps down even when its latch has not yet noticed that it leads: the requester read the
 * election in ZooKeeper, which can be ahead of the latch, and stepping down when not leading only moves
 * this master to the back of the election.
 */
final class FailoverWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FailoverWatch.class);

    private final CuratorFramework client;
    private final MessageCodec codec;
    private final String masterId;
    private final Runnable stepDown;
    private final CuratorCache cache;

    FailoverWatch(CuratorFramework client, MessageCodec codec, String masterId, Runnable stepDown) {
        this.client = client;
        this.codec = codec;
        this.masterId = masterId;
        this.stepDown = stepDown;
        this.cache = Caches.build(client, Layout.FAILOVER, CuratorCache.Options.SINGLE_NODE_CACHE);
    }

    /** Starts watching; requests are handled on {@code callbacks}, in order with leadership callbacks. */
    void start(Executor callbacks) {
        cache.listenable().addListener(
                CuratorCacheListener.builder().forCreatesAndChanges((before, after) -> onRequest(after)).build(),
                callbacks);
        cache.start();
    }

    private void onRequest(ChildData node) {
        FailoverRequest request;
        try {
            request = codec.decode(node.getData(), FailoverRequest.class);
        } catch (MalformedMessageException e) {
            log.warn("ignoring unreadable failover request at {}: {}", node.getPath(), e.getMessage());
            return;
        }
        if (!masterId.equals(request.leaderId())) {
            return;
        }
        log.info("master {}: failover requested at {}; stepping down", masterId, request.requestedAt());
        stepDown.run();
        try {
            client.delete().withVersion(node.getStat().getVersion()).inBackground().forPath(Layout.FAILOVER);
        } catch (Exception e) {
            log.warn("master {}: could not delete the handled failover request", masterId, e);
        }
    }

    /** Stops watching. Call it before the client is closed (see {@link Caches}). Idempotent. */
    @Override
    public void close() {
        cache.close();
    }
}
