package dev.rota.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import dev.rota.registry.WorkerInfo;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerLifecycleTest {
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
    void joinsWithOnlyZooKeeperAndNamespaceRunsNoopAndLeavesWhenClosed() throws Exception {
        Worker worker = new WorkerBuilder().zkConnect(master.zkConnect()).namespace(master.namespace()).build();
        assertThat(worker.state()).isEqualTo(Worker.State.LATENT);
        assertThat(worker.config().taskTypes()).contains("noop", "sleep", "log", "fail");

        master.startWorker(worker);

        assertThat(worker.state()).isEqualTo(Worker.State.STARTED);
        await().atMost(TestMaster.WAIT).until(() -> master.registry().status().workers().stream()
                .anyMatch(w -> w.id().equals(worker.id())));
        WorkerInfo info = master.registry().status().workers().get(0);
        assertThat(info.taskTypes()).isEqualTo(worker.config().taskTypes());
        assertThat(info.capacity()).isEqualTo(WorkerConfig.DEFAULT_CAPACITY);
        assertThat(info.version()).isEqualTo("0.1.0-SNAPSHOT");

        TaskMessage task = master.publish("noop", "{}");
        ResultMessage succeeded = master.awaitResult(task.runId(), ResultStatus.SUCCEEDED);

        assertThat(succeeded.workerId()).isEqualTo(worker.id());
        assertThat(succeeded.attempt()).isEqualTo(1);
        assertThat(master.statusesOf(task.runId())).containsExactly(ResultStatus.STARTED, ResultStatus.SUCCEEDED);
        assertThat(master.resultsOf(task.runId())).allMatch(r -> r.workerId().equals(worker.id()));

        worker.close();

        assertThat(worker.state()).isEqualTo(Worker.State.CLOSED);
        await().atMost(TestMaster.WAIT).until(() -> master.registry().status().workers().isEmpty());
    }

    @Test
    void startsOnceAndClosesIdempotently() throws Exception {
        RecordingListener listener = new RecordingListener();
        Worker worker = master.startWorker(master.workerBuilder().listener(listener).taskTypes("log"));

        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("STARTED");
        TaskMessage task = master.publish("log", "{\"message\": \"hello from the test\"}");
        master.awaitResult(task.runId(), ResultStatus.SUCCEEDED);

        worker.close();
        worker.close();

        assertThat(listener.count(WorkerEvent.WORKER_STARTED)).isEqualTo(1);
        assertThat(listener.count(WorkerEvent.WORKER_CLOSED)).isEqualTo(1);
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");
    }

    @Test
    void startFailsClearlyWhenNoSettingsArePublished() {
        Worker worker = new WorkerBuilder().zkConnect(master.zkConnect()).namespace("nosettings" + master.namespace())
                .settingsTimeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(worker::start).isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("nosettings" + master.namespace());
        assertThat(worker.state()).isEqualTo(Worker.State.CLOSED);
    }

    @Test
    void closeEndsAStartStillWaitingForSettings() throws Exception {
        RecordingListener listener = new RecordingListener();
        Worker worker = new WorkerBuilder().zkConnect(master.zkConnect()).namespace("nosettings" + master.namespace())
                .settingsTimeout(Duration.ofSeconds(60)).listener(listener).build();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<?> starting = starter.submit(() -> {
                worker.start();
                return null;
            });
            await().atMost(TestMaster.WAIT).until(() -> worker.state() == Worker.State.STARTED);

            worker.close();

            assertThatThrownBy(() -> starting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfAny(InterruptedException.class, IllegalStateException.class,
                            WorkerStartException.class);
            assertThat(worker.state()).isEqualTo(Worker.State.CLOSED);
            assertThat(listener.count(WorkerEvent.WORKER_STARTED)).isZero();
        } finally {
            starter.shutdownNow();
        }
    }
}
