package dev.rota.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rota.master.MasterEvent;
import dev.rota.model.TaskMessage;
import dev.rota.worker.WorkerEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DemoEventsTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Instant AT = Instant.parse("2026-11-21T18:00:05Z");

    @Test
    void leadershipIsTellingWithTheEpoch() {
        assertThat(DemoEvents.master(MasterEvent.LEADERSHIP_ACQUIRED, "2", UTC)).contains("*** now LEADS the cluster, epoch 2 ***");
        assertThat(DemoEvents.master(MasterEvent.LEADERSHIP_LOST, "stepped down", UTC)).contains("*** lost leadership: stepped down ***");
    }

    @Test
    void firesShowTheirTimeOfDay() {
        assertThat(DemoEvents.master(MasterEvent.RUN_QUEUED, "4:1 hello @2026-11-21T18:00:05Z", ZoneId.of("Europe/Paris")))
                .contains("dispatched run 4:1 hello @19:00:05");
    }

    @Test
    void aMastersSuccessReportIsLeftToTheWorkerButOtherEndingsAreTold() {
        assertThat(DemoEvents.master(MasterEvent.RUN_FINISHED, "4 SUCCEEDED on worker-1", UTC)).isEmpty();
        assertThat(DemoEvents.master(MasterEvent.RUN_FINISHED, "7 DEAD on worker-2", UTC)).contains("run 7 DEAD on worker-2");
        assertThat(DemoEvents.master(MasterEvent.RUN_RESCHEDULED, "7 retry due 2026-11-21T18:00:07.250Z", UTC))
                .contains("run 7 retry due 18:00:07");
    }

    @Test
    void plumbingIsSilent() {
        assertThat(DemoEvents.master(MasterEvent.TASK_PUBLISHED, "4:1", UTC)).isEmpty();
        assertThat(DemoEvents.master(MasterEvent.RESULT_APPLIED, "4:1 SUCCEEDED by w", UTC)).isEmpty();
        assertThat(DemoEvents.worker(WorkerEvent.TASK_ACKED, task("hello", 4, 1), "SUCCEEDED", UTC)).isEmpty();
        assertThat(DemoEvents.worker(WorkerEvent.TASK_HEARTBEAT, task("hello", 4, 1), null, UTC)).isEmpty();
    }

    @Test
    void workersTellWhichRunTheyRanAndHowItEnded() {
        assertThat(DemoEvents.worker(WorkerEvent.TASK_SUCCEEDED, task("hello", 4, 1), null, UTC))
                .contains("ran run 4:1 (hello, log) -> SUCCEEDED");
        assertThat(DemoEvents.worker(WorkerEvent.TASK_FAILED, task("flaky", 7, 2),
                "dev.rota.worker.internal.builtin.RequestedFailureException: boom at 1.5 s", UTC))
                .contains("ran run 7:2 (flaky, log) -> FAILED: RequestedFailureException: boom at 1.5 s");
        assertThat(DemoEvents.worker(WorkerEvent.TASK_SUCCEEDED, task(null, 9, 1), null, UTC))
                .contains("ran run 9:1 (one-off log) -> SUCCEEDED");
    }

    private static TaskMessage task(String job, long runId, int attempt) {
        return new TaskMessage(TaskMessage.CURRENT_VERSION, runId, attempt, job == null ? null : 1L, job, "default",
                "log", AT, AT, null, JsonNodeFactory.instance.objectNode());
    }
}
