package dev.rota.model;

import java.time.Duration;
import java.util.Map;

/**
 * What a worker without ZooKeeper needs to know, as the leader keeps it in {@link Topology#settingsQueue()}
 * (the same values as {@link ClusterSettings}, without the broker address and credentials, which such a
 * worker already has, plus the silence limit and the exact queue arguments).
 *
 * @param version            wire format version, 1
 * @param namespace          the namespace
 * @param queueType          QUORUM or CLASSIC
 * @param deliveryLimit      deliveries before a task message is dead-lettered (quorum queues)
 * @param heartbeatInterval  how often a worker sends a HEARTBEAT (result and announcement)
 * @param workerSilence      a running attempt without a STARTED or HEARTBEAT result for this long is lost
 *                           (dispatched again)
 * @param maxPayloadBytes    largest payload, in bytes of JSON
 * @param maxResultBytes     largest result carried in a completion event
 * @param taskQueueArguments the arguments every task queue is declared with
 * @param names              exchange and queue names by role (tasks, results, control, events, submit, workers, ...)
 * @param workerLostAfter    a broker worker without an announcement or heartbeat for this long is LOST: the
 *                           masters' ZooKeeper session timeout, so that its loss is seen as soon as a JVM
 *                           worker's (whose node disappears when its session expires)
 */
public record BrokerSettings(
        int version,
        String namespace,
        QueueType queueType,
        int deliveryLimit,
        Duration heartbeatInterval,
        Duration workerSilence,
        int maxPayloadBytes,
        int maxResultBytes,
        Map<String, Object> taskQueueArguments,
        Map<String, String> names,
        Duration workerLostAfter) {

    public static BrokerSettings of(ClusterSettings s, Duration workerSilence, Duration workerLostAfter,
            int maxResultBytes, Map<String, Object> taskQueueArguments) {
        Topology t = s.topology();
        Map<String, String> names = Map.of(
                "taskExchange", t.taskExchange(),
                "taskQueuePrefix", t.taskQueue("x").substring(0, t.taskQueue("x").length() - 1),
                "resultsQueue", t.resultsQueue(),
                "controlExchange", t.controlExchange(),
                "eventsExchange", t.eventsExchange(),
                "submitExchange", t.submitExchange(),
                "workersQueue", t.workersQueue(),
                "settingsQueue", t.settingsQueue());
        return new BrokerSettings(TaskMessage.CURRENT_VERSION, s.namespace(), s.queueType(), s.deliveryLimit(),
                s.heartbeatInterval(), workerSilence, s.maxPayloadBytes(), maxResultBytes, taskQueueArguments, names,
                workerLostAfter);
    }
}
