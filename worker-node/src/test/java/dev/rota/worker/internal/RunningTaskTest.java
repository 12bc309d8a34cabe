package dev.rota.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.model.TaskMessage;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunningTaskTest {
    private final TaskMessage task = new TaskMessage(1, 7, 1, null, null, "team", "noop", Instant.EPOCH, Instant.EPOCH,
            null, null);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void firstStopWinsAndInterruptsTheHandlerThread() {
        RunningTask running = new RunningTask(task, Thread.currentThread());

        assertThat(running.stop(RunningTask.Outcome.TIMED_OUT)).isTrue();
        assertThat(Thread.interrupted()).isTrue();
        assertThat(running.stop(RunningTask.Outcome.CANCELLED)).isFalse();
        assertThat(Thread.interrupted()).isFalse();
        assertThat(running.isStopRequested()).isTrue();
        assertThat(running.finish()).isEqualTo(RunningTask.Outcome.TIMED_OUT);
    }

    @Test
    void stopAfterTheHandlerFinishedChangesNothingAndDoesNotInterrupt() {
        RunningTask running = new RunningTask(task, Thread.currentThread());

        assertThat(running.finish()).isEqualTo(RunningTask.Outcome.COMPLETED);
        assertThat(running.stop(RunningTask.Outcome.CANCELLED)).isFalse();
        assertThat(Thread.interrupted()).isFalse();
        assertThat(running.isStopRequested()).isFalse();
        assertThat(running.finish()).isEqualTo(RunningTask.Outcome.COMPLETED);
    }

    @Test
    void onlyStopReasonsStopATask() {
        RunningTask running = new RunningTask(task, Thread.currentThread());

        assertThatThrownBy(() -> running.stop(RunningTask.Outcome.COMPLETED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cancelStopsOnlyTheMatchingAttempt() {
        RunningTasks tasks = new RunningTasks();
        RunningTask running = tasks.begin(task, Thread.currentThread());

        assertThat(tasks.cancel(7, 2)).isZero();
        assertThat(tasks.cancel(8, 1)).isZero();
        assertThat(tasks.cancel(7, 1)).isEqualTo(1);
        assertThat(running.finish()).isEqualTo(RunningTask.Outcome.CANCELLED);
        tasks.end(running);
        assertThat(tasks.size()).isZero();
    }
}
