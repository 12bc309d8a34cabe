package dev.rota.metrics.internal;

import dev.rota.model.TaskMessage;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** A worker's meters: tasks by type and outcome from its listener, capacity and in-flight tasks read from it. */
public final class WorkerMeters {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BoundedLabel taskTypes;

    public WorkerMeters(int labelLimit) {
        taskTypes = new BoundedLabel(labelLimit);
    }

    /** Gauges that read the worker; call once. */
    public void bind(Worker worker) {
        Gauge.builder("rota.worker.capacity", worker, w -> w.config().capacity())
                .description("Tasks this worker runs at once").register(registry);
        Gauge.builder("rota.worker.in.flight", worker, Worker::inFlight)
                .description("Task handlers running on this worker now").register(registry);
    }

    /** Called on the worker's threads; only counts. */
    public void on(WorkerEvent event, TaskMessage task) {
        String outcome = switch (event) {
            case TASK_SUCCEEDED -> "SUCCEEDED";
            case TASK_FAILED -> "FAILED";
            case TASK_TIMED_OUT -> "TIMED_OUT";
            case TASK_CANCELLED -> "CANCELLED";
            case TASK_REJECTED -> "REJECTED";
            case TASK_SKIPPED -> "SKIPPED";
            default -> null;
        };
        if (outcome != null && task != null) {
            count("rota.worker.tasks", "Tasks this worker handled, by outcome",
                    Tags.of("task_type", taskTypes.of(task.taskType()), "outcome", outcome));
        } else if (event == WorkerEvent.TASK_ABANDONED) {
            count("rota.worker.tasks.abandoned", "Tasks left for redelivery because the worker closed", Tags.empty());
        } else if (event == WorkerEvent.MESSAGE_DEAD_LETTERED) {
            count("rota.worker.messages.dead.lettered", "Unreadable or oversized task messages dead-lettered",
                    Tags.empty());
        } else if (event == WorkerEvent.RESULT_PUBLISH_RETRY) {
            count("rota.worker.result.publish.retries", "Final results published again after a failure", Tags.empty());
        }
    }

    private void count(String name, String description, Tags tags) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment();
    }

    public String scrape() {
        return registry.scrape();
    }

    public void close() {
        registry.close();
    }
}
