package dev.rota.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A final result that the broker does not confirm is retried, and the delivery acknowledged only after. */
class WorkerResultRetryTest {
    private TestMaster master;

    @BeforeEach
    void startMaster() throws Exception {
        master = TestMaster.start();
    }

    @AfterEach
    void stopMaster() throws Exception {
        master.close();
    }

    @Test
    void unconfirmedResultIsRetriedUntilConfirmedAndOnlyThenAcknowledged() throws Exception {
        RecordingListener listener = new RecordingListener();
        master.startWorker(master.workerBuilder().listener(listener).taskTypes("sleep"));
        TaskMessage task = master.publish("sleep", "{\"millis\": 300}");
        master.awaitResult(task.runId(), ResultStatus.STARTED);

        master.deleteResultsQueue();

        await().atMost(TestMaster.WAIT).until(() -> listener.has(WorkerEvent.RESULT_PUBLISH_RETRY, task.runId()));
        assertThat(listener.has(WorkerEvent.TASK_ACKED, task.runId())).isFalse();
        assertThat(master.messageCount(master.topology().taskQueue("sleep"))).isZero();

        master.restoreResultsQueue();

        assertThat(master.awaitResult(task.runId(), ResultStatus.SUCCEEDED)).isNotNull();
        await().atMost(TestMaster.WAIT).until(() -> listener.has(WorkerEvent.TASK_ACKED, task.runId()));
    }

    /**
     * The only task thread does not wait for a result's confirm: it runs the next task meanwhile, and each
     * delivery is acknowledged once its own result is confirmed.
     */
    @Test
    void theTaskThreadRunsTheNextTaskWhileAResultAwaitsItsConfirm() throws Exception {
        RecordingListener listener = new RecordingListener();
        master.startWorker(master.workerBuilder().listener(listener).taskTypes("noop").capacity(1).prefetch(2));
        master.deleteResultsQueue();
        TaskMessage first = master.publish("noop", "{}");
        await().atMost(TestMaster.WAIT).until(() -> listener.has(WorkerEvent.RESULT_PUBLISH_RETRY, first.runId()));

        TaskMessage second = master.publish("noop", "{}");

        await().atMost(TestMaster.WAIT).alias("the second task starts while the first's result is unconfirmed")
                .until(() -> listener.has(WorkerEvent.TASK_STARTED, second.runId()));
        assertThat(listener.has(WorkerEvent.TASK_ACKED, first.runId())).isFalse();
        master.restoreResultsQueue();
        assertThat(master.awaitResult(first.runId(), ResultStatus.SUCCEEDED)).isNotNull();
        assertThat(master.awaitResult(second.runId(), ResultStatus.SUCCEEDED)).isNotNull();
        await().atMost(TestMaster.WAIT).until(() -> listener.has(WorkerEvent.TASK_ACKED, first.runId())
                && listener.has(WorkerEvent.TASK_ACKED, second.runId()));
    }

    @Test
    void taskWhoseResultIsStillUnconfirmedAtCloseIsRedelivered() throws Exception {
        RecordingListener listener = new RecordingListener();
        Worker first = master.startWorker(master.workerBuilder().workerId("first").listener(listener)
                .taskTypes("noop").shutdownGrace(Duration.ofMillis(300)));
        master.deleteResultsQueue();
        TaskMessage task = master.publish("noop", "{}");
        await().atMost(TestMaster.WAIT).until(() -> listener.has(WorkerEvent.RESULT_PUBLISH_RETRY, task.runId()));

        first.close();

        assertThat(listener.has(WorkerEvent.TASK_ABANDONED, task.runId())).isTrue();
        assertThat(listener.has(WorkerEvent.TASK_ACKED, task.runId())).isFalse();
        master.restoreResultsQueue();
        Worker second = master.startWorker(master.workerBuilder().workerId("second").taskTypes("noop"));
        assertThat(master.awaitResult(task.runId(), ResultStatus.SUCCEEDED).workerId()).isEqualTo(second.id());
    }
}
