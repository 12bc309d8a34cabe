package dev.rota.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerShutdownTest {
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
    void closeLetsARunningTaskFinishAndPublishItsResultWithinTheGrace() throws Exception {
        RecordingListener listener = new RecordingListener();
        Worker worker = master.startWorker(master.workerBuilder().listener(listener).taskTypes("sleep")
                .shutdownGrace(Duration.ofSeconds(10)));
        TaskMessage task = master.publish("sleep", "{\"millis\": 800}");
        master.awaitResult(task.runId(), ResultStatus.STARTED);

        worker.close();

        assertThat(listener.has(WorkerEvent.TASK_ACKED, task.runId())).isTrue();
        assertThat(listener.has(WorkerEvent.TASK_ABANDONED, task.runId())).isFalse();
        assertThat(master.awaitResult(task.runId(), ResultStatus.SUCCEEDED).workerId()).isEqualTo(worker.id());
    }

    @Test
    void taskOutlivingTheGraceIsNotAcknowledgedAndRunsAgainOnAnotherWorker() throws Exception {
        RecordingListener firstListener = new RecordingListener();
        Worker first = master.startWorker(master.workerBuilder().workerId("first").listener(firstListener)
                .taskTypes("sleep").shutdownGrace(Duration.ofMillis(200)));
        TaskMessage task = master.publish("sleep", "{\"millis\": 1500}");
        master.awaitResult(task.runId(), ResultStatus.STARTED);

        first.close();

        assertThat(firstListener.has(WorkerEvent.TASK_ABANDONED, task.runId())).isTrue();
        assertThat(firstListener.has(WorkerEvent.TASK_ACKED, task.runId())).isFalse();
        Worker second = master.startWorker(master.workerBuilder().workerId("second").taskTypes("sleep"));
        ResultMessage succeeded = master.awaitResult(task.runId(), ResultStatus.SUCCEEDED);
        assertThat(succeeded.workerId()).isEqualTo(second.id());
        assertThat(master.resultsOf(task.runId())).filteredOn(r -> r.status() == ResultStatus.STARTED)
                .extracting(ResultMessage::workerId).containsExactly("first", "second");
        assertThat(master.resultsOf(task.runId())).noneMatch(r -> r.workerId().equals("first")
                && r.status() != ResultStatus.STARTED && r.status() != ResultStatus.HEARTBEAT);
    }

    @Test
    void deliveryWaitingForAThreadWhenClosingIsReturnedToItsQueueUnstarted() throws Exception {
        RecordingListener listener = new RecordingListener();
        // The prefetch applies per consumer, so with two task types a second delivery can wait for the
        // single task thread.
        Worker worker = master.startWorker(master.workerBuilder().capacity(1).listener(listener)
                .taskTypes("sleep", "noop").shutdownGrace(Duration.ofSeconds(10)));
        TaskMessage running = master.publish("sleep", "{\"millis\": 700}");
        master.awaitResult(running.runId(), ResultStatus.STARTED);
        TaskMessage waiting = master.publish("noop", "{}");
        await().atMost(TestMaster.WAIT).until(() -> master.messageCount(master.topology().taskQueue("noop")) == 0);

        worker.close();

        assertThat(listener.has(WorkerEvent.TASK_ACKED, running.runId())).isTrue();
        assertThat(listener.has(WorkerEvent.TASK_ABANDONED, waiting.runId())).isTrue();
        assertThat(listener.has(WorkerEvent.TASK_STARTED, waiting.runId())).isFalse();
        await().atMost(TestMaster.WAIT).until(() -> master.messageCount(master.topology().taskQueue("noop")) == 1);
    }
}
