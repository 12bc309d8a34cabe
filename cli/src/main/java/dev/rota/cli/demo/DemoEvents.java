package dev.rota.cli.demo;

import dev.rota.master.MasterEvent;
import dev.rota.model.TaskMessage;
import dev.rota.worker.WorkerEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words for the demo's events. Only what a person watching wants: leadership, schedules, fires, outcomes,
 * retries, membership. Per-message plumbing (publish confirms, acks, heartbeats) stays silent, and so does a
 * master's report of a success the worker already told.
 */
final class DemoEvents {
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Pattern QUALIFIED_CLASS = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z]\\w*)");

    private DemoEvents() {
    }

    static Optional<String> master(MasterEvent event, String detail, ZoneId zone) {
        String d = detail == null ? "" : localTimes(detail, zone);
        String text = switch (event) {
            case LEADERSHIP_ACQUIRED -> "*** now LEADS the cluster, epoch " + d + " ***";
            case LEADERSHIP_LOST -> "*** lost leadership: " + d + " ***";
            case JOB_SCHEDULED -> "scheduled job " + d;
            case JOB_UNSCHEDULED -> "unscheduled job " + d;
            case JOB_INVALID -> "cannot schedule job " + d;
            case MISFIRES_SKIPPED -> "skipped missed fires of " + d;
            case RUN_QUEUED -> "dispatched run " + d;
            case FIRE_DUPLICATE -> "already fired (no duplicate run): " + d;
            case FIRE_SKIPPED -> "skipped a fire: run " + d;
            case FENCED -> "fenced off by a newer epoch: " + d;
            case TASK_PUBLISH_FAILED -> "publish not confirmed, will republish: " + d;
            case RESULT_MALFORMED -> "parked a malformed result: " + d;
            case BACKLOG_BEHIND -> "workers cannot keep up: " + d;
            case BACKLOG_CLEARED -> "workers caught up: " + d;
            case RESULT_FORGED -> "REFUSED a forged result: " + d;
            case RUN_FINISHED -> d.matches("\\d+ SUCCEEDED\\b.*") ? null : "run " + d;
            case RUN_RESCHEDULED -> "run " + d;
            case WORKER_JOINED -> "sees worker " + d;
            case WORKER_LEFT -> "worker " + d + " left";
            default -> null;
        };
        return Optional.ofNullable(text);
    }

    static Optional<String> worker(WorkerEvent event, TaskMessage task, String detail, ZoneId zone) {
        String d = detail == null ? "" : localTimes(detail, zone);
        String text = switch (event) {
            case WORKER_STARTED -> "joined; consuming tasks";
            case WORKER_CLOSED -> "stopped";
            case TASK_SUCCEEDED -> "ran " + label(task) + " -> SUCCEEDED";
            case TASK_FAILED -> "ran " + label(task) + " -> FAILED: " + QUALIFIED_CLASS.matcher(d).replaceAll("$1");
            case TASK_TIMED_OUT -> "ran " + label(task) + " -> TIMED OUT";
            case TASK_CANCELLED -> "ran " + label(task) + " -> CANCELLED";
            case TASK_REJECTED -> "rejected " + label(task) + ": " + d;
            case TASK_SKIPPED -> "skipped " + label(task) + ": " + d;
            case TASK_ABANDONED -> "left " + label(task) + " for redelivery: " + d;
            case MESSAGE_DEAD_LETTERED -> "dead-lettered a message: " + d;
            case RESULT_PUBLISH_RETRY -> "retrying the result of " + label(task) + ": " + d;
            default -> null;
        };
        return Optional.ofNullable(text);
    }

    /** {@code run 4:1 (hello, log)}, or {@code run 9:1 (one-off log)}. */
    static String label(TaskMessage task) {
        if (task == null) {
            return "a task";
        }
        String what = task.jobName() != null ? task.jobName() + ", " + task.taskType() : "one-off " + task.taskType();
        return "run " + task.runId() + ":" + task.attempt() + " (" + what + ")";
    }

    /** Rewrites ISO instants in a detail as local times of day, which is what a person watching reads. */
    static String localTimes(String text, ZoneId zone) {
        Matcher m = INSTANT.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, TIME.format(Instant.parse(m.group()).atZone(zone)));
        }
        m.appendTail(b);
        return b.toString();
    }
}
