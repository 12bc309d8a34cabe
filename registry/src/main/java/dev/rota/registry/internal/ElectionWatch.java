package dev.rota.registry.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a callback that the election or the masters' registrations may have changed: persistent recursive
 * ZooKeeper watches (Curator's {@link PersistentWatcher}) on {@code election} and {@code masters}, so that a
 * master with no leader to watch waits for a change instead of reading the cluster's status on a timer. The
 * callback also runs each time a watch is (re)set after a reconnection, when changes may have been missed.
 */
final class ElectionWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ElectionWatch.class);

    private final List<PersistentWatcher> watchers;
    private final Consumer<AutoCloseable> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    ElectionWatch(CuratorFramework client, Runnable changed, Consumer<AutoCloseable> onClose) {
        this.onClose = onClose;
        this.watchers = List.of(new PersistentWatcher(client, Layout.ELECTION, true),
                new PersistentWatcher(client, Layout.MASTERS, true));
        for (PersistentWatcher w : watchers) {
            w.getListenable().addListener(event -> notify(changed));
            w.getResetListenable().addListener(() -> notify(changed));
        }
    }

    void start() {
        watchers.forEach(PersistentWatcher::start);
    }

    private static void notify(Runnable changed) {
        try {
            changed.run();
        } catch (RuntimeException e) {
            log.warn("election watch callback failed", e);
        }
    }

    /** Removes the watches; call it before the client is closed. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            watchers.forEach(PersistentWatcher::close);
            onClose.accept(this);
        }
    }
}
