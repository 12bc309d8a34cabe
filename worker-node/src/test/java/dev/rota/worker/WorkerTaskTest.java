package dev.rota.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How one task ends: success, failure, unusable message, timeout, cancel, heartbeats. */
class WorkerTaskTest {
    private TestMaster master;

    @AfterEach
    void stopMaster() throws Exception {
        if (master != null) {
            master.close();
        }
    }

    @Test
    void handlerThatThrowsReportsFailedWithTheErrorText() throws Exception {
        master = TestMaster.start();
        Worker worker = master.startWorker(master.workerBuilder().taskTypes("fail", "broken").handler("broken",
                context -> {
                    throw new IllegalStateException("outer", new IOException("disk on fire"));
                }));

        TaskMessage fail = master.publish("fail", "{\"message\": \"boom\"}");
        TaskMessage broken = master.publish("broken", "{}");

        ResultMessage failed = master.awaitResult(fail.runId(), ResultStatus.FAILED);
        assertThat(failed.workerId()).isEqualTo(worker.id());
        assertThat(failed.error()).isEqualTo("dev.rota.worker.internal.builtin.RequestedFailureException: boom");
        assertThat(master.awaitResult(broken.runId(), ResultStatus.FAILED).error())
                .isEqualTo("java.lang.IllegalStateException: outer; caused by java.io.IOException: disk on fire");
        assertThat(master.statusesOf(fail.runId())).containsExactly(ResultStatus.STARTED, ResultStatus.FAILED);
    }

    @Test
    void whatAHandlerLogsTravelsWithItsFinalResultAndAnOversizedLogIsCutAtTheBound() throws Exception {
        master = TestMaster.start();
        master.startWorker(master.workerBuilder().maxLogBytes(1000).taskTypes("chatty", "verbose")
                .handler("chatty", context -> {
                    context.log("connecting");
                    context.log("copied 12 rows");
                    throw new IllegalStateException("disk full");
                })
                .handler("verbose", context -> {
                    for (int i = 0; i < 1000; i++) {
                        context.log("row " + i);
                    }
                    return null;
                }));

        TaskMessage chatty = master.publish("chatty", "{}");
        TaskMessage verbose = master.publish("verbose", "{}");

        ResultMessage failed = master.awaitResult(chatty.runId(), ResultStatus.FAILED);
        assertThat(failed.log()).matches("(?s)\\S+Z connecting\n\\S+Z copied 12 rows\n");
        ResultMessage succeeded = master.awaitResult(verbose.runId(), ResultStatus.SUCCEEDED);
        assertThat(succeeded.log().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000)
                .isGreaterThan(900);
        assertThat(succeeded.log()).contains(" row 0\n").doesNotContain("row 999")
                .endsWith(dev.rota.model.RunLog.TRUNCATION_MARKER);
    }

    @Test
    void unparsableAndOversizedMessagesAreDeadLetteredAndTheWorkerGoesOn() throws Exception {
        master = TestMaster.start(s -> TestMaster.withMaxPayload(s, 1024));
        RecordingListener listener = new RecordingListener();
        master.startWorker(master.workerBuilder().listener(listener).taskTypes("noop"));
        byte[] garbage = "this is not JSON".getBytes(StandardCharsets.UTF_8);
        byte[] oversized = new MessageCodec().encode(master.task("noop", "{\"padding\": \"" + "x".repeat(2000) + "\"}",
                null));

        master.publishRaw("noop", garbage);
        master.publishRaw("noop", oversized);
        TaskMessage valid = master.publish("noop", "{}");

        master.awaitResult(valid.runId(), ResultStatus.SUCCEEDED);
        List<byte[]> dead = new ArrayList<>();
        await().atMost(TestMaster.WAIT).pollInSameThread().until(() -> {
            dead.addAll(master.takeDeadLetters());
            return dead.size() >= 2;
        });
        assertThat(dead).containsExactlyInAnyOrder(garbage, oversized);
        assertThat(listener.all().stream().filter(e -> e.event() == WorkerEvent.MESSAGE_DEAD_LETTERED)
                .map(RecordingListener.Recorded::detail).collect(Collectors.joining(" | ")))
                .contains("not a valid TaskMessage").contains("exceeds maxPayloadBytes 1024");
    }

