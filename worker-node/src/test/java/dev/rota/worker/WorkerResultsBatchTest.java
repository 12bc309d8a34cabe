package dev.rota.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Results travel in batches, and a task received after its starting deadline is reported, not run. */
class WorkerResultsBatchTest {
    private TestMaster master;

    @AfterEach
    void stopMaster() throws Exception {
        if (master != null) {
            master.close();
        }
    }

    @Test
    void quickTasksResultsArriveBatchedWithTheStartFoldedIntoTheFinalResult() throws Exception {
        master = TestMaster.start();
        RecordingListener listener = new RecordingListener();
        master.startWorker(master.workerBuilder().listener(listener).taskTypes("noop").capacity(8));
        List<TaskMessage> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(master.publish("noop", "{}"));
        }

        for (TaskMessage t : tasks) {
            ResultMessage done = master.awaitResult(t.runId(), ResultStatus.SUCCEEDED);
            assertThat(master.statusesOf(t.runId())).containsExactly(ResultStatus.STARTED, ResultStatus.SUCCEEDED);
            assertThat(done.at()).isAfterOrEqualTo(master.resultsOf(t.runId()).get(0).at());
        }
        await().until(() -> listener.count(WorkerEvent.TASK_ACKED) == 40);
        assertThat(master.batchMessages.get()).as("messages carrying several results").isPositive();
        assertThat(master.impliedStarts.get()).as("final results that carried their start").isPositive();
    }

    @Test
    void aTaskReceivedAfterItsStartingDeadlineIsReportedSkippedAndNotRun() throws Exception {
        master = TestMaster.start();
        AtomicInteger ran = new AtomicInteger();
        RecordingListener listener = new RecordingListener();
        master.startWorker(master.workerBuilder().listener(listener).taskTypes("late").handler("late", context -> {
            ran.incrementAndGet();
            return null;
        }));
        TaskMessage base = master.task("late", "{}", null);
        TaskMessage late = withStartBy(base, Instant.now().minusSeconds(5));
        TaskMessage inTime = withStartBy(master.task("late", "{}", null), Instant.now().plusSeconds(600));

        master.publish(late);
        master.publish(inTime);

        ResultMessage skipped = master.awaitResult(late.runId(), ResultStatus.SKIPPED);
        assertThat(skipped.error()).contains("after its starting deadline");
        master.awaitResult(inTime.runId(), ResultStatus.SUCCEEDED);
        assertThat(ran.get()).isEqualTo(1);
        assertThat(master.statusesOf(late.runId())).containsExactly(ResultStatus.SKIPPED);
        await().until(() -> listener.count(WorkerEvent.TASK_SKIPPED) == 1 && listener.count(WorkerEvent.TASK_ACKED) == 2);
    }

    private static TaskMessage withStartBy(TaskMessage t, Instant startBy) {
        return new TaskMessage(t.version(), t.runId(), t.attempt(), t.jobId(), t.jobName(), t.team(), t.taskType(),
                t.scheduledAt(), t.dispatchedAt(), t.timeout(), t.payload(), startBy);
    }
}
