package dev.rota.registry.internal;

import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import dev.rota.registry.WorkerInfo;
import dev.rota.registry.WorkerListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a {@link WorkerListener} about worker nodes appearing and disappearing under {@code workers},
 * the ones already there included, on its own {@link CallbackThread}.
 */
final class WorkerWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerWatch.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final MessageCodec codec;
    private final WorkerListener listener;
    private final CuratorCache cache;
    private final CallbackThread callbacks;
    private final Consumer<AutoCloseable> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    WorkerWatch(CuratorFramework client, MessageCodec codec, WorkerListener listener, String threadName,
            Consumer<AutoCloseable> onClose) {
        this.codec = codec;
        this.listener = listener;
        this.onClose = onClose;
        this.cache = Caches.build(client, Layout.WORKERS);
        this.callbacks = new CallbackThread(threadName);
    }

    void start() {
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(node -> deliver(node, listener::workerJoined))
                .forDeletes(node -> deliver(node, listener::workerLeft))
                .build(), callbacks);
        cache.start();
    }

    private void deliver(ChildData node, Consumer<WorkerInfo> callback) {
        if (!Layout.WORKERS.equals(ZKPaths.getPathAndNode(node.getPath()).getPath())) {
            return;
        }
        WorkerInfo worker;
        try {
            worker = codec.decode(node.getData(), WorkerInfo.class);
        } catch (MalformedMessageException e) {
            log.warn("skipping unreadable worker node {}: {}", node.getPath(), e.getMessage());
            return;
        }
        try {
            callback.accept(worker);
        } catch (RuntimeException e) {
            log.error("worker listener failed for worker {}", worker.id(), e);
        }
    }

    /**
     * Stops the watch; callbacks already queued still run (bounded wait). Call it before the client is
     * closed (see {@link Caches}). Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cache.close();
            callbacks.shutdown(SHUTDOWN_WAIT);
            onClose.accept(this);
        }
    }
}