    @Test
    void taskOfATypeWithoutHandlerIsRejectedAndDeadLettered() throws Exception {
        master = TestMaster.start();
        RecordingListener listener = new RecordingListener();
        Worker worker = master.startWorker(master.workerBuilder().listener(listener).taskTypes("noop"));
        TaskMessage misrouted = master.task("unknown-type", "{}", null);

        master.publishRaw("noop", new MessageCodec().encode(misrouted));

        ResultMessage rejected = master.awaitResult(misrouted.runId(), ResultStatus.REJECTED);
        assertThat(rejected.workerId()).isEqualTo(worker.id());
        assertThat(rejected.error()).contains("no handler for task type 'unknown-type'");
        List<byte[]> dead = new ArrayList<>();
        await().atMost(TestMaster.WAIT).pollInSameThread().until(() -> {
            dead.addAll(master.takeDeadLetters());
            return dead.size() == 1;
        });
        assertThat(listener.has(WorkerEvent.TASK_REJECTED, misrouted.runId())).isTrue();
    }

    @Test
    void handlerRunningPastTheTimeoutIsInterruptedAndReportedTimedOut() throws Exception {
        master = TestMaster.start();
        RecordingListener listener = new RecordingListener();
        master.startWorker(master.workerBuilder().listener(listener).taskTypes("sleep"));

        TaskMessage task = master.publish(master.task("sleep", "{\"millis\": 10000}", Duration.ofMillis(300)));

        ResultMessage timedOut = master.awaitResult(task.runId(), ResultStatus.TIMED_OUT);
        assertThat(timedOut.error()).contains("timed out after PT0.3S");
        assertThat(master.statusesOf(task.runId())).containsExactly(ResultStatus.STARTED, ResultStatus.TIMED_OUT);
        await().atMost(TestMaster.WAIT).until(() -> listener.has(WorkerEvent.TASK_ACKED, task.runId()));
    }

    @Test
    void cancelRequestInterruptsTheRunningTask() throws Exception {
        master = TestMaster.start();
        RecordingListener listener = new RecordingListener();
        Worker worker = master.startWorker(master.workerBuilder().listener(listener).taskTypes("sleep"));
        TaskMessage task = master.publish("sleep", "{\"millis\": 10000}");
        master.awaitResult(task.runId(), ResultStatus.STARTED);

        master.sendControl("{\"type\": \"EXPLODE\"}".getBytes(StandardCharsets.UTF_8));
        master.cancel(task.runId(), 2);
        master.cancel(task.runId(), 1);

        ResultMessage cancelled = master.awaitResult(task.runId(), ResultStatus.CANCELLED);
        assertThat(cancelled.workerId()).isEqualTo(worker.id());
        assertThat(master.statusesOf(task.runId())).containsExactly(ResultStatus.STARTED, ResultStatus.CANCELLED);
        assertThat(listener.count(WorkerEvent.CONTROL_MALFORMED)).isEqualTo(1);
    }

    @Test
    void longTaskSendsHeartbeatsUntilItsFinalResult() throws Exception {
        master = TestMaster.start(s -> TestMaster.withHeartbeat(s, Duration.ofMillis(200)));
        Worker worker = master.startWorker(master.workerBuilder().taskTypes("sleep"));

        TaskMessage task = master.publish("sleep", "{\"millis\": 1100}");

        master.awaitResult(task.runId(), ResultStatus.SUCCEEDED);
        List<ResultStatus> statuses = master.statusesOf(task.runId());
        assertThat(statuses.get(0)).isEqualTo(ResultStatus.STARTED);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(ResultStatus.SUCCEEDED);
        assertThat(statuses.subList(1, statuses.size() - 1)).hasSizeGreaterThanOrEqualTo(3)
                .containsOnly(ResultStatus.HEARTBEAT);
        assertThat(master.resultsOf(task.runId())).allMatch(r -> r.workerId().equals(worker.id()));
    }
}
