package dev.rota.registry.internal;

import dev.rota.registry.WorkerMembership;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A worker's registration: its ephemeral node {@code workers/<id>}. */
final class WorkerNode implements WorkerMembership {
    private final EphemeralNode node;
    private final Consumer<AutoCloseable> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    WorkerNode(EphemeralNode node, Consumer<AutoCloseable> onClose) {
        this.node = node;
        this.onClose = onClose;
    }

    void start(Duration timeout) {
        node.start(timeout);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            node.close();
            onClose.accept(this);
        }
    }
}
