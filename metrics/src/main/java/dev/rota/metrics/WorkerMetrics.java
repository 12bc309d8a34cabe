package dev.rota.metrics;

import dev.rota.metrics.internal.WorkerMeters;
import dev.rota.model.TaskMessage;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerEvent;
import dev.rota.worker.WorkerListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A worker's Prometheus metrics and health. It is the worker's {@link WorkerListener} (give it to
 * {@code WorkerBuilder.listener}; it forwards every event to {@code next}); {@link #bind(Worker)} once the
 * worker is built. Health reads the worker's ZooKeeper and RabbitMQ connection flags, so it reacts as soon
 * as the clients see a connection drop. Serve it with {@link MetricsServer}.
 */
public final class WorkerMetrics implements WorkerListener, MetricsSource, AutoCloseable {
    private final WorkerListener next;
    private final WorkerMeters meters;
    private volatile Worker worker;

    public WorkerMetrics(MetricsConfig config, WorkerListener next) {
        this.next = Objects.requireNonNull(next, "next");
        this.meters = new WorkerMeters(Objects.requireNonNull(config, "config").labelLimit());
    }

    /** Binds the gauges that read the worker (capacity, in-flight tasks) and its health. Call once. */
    public void bind(Worker worker) {
        Objects.requireNonNull(worker, "worker");
        if (this.worker != null) {
            throw new IllegalStateException("these metrics are bound to worker " + this.worker.id() + " already");
        }
        this.worker = worker;
        meters.bind(worker);
    }

    @Override
    public void onEvent(WorkerEvent event, TaskMessage task, String detail) {
        try {
            meters.on(event, task);
        } finally {
            next.onEvent(event, task, detail);
        }
    }

    @Override
    public String scrape() {
        return meters.scrape();
    }

    @Override
    public Health health() {
        Worker w = worker;
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("zookeeper", w != null && w.zooKeeperConnected());
        checks.put("rabbitmq", w != null && w.brokerConnected());
        return new Health(checks);
    }

    @Override
    public void close() {
        meters.close();
    }
}
