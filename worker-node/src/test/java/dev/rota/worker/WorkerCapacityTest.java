package dev.rota.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerCapacityTest {
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
    void runsAtMostCapacityTasksAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener listener = new RecordingListener();
        master.startWorker(master.workerBuilder().capacity(2).listener(listener).taskTypes("gate").handler("gate",
                context -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        return release.await(20, TimeUnit.SECONDS);
                    } finally {
                        running.decrementAndGet();
                    }
                }));

        List<TaskMessage> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(master.publish("gate", "{}"));
        }

        await().atMost(TestMaster.WAIT).until(() -> running.get() == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> running.get() == 2 && listener.count(WorkerEvent.TASK_RECEIVED) == 2);
        release.countDown();
        for (TaskMessage task : tasks) {
            master.awaitResult(task.runId(), ResultStatus.SUCCEEDED);
        }
        assertThat(mostAtOnce.get()).isEqualTo(2);
        await().atMost(TestMaster.WAIT).until(() -> listener.count(WorkerEvent.TASK_ACKED) == 4);
    }
}
