package dev.rota.model;

import java.time.Instant;
import java.util.Set;

/**
 * A broker-only worker (any language, no ZooKeeper) telling the leader it exists, published to the default
 * exchange with routing key {@link Topology#workersQueue()}: an ANNOUNCE when it starts, a HEARTBEAT every
 * heartbeat interval, a LEAVE when it stops. The leader treats {@code workerSilence} without one as the loss
 * of the worker, exactly as a ZooKeeper worker's node disappearing, unless {@code heartbeatsWhileRunning} is
 * false: then its tasks are left to broker redelivery and their timeout.
 *
 * @param version                wire format version, 1
 * @param type                   ANNOUNCE, HEARTBEAT or LEAVE
 * @param workerId               unique id, the one its results carry
 * @param taskTypes              task types it consumes (the leader declares their queues)
 * @param capacity               tasks it runs at once (its prefetch)
 * @param workerVersion          the worker's own version string
 * @param language               e.g. php, python, node
 * @param heartbeatsWhileRunning false for a single-threaded worker that is silent while a handler runs
 * @param at                     the worker's clock
 */
public record WorkerAnnouncement(
        int version,
        Type type,
        String workerId,
        Set<String> taskTypes,
        int capacity,
        String workerVersion,
        String language,
        Boolean heartbeatsWhileRunning,
        Instant at) {

    public static final int MAX_TASK_TYPES = 100;

    public enum Type {
        ANNOUNCE,
        HEARTBEAT,
        LEAVE
    }

    /** True unless the worker declared otherwise. */
    public boolean heartbeatsWhileRunningOrDefault() {
        return heartbeatsWhileRunning == null || heartbeatsWhileRunning;
    }

    /** @throws MalformedMessageException naming the first problem */
    public void validate() throws MalformedMessageException {
        check(version == TaskMessage.CURRENT_VERSION, "unsupported version " + version);
        check(type != null, "type is missing (ANNOUNCE, HEARTBEAT or LEAVE)");
        check(workerId != null && !workerId.isBlank() && workerId.length() <= 200, "workerId must be 1 to 200 characters");
        check(type != Type.ANNOUNCE || (taskTypes != null && !taskTypes.isEmpty()), "an ANNOUNCE needs taskTypes");
        check(taskTypes == null || taskTypes.size() <= MAX_TASK_TYPES, "at most " + MAX_TASK_TYPES + " taskTypes");
        if (taskTypes != null) {
            for (String t : taskTypes) {
                check(Names.isValid(t), "task type '" + t + "' is invalid: use 1 to 63 letters, digits, '_' or '-'");
            }
        }
        check(type != Type.ANNOUNCE || capacity >= 1, "capacity must be at least 1, was " + capacity);
        check(language == null || language.length() <= 40, "language must be at most 40 characters");
        check(workerVersion == null || workerVersion.length() <= 80, "workerVersion must be at most 80 characters");
    }

    private static void check(boolean ok, String reason) throws MalformedMessageException {
        if (!ok) {
            throw new MalformedMessageException(reason);
        }
    }
}
