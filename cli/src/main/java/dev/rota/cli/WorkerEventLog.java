package dev.rota.cli;

import dev.rota.model.TaskMessage;
import dev.rota.worker.WorkerEvent;
import dev.rota.worker.WorkerListener;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a worker's task outcomes at INFO and its troubles at WARN; receipts, heartbeats and acks at DEBUG.
 * Runs on the worker's task and client threads; logging does not block for long.
 */
final class WorkerEventLog implements WorkerListener {
    private static final Logger log = LoggerFactory.getLogger("dev.rota.cli.worker");
    private static final Set<WorkerEvent> WARNINGS = EnumSet.of(WorkerEvent.TASK_REJECTED,
            WorkerEvent.TASK_ABANDONED, WorkerEvent.MESSAGE_DEAD_LETTERED, WorkerEvent.RESULT_PUBLISH_RETRY,
            WorkerEvent.CONTROL_MALFORMED);
    private static final Set<WorkerEvent> CHATTER = EnumSet.of(WorkerEvent.TASK_RECEIVED,
            WorkerEvent.TASK_HEARTBEAT, WorkerEvent.TASK_ACKED);

    @Override
    public void onEvent(WorkerEvent event, TaskMessage task, String detail) {
        String what = task == null ? "" : " run " + task.runId() + ":" + task.attempt() + " ("
                + (task.jobName() != null ? task.jobName() : "task") + ", " + task.taskType() + ")";
        String tail = detail == null ? "" : ": " + detail;
        if (WARNINGS.contains(event)) {
            log.warn("{}{}{}", event, what, tail);
        } else if (CHATTER.contains(event)) {
            log.debug("{}{}{}", event, what, tail);
        } else {
            log.info("{}{}{}", event, what, tail);
        }
    }
}
