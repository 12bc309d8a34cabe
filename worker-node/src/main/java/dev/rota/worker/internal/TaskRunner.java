package dev.rota.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import dev.rota.worker.TaskHandler;
import dev.rota.worker.WorkerEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one handler on the calling task thread: reports STARTED, sends heartbeats while it runs,
 * interrupts it at the task's timeout, and turns how it ended into the final result.
 */
final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final TaskServices services;
    private final RunningTasks running;
    private final ScheduledExecutorService deadlines;
    private final ScheduledExecutorService heartbeats;
    private final Duration heartbeatInterval;
    private final int maxLogBytes;

    TaskRunner(TaskServices services, RunningTasks running, ScheduledExecutorService deadlines,
            ScheduledExecutorService heartbeats, Duration heartbeatInterval, int maxLogBytes) {
        this.services = services;
        this.running = running;
        this.deadlines = deadlines;
        this.heartbeats = heartbeats;
        this.heartbeatInterval = heartbeatInterval;
        this.maxLogBytes = maxLogBytes;
    }

    /**
     * Runs {@code handler} for {@code task} on the calling thread.
     *
     * @return the final result to publish, or null when the worker abandoned the task while closing
     */
    ResultMessage run(TaskMessage task, TaskHandler handler) {
        RunningTask current = running.begin(task, Thread.currentThread());
        services.results().publishProgress(services.result(task, ResultStatus.STARTED, null, null));
        services.events().emit(WorkerEvent.TASK_STARTED, task);
        Heartbeat heartbeat = new Heartbeat(task);
        ScheduledFuture<?> beats = heartbeats.scheduleAtFixedRate(heartbeat, heartbeatInterval.toNanos(),
                heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
        ScheduledFuture<?> deadline = task.timeout() == null ? null : deadlines.schedule(
                () -> current.stop(RunningTask.Outcome.TIMED_OUT), task.timeout().toNanos(), TimeUnit.NANOSECONDS);
        AttemptLog attemptLog = new AttemptLog(services.clock(), maxLogBytes);
        Object value = null;
        Throwable failure = null;
        RunningTask.Outcome outcome;
        try {
            value = handler.handle(new DefaultTaskContext(task, services.workerId(), services.codec(), current,
                    attemptLog));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            failure = e;
        } finally {
            outcome = current.finish();
            if (deadline != null) {
                deadline.cancel(false);
            }
            beats.cancel(false);
            heartbeat.stop();
            running.end(current);
            // Any interrupt so far was aimed at the handler (a stop request, or the handler's own);
            // left set, it would cut short publishing the result.
            Thread.interrupted();
        }
        ResultMessage result = outcome(task, outcome, value, failure);
        return result == null ? null : result.withLog(attemptLog.close());
    }

    private ResultMessage outcome(TaskMessage task, RunningTask.Outcome outcome, Object value, Throwable failure) {
        return switch (outcome) {
            case COMPLETED -> failure == null ? succeeded(task, value) : failed(task, Errors.describe(failure));
            case TIMED_OUT -> report(task, WorkerEvent.TASK_TIMED_OUT, ResultStatus.TIMED_OUT,
                    "timed out after " + task.timeout());
            case CANCELLED -> report(task, WorkerEvent.TASK_CANCELLED, ResultStatus.CANCELLED, "cancelled on request");
            case ABANDONED -> null;
            case RUNNING -> throw new IllegalStateException("task " + task.idempotencyKey() + " still running");
        };
    }

    private ResultMessage succeeded(TaskMessage task, Object value) {
        JsonNode json;
        try {
            json = value == null ? null : services.codec().toTree(value);
        } catch (IllegalArgumentException e) {
            return failed(task, "result of type " + value.getClass().getName() + " cannot be converted to JSON: "
                    + e.getMessage());
        }
        log.debug("run {} succeeded", task.idempotencyKey());
        services.events().emit(WorkerEvent.TASK_SUCCEEDED, task);
        return services.result(task, ResultStatus.SUCCEEDED, null, json);
    }

    private ResultMessage failed(TaskMessage task, String error) {
        log.info("run {} ({}) failed: {}", task.idempotencyKey(), task.taskType(), error);
        return report(task, WorkerEvent.TASK_FAILED, ResultStatus.FAILED, error);
    }

    private ResultMessage report(TaskMessage task, WorkerEvent event, ResultStatus status, String error) {
        if (status != ResultStatus.FAILED) {
            log.info("run {} ({}) {}", task.idempotencyKey(), task.taskType(), error);
        }
        services.events().emit(event, task, error);
        return services.result(task, status, error, null);
    }

    /**
     * Publishes HEARTBEAT on the heartbeat thread. {@link #stop()} waits for a heartbeat being
     * published, so that none follows the final result.
     */
    private final class Heartbeat implements Runnable {
        private final TaskMessage task;
        private boolean stopped;

        Heartbeat(TaskMessage task) {
            this.task = task;
        }

        @Override
        public synchronized void run() {
            if (stopped) {
                return;
            }
            try {
                services.results().publishProgress(services.result(task, ResultStatus.HEARTBEAT, null, null));
                services.events().emit(WorkerEvent.TASK_HEARTBEAT, task);
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; one lost heartbeat must not stop the rest.
                log.warn("heartbeat of run {} failed: {}", task.idempotencyKey(), e.toString());
            }
        }

        synchronized void stop() {
            stopped = true;
        }
    }
}
