package dev.rota.metrics.internal;

import dev.rota.db.Runs;
import dev.rota.master.Backlog;
import dev.rota.master.EventFacts;
import dev.rota.master.Master;
import dev.rota.master.MasterEvent;
import dev.rota.metrics.MetricsConfig;
import dev.rota.model.RunState;
import dev.rota.registry.WorkerInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A master's meters on a Prometheus registry: counters and histograms fed by its listener events,
 * gauges that read the master or a cached snapshot of PostgreSQL and ZooKeeper figures. Every label is
 * bounded (no run ids; job names capped by {@link MetricsConfig#jobLabelLimit()}). The README's
 * "Metrics and health" section lists them all.
 */
public final class MasterMeters {
    static final Duration[] LATENESS_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);
    static final Duration[] BATCH_TIME_BUCKETS = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5);
    static final double[] BATCH_SIZE_BUCKETS = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BoundedLabel jobs;
    private final BoundedLabel teams;
    private final BoundedLabel taskTypes;
    private final StartedRuns lateness = new StartedRuns();
    private final AtomicReference<Runs.ActiveCounts> runCounts = new AtomicReference<>();
    private final AtomicReference<List<WorkerInfo>> workers = new AtomicReference<>();
    private final Timer dispatchTime;
    private final DistributionSummary dispatchSize;
    private final Timer resultTime;
    private final DistributionSummary resultSize;
    private final MultiGauge queueDepth;
    private final MultiGauge queueConsumers;
    private final MultiGauge typeCapacity;
    private final MultiGauge typeBehind;

    public MasterMeters(MetricsConfig config) {
        jobs = new BoundedLabel(config.jobLabelLimit());
        teams = new BoundedLabel(config.labelLimit());
        taskTypes = new BoundedLabel(config.labelLimit());
        dispatchTime = Timer.builder("rota.dispatch.batch").description("Time to claim and publish one dispatch batch")
                .serviceLevelObjectives(BATCH_TIME_BUCKETS).register(registry);
        dispatchSize = DistributionSummary.builder("rota.dispatch.batch.size")
                .description("Task messages published per dispatch batch").serviceLevelObjectives(BATCH_SIZE_BUCKETS)
                .register(registry);
        resultTime = Timer.builder("rota.result.batch").description("Time to apply one batch of worker results")
                .serviceLevelObjectives(BATCH_TIME_BUCKETS).register(registry);
        resultSize = DistributionSummary.builder("rota.result.batch.size")
                .description("Worker results applied per transaction").serviceLevelObjectives(BATCH_SIZE_BUCKETS)
                .register(registry);
        queueDepth = MultiGauge.builder("rota.task.queue.depth")
                .description("Task messages waiting in a task type's queue (leader only)").register(registry);
        queueConsumers = MultiGauge.builder("rota.task.queue.consumers")
                .description("Consumers on a task type's queue (leader only)").register(registry);
        typeCapacity = MultiGauge.builder("rota.task.type.capacity")
                .description("Summed capacity of the live workers serving a task type (leader only)").register(registry);
        typeBehind = MultiGauge.builder("rota.task.type.behind")
                .description("1 when a task type's workers cannot keep up (leader only)").register(registry);
        for (RunState state : RunState.values()) {
            if (!state.isFinal()) {
                Gauge.builder("rota.runs", runCounts, r -> r.get() == null ? Double.NaN : r.get().byState().get(state))
                        .description("Runs not yet final, by state (the database's figure, the same on every master)")
                        .tag("state", state.name()).register(registry);
            }
        }
        Gauge.builder("rota.outbox.pending", runCounts, r -> r.get() == null ? Double.NaN : r.get().unpublished())
                .description("QUEUED attempts whose task message the broker has not confirmed yet").register(registry);
        Gauge.builder("rota.workers.alive", workers, w -> w.get() == null ? Double.NaN : w.get().size())
                .description("Workers registered in ZooKeeper").register(registry);
        Gauge.builder("rota.workers.capacity", workers,
                w -> w.get() == null ? Double.NaN : w.get().stream().mapToInt(WorkerInfo::capacity).sum())
                .description("Summed capacity (concurrent tasks) of the registered workers").register(registry);
    }

    /** Gauges that read the master itself; call once, after it started. */
    public void bind(Master master) {
        Gauge.builder("rota.leader", master, m -> m.isLeader() ? 1 : 0)
                .description("1 while this master leads").register(registry);
        Gauge.builder("rota.leader.epoch", master, Master::epoch)
                .description("The epoch of this master's current term, -1 when it does not lead").register(registry);
    }

    /** Called with the master's events, on its threads; only counts, never blocks. */
    public void on(MasterEvent event, EventFacts facts) {
        switch (event) {
            case LEADERSHIP_ACQUIRED -> count("rota.leadership.changes", "Terms this master started or ended",
                    Tags.of("change", "acquired"), 1);
            case LEADERSHIP_LOST -> {
                lateness.clear();
                count("rota.leadership.changes", "Terms this master started or ended",
                    Tags.of("change", "lost"), 1);
            }
            case RUN_QUEUED -> {
                if (facts instanceof EventFacts.Run r) {
                    count("rota.dispatched", "Attempts committed for dispatch", typeTags(r), 1);
                }
            }
            case RUN_STARTED -> {
                if (facts instanceof EventFacts.Run r && lateness.started(r.runId())) {
                    lateness(r);
                }
            }
            case RUN_FINISHED -> finished(facts);
            case RUN_RESCHEDULED -> {
                if (facts instanceof EventFacts.Run r) {
                    lateness.ended(r.runId());
                    count("rota.retries", "Runs scheduled again: a retry, or its worker was lost",
                            typeTags(r).and("cause", label(r.cause())), 1);
                }
            }
            case FIRE_SKIPPED -> {
                if (facts instanceof EventFacts.Run r) {
                    skipped(r.team(), "concurrency_policy", 1);
                }
            }
            case MISFIRES_SKIPPED -> {
                if (facts instanceof EventFacts.Misfires m) {
                    skipped(m.team(), "misfire_policy", m.count());
                }
            }
            case FIRE_DUPLICATE -> count("rota.fires.duplicate", "Fires the database already had (not doubled)",
                    Tags.empty(), 1);
            case DISPATCH_BATCH -> {
                if (facts instanceof EventFacts.Batch b) {
                    dispatchSize.record(b.size());
                    dispatchTime.record(b.took());
                }
            }
            case RESULT_BATCH -> {
                if (facts instanceof EventFacts.Batch b) {
                    resultSize.record(b.size());
                    resultTime.record(b.took());
                }
            }
            case RESULT_APPLIED, RESULT_STALE, RESULT_FORGED, RESULT_MALFORMED -> count("rota.results",
                    "Worker results read from the results queue, by what became of them",
                    Tags.of("outcome", label(event).substring("result_".length())), 1);
            case MESSAGE_PARKED -> count("rota.messages.parked", "Messages set aside for operators", Tags.empty(), 1);
            case TASK_PUBLISH_FAILED -> count("rota.publish.failures", "Task messages the broker did not confirm",
                    Tags.empty(), 1);
            case FENCED -> count("rota.fenced", "Writes refused because a newer epoch is current", Tags.empty(), 1);
            default -> {
                // the other events are rare and visible in the log
            }
        }
    }

    private void finished(EventFacts facts) {
        if (!(facts instanceof EventFacts.Run r)) {
            return;
        }
        if (!lateness.ended(r.runId())) {
            lateness(r);
        }
        count("rota.fires", "Runs that reached a final state, by outcome",
                typeTags(r).and("job", jobs.of(r.job())).and("outcome", r.state().name()), 1);
        if (r.cause() == EventFacts.Cause.DEAD_LETTERED) {
            count("rota.dead.letters", "Task messages RabbitMQ dead-lettered (their runs are DEAD)", typeTags(r), 1);
        }
        if (r.state() == RunState.SKIPPED) {
            skipped(r.team(), "starting_deadline", 1);
        }
    }

    /** Records how late a run's first attempt started; later attempts are retries, not late fires. */
    private void lateness(EventFacts.Run r) {
        if (r.attempt() != 1 || r.startedAt() == null || r.scheduledAt() == null) {
            return;
        }
        Duration late = Duration.between(r.scheduledAt(), r.startedAt());
        Timer.builder("rota.fire.lateness")
                .description("How late a run's handler started: started_at - scheduled_at, first attempts")
                .serviceLevelObjectives(LATENESS_BUCKETS).tags(typeTags(r)).register(registry)
                .record(late.isNegative() ? Duration.ZERO : late);
    }

    private void skipped(String team, String reason, long n) {
        count("rota.fires.skipped", "Fires not run, by reason", Tags.of("team", teams.of(team), "reason", reason), n);
    }

    private Tags typeTags(EventFacts.Run r) {
        return Tags.of("team", teams.of(r.team()), "task_type", taskTypes.of(r.taskType()));
    }

    private void count(String name, String description, Tags tags, double n) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment(n);
    }

    /** Called by the refresher thread with fresh figures; null leaves a figure as it was. */
    public void refresh(Runs.ActiveCounts counts, List<WorkerInfo> registered, List<Backlog.TaskTypeLoad> loads) {
        if (counts != null) {
            runCounts.set(counts);
        }
        if (registered != null) {
            workers.set(List.copyOf(registered));
        }
        if (loads != null) {
            List<MultiGauge.Row<?>> depth = new ArrayList<>();
            List<MultiGauge.Row<?>> consumers = new ArrayList<>();
            List<MultiGauge.Row<?>> capacity = new ArrayList<>();
            List<MultiGauge.Row<?>> behind = new ArrayList<>();
            for (Backlog.TaskTypeLoad l : loads) {
                Tags tags = Tags.of("task_type", taskTypes.of(l.taskType()));
                depth.add(MultiGauge.Row.of(tags, l.readyMessages()));
                consumers.add(MultiGauge.Row.of(tags, l.consumers()));
                capacity.add(MultiGauge.Row.of(tags, l.workerCapacity()));
                behind.add(MultiGauge.Row.of(tags, l.behind() ? 1 : 0));
            }
            queueDepth.register(depth, true);
            queueConsumers.register(consumers, true);
            typeCapacity.register(capacity, true);
            typeBehind.register(behind, true);
        }
    }

    public String scrape() {
        return registry.scrape();
    }

    public void close() {
        registry.close();
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
        }
        return out;
    }
}
