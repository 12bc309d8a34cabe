package dev.rota.master.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.rota.db.Runs.TaskTypeActivity;
import dev.rota.master.Backlog.TaskTypeLoad;
import dev.rota.master.MasterEvent;
import dev.rota.registry.WorkerInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, on the leader, each task type's queue depth (a passive declare: RabbitMQ's ready message
 * and consumer counts) against what its workers start: the registered workers' capacity and the
 * attempts started in the last {@link #DEFAULT_WINDOW}. A type whose waiting messages would take longer
 * than {@link #DEFAULT_THRESHOLD} to start at that rate, or whose messages wait with no consumer, is
 * behind: {@link MasterEvent#BACKLOG_BEHIND} is emitted when it falls behind and
 * {@link MasterEvent#BACKLOG_CLEARED} when it catches up (not at every measurement). Runs on the term's
 * scheduler thread.
 */
final class BacklogMonitor {
    private static final Logger log = LoggerFactory.getLogger(BacklogMonitor.class);
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final Duration DEFAULT_THRESHOLD = Duration.ofMinutes(1);
    /**
     * How often to measure: a backlog worth reporting builds over seconds, and each measurement costs a
     * ZooKeeper read, a database aggregate and a passive declare per task type on the term's shared
     * scheduler thread, which the reconciler and sweeper use too.
     */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final TermContext ctx;
    private final BacklogView view;
    private final Duration window;
    private final Duration threshold;
    private final Set<String> behind = new HashSet<>();

    BacklogMonitor(TermContext ctx, BacklogView view, Duration window, Duration threshold) {
        this.ctx = ctx;
        this.view = view;
        this.window = window;
        this.threshold = threshold;
    }

    void runOnce() {
        Map<String, TaskTypeActivity> activity = ctx.db().runs().activity(window);
        Map<String, Integer> capacity = new HashMap<>();
        for (WorkerInfo w : ctx.registry().status().workers()) {
            w.taskTypes().forEach(t -> capacity.merge(t, w.capacity(), Integer::sum));
        }
        Set<String> types = new TreeSet<>(activity.keySet());
        types.addAll(capacity.keySet());
        Instant now = ctx.clock().instant();
        List<TaskTypeLoad> loads = new ArrayList<>(types.size());
        for (String type : types) {
            AMQP.Queue.DeclareOk queue = declarePassive(type);
            long ready = queue == null ? 0 : queue.getMessageCount();
            int consumers = queue == null ? 0 : queue.getConsumerCount();
            TaskTypeActivity a = activity.getOrDefault(type, new TaskTypeActivity(type, 0, 0));
            loads.add(load(type, ready, consumers, capacity.getOrDefault(type, 0), a, window, threshold, now));
        }
        view.set(loads);
        for (TaskTypeLoad l : loads) {
            if (l.behind() && behind.add(l.taskType())) {
                log.warn("workers of task type {} cannot keep up: {}", l.taskType(), describe(l));
                ctx.emit(MasterEvent.BACKLOG_BEHIND, describe(l));
            } else if (!l.behind() && behind.remove(l.taskType())) {
                log.info("workers of task type {} caught up: {}", l.taskType(), describe(l));
                ctx.emit(MasterEvent.BACKLOG_CLEARED, describe(l));
            }
        }
    }

    /** Judges one task type from its figures; no I/O. */
    static TaskTypeLoad load(String type, long ready, int consumers, int capacity, TaskTypeActivity a, Duration window,
            Duration threshold, Instant now) {
        double rate = a.startedInWindow() / (window.toMillis() / 1000.0);
        Duration wait = rate > 0 ? Duration.ofMillis((long) (ready / rate * 1000)) : null;
        boolean late = ready > 0 && (consumers == 0 || (wait != null && wait.compareTo(threshold) > 0)
                || (wait == null && a.queued() > capacity));
        return new TaskTypeLoad(type, ready, consumers, capacity, a.queued(), rate, wait, late, now);
    }

    static String describe(TaskTypeLoad l) {
        return l.taskType() + ": " + l.readyMessages() + " messages waiting, " + l.consumers() + " consumers, worker capacity "
                + l.workerCapacity() + ", " + String.format("%.2f", l.startsPerSecond()) + " starts/s, estimated wait "
                + (l.estimatedWait() == null ? "unknown" : l.estimatedWait());
    }

    /** The queue's counts, or null when it does not exist (yet). */
    private AMQP.Queue.DeclareOk declarePassive(String type) {
        // A passive declare of a missing queue closes the channel: one channel per queue.
        try (Channel channel = ctx.amqp().createChannel()) {
            return channel.queueDeclarePassive(ctx.config().cluster().topology().taskQueue(type));
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("no counts for the queue of task type {}: {}", type, e.toString());
            return null;
        }
    }
}
