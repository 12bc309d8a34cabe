package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.db.Runs.AttemptRef;
import dev.rota.model.IllegalRunTransitionException;
import dev.rota.model.ResultStatus;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxAndOperatorTest extends DatabaseTest {
    private long epoch;

    @BeforeEach
    void becomeLeader() {
        epoch = lease.acquire("master-a");
    }

    private RunView queued(JobDefinition j, int secondsAgo) {
        return fire(epoch, j, runs.now().minusSeconds(secondsAgo));
    }

    @Test
    void unpublishedListsQueuedAttemptsNotConfirmedAndMarkPublishedRemovesThem() {
        JobDefinition j = job("outbox");
        RunView a = queued(j, 30);
        RunView b = queued(j, 20);
        RunView c = queued(j, 10);
        RunView started = queued(j, 5);
        apply(epoch, result(started, "w1", ResultStatus.STARTED, null));

        assertThat(runs.unpublished(Duration.ZERO, 10)).extracting(RunView::id).containsExactly(a.id(), b.id(), c.id());
        assertThat(runs.unpublished(Duration.ofHours(1), 10)).as("dispatched too recently").isEmpty();
        assertThat(runs.unpublished(Duration.ZERO, 2)).hasSize(2);

        runs.markPublished(List.of(new AttemptRef(a.id(), 1), new AttemptRef(b.id(), 2)));

        assertThat(run(a.id()).published()).isTrue();
        assertThat(run(b.id()).published()).as("another attempt's confirmation does not count").isFalse();
        assertThat(runs.unpublished(Duration.ZERO, 10)).extracting(RunView::id).containsExactly(b.id(), c.id());

        age(c.id(), Duration.ofHours(2));
        assertThat(runs.unpublished(Duration.ofHours(1), 10)).extracting(RunView::id).containsExactly(c.id());

        runs.markPublished(List.of());
        runs.markPublished(List.of(new AttemptRef(b.id(), 1), new AttemptRef(c.id(), 1)));
        assertThat(runs.unpublished(Duration.ZERO, 10)).isEmpty();
    }

    /**
     * Regression: 8,000 confirmed pairs in one row-value IN list failed with "stack depth limit exceeded",
     * the confirms were lost, and the outbox republished 4,000 delivered tasks (each executed twice).
     */
    @Test
    void markPublishedRecordsTwentyThousandConfirmsInOneCall() {
        int n = 20_000;
        sql("INSERT INTO run (task_type, state, attempt, epoch, dispatched_at, scheduled_at, due_at)"
                + " SELECT 'bulk', 'QUEUED', 1, ?, now(), now(), now() FROM generate_series(1, ?)", epoch, n);
        List<AttemptRef> refs = rows("SELECT id FROM run WHERE task_type = 'bulk' ORDER BY id").stream()
                .map(r -> new AttemptRef(((Number) r.get("id")).longValue(), 1)).toList();
        assertThat(refs).hasSize(n);

        runs.markPublished(refs);

        assertThat(count("SELECT count(*) FROM run WHERE task_type = 'bulk' AND NOT published")).isZero();
        assertThat(runs.unpublished(Duration.ZERO, 10)).isEmpty();
    }

    @Test
    void aNewAttemptIsUnpublishedAgain() {
        RunView run = runs.submit(TaskSubmission.of("report", "{}", runs.now().minusSeconds(1))
                .withRetry(RetryPolicy.maxAttempts(2).backoff(Duration.ZERO, 1.0)));
        RunView first = runs.claimDue(epoch, 10).get(0);
        runs.markPublished(List.of(new AttemptRef(first.id(), 1)));
        apply(epoch, result(first, "w1", ResultStatus.FAILED, "boom"));

        RunView second = runs.claimDue(epoch, 10).get(0);
        assertThat(second.id()).isEqualTo(run.id());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.published()).isFalse();
        assertThat(runs.unpublished(Duration.ZERO, 10)).extracting(RunView::id).containsExactly(run.id());
    }

    @Test
    void submitAllInsertsInOrderAcrossChunksAndKeepsIdempotencyKeys() {
        Instant at = runs.now().plusSeconds(60);
        RunView earlier = runs.submit(TaskSubmission.of("report", "{}", at).withIdempotencyKey("seen-before"));
        List<TaskSubmission> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            TaskSubmission s = TaskSubmission.of("bulk", "{\"n\": " + i + "}", at.plusMillis(i));
            batch.add(i % 10 == 0 ? s.withIdempotencyKey("k-" + (i / 20)) : s);
        }
        batch.add(TaskSubmission.of("bulk", "{}", at).withIdempotencyKey("seen-before"));

        List<RunView> out = runs.submitAll(batch);

        assertThat(out).hasSize(batch.size());
        for (int i = 0; i < 2_500; i++) {
            if (i % 20 != 10) {
                assertThat(out.get(i).payload()).as("run %d", i).contains(Integer.toString(i));
                assertThat(out.get(i).scheduledAt()).isEqualTo(at.plusMillis(i));
            }
        }
        assertThat(out.get(10).id()).as("a key repeated in the batch returns its first run").isEqualTo(out.get(0).id());
        assertThat(out.get(batch.size() - 1).id()).isEqualTo(earlier.id());
        assertThat(count("SELECT count(*) FROM run WHERE task_type = 'bulk'")).isEqualTo(2_500 - 125);
        assertThat(out.stream().map(RunView::state).distinct()).containsExactly(RunState.SCHEDULED);
    }

    @Test
    void submitIsIdempotentWithAKey() {
        Instant at = runs.now().plusSeconds(60);
        TaskSubmission s = TaskSubmission.of("report", "{\"n\": 1}", at).withIdempotencyKey("invoice-42")
                .withTeam("billing").withTimeout(Duration.ofSeconds(10))
                .withRetry(RetryPolicy.maxAttempts(3));

        RunView first = runs.submit(s);
        RunView second = runs.submit(new TaskSubmission(s.team(), s.taskType(), "{\"n\": 2}", s.runAt().plusSeconds(5),
                s.idempotencyKey(), s.retryPolicy(), s.timeout()));

        assertThat(second).isEqualTo(first);
        assertThat(first.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(first.jobId()).isNull();
        assertThat(first.team()).isEqualTo("billing");
        assertThat(first.payload()).isEqualTo("{\"n\": 1}");
        assertThat(first.idempotencyKey()).isEqualTo("invoice-42");
        assertThat(first.scheduledAt()).isEqualTo(at);
        assertThat(first.dueAt()).isEqualTo(at);
        assertThat(first.attempt()).isZero();
        assertThat(first.retryPolicy().maxAttempts()).isEqualTo(3);
        assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(1);

        RunView unkeyed1 = runs.submit(TaskSubmission.of("report", "{}", at));
        RunView unkeyed2 = runs.submit(TaskSubmission.of("report", "{}", at));
        assertThat(unkeyed1.id()).isNotEqualTo(unkeyed2.id());
        assertThat(runs.claimDue(epoch, 10)).as("submitted for later").isEmpty();
    }

    @Test
    void aTaskInsertedWithPlainSqlIsDispatchedWhenDue() {
        assertThat(sql("INSERT INTO run (task_type) VALUES ('report')")).isEqualTo(1);
        assertThat(sql("INSERT INTO run (task_type, scheduled_at) VALUES ('report', now() + interval '1 hour')")).isEqualTo(1);

        List<RunView> claimed = runs.claimDue(epoch, 10);

        assertThat(claimed).singleElement().satisfies(r -> {
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.team()).isEqualTo("default");
            assertThat(r.payload()).isEqualTo("{}");
            assertThat(r.retryPolicy()).isEqualTo(RetryPolicy.NONE);
        });
        RunView later = runs.recent(null, null, 10).get(0);
        assertThat(later.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(later.dueAt()).as("due_at follows scheduled_at").isEqualTo(later.scheduledAt());
    }

    @Test
    void rerunOfADeadRunSchedulesItWithAFreshFailureBudget() {
        RunView run = runs.submit(TaskSubmission.of("report", "{}", runs.now().minusSeconds(1))
                .withRetry(RetryPolicy.maxAttempts(2).backoff(Duration.ZERO, 1.0)));
        for (int i = 0; i < 2; i++) {
            RunView attempt = runs.claimDue(epoch, 10).get(0);
            apply(epoch, result(attempt, "w1", ResultStatus.FAILED, "boom " + attempt.attempt()));
        }
        RunView dead = run(run.id());
        assertThat(dead.state()).isEqualTo(RunState.DEAD);
        assertThat(dead.failures()).isEqualTo(2);
        Instant before = runs.now();

        RunView rerun = runs.rerun(run.id());

        assertThat(rerun.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(rerun.failures()).isZero();
        assertThat(rerun.finishedAt()).isNull();
        assertThat(rerun.dueAt()).isAfterOrEqualTo(before);
        assertThat(rerun.error()).contains("re-run").contains("DEAD").contains("boom 2");
        RunView third = runs.claimDue(epoch, 10).get(0);
        assertThat(third.id()).isEqualTo(run.id());
        assertThat(third.attempt()).isEqualTo(3);
        RunView retried = apply(epoch, result(third, "w1", ResultStatus.FAILED, "boom 3")).run();
        assertThat(retried.state()).as("the fresh budget allows a retry again").isEqualTo(RunState.SCHEDULED);
    }

    @Test
    void rerunOfAFailedOrCancelledRun() {
        RunView failed = runs.submit(TaskSubmission.of("report", "{}", runs.now().minusSeconds(1)));
        apply(epoch, result(runs.claimDue(epoch, 10).get(0), "w1", ResultStatus.FAILED, "boom"));
        assertThat(runs.rerun(failed.id()).state()).isEqualTo(RunState.SCHEDULED);

        RunView cancelled = runs.submit(TaskSubmission.of("report", "{}", runs.now().plusSeconds(600)));
        runs.cancel(cancelled.id());
        assertThat(runs.rerun(cancelled.id()).state()).isEqualTo(RunState.SCHEDULED);
    }

    @Test
    void rerunOfASucceededRunIsIllegal() {
        RunView run = runs.submit(TaskSubmission.of("report", "{}", runs.now().minusSeconds(1)));
        apply(epoch, result(runs.claimDue(epoch, 10).get(0), "w1", ResultStatus.SUCCEEDED, null));

        assertThatThrownBy(() -> runs.rerun(run.id()))
                .isInstanceOf(IllegalRunTransitionException.class)
                .hasMessageContaining("SUCCEEDED -> SCHEDULED");
        assertThat(run(run.id()).state()).isEqualTo(RunState.SUCCEEDED);

        RunView scheduled = runs.submit(TaskSubmission.of("report", "{}", runs.now().plusSeconds(600)));
        assertThatThrownBy(() -> runs.rerun(scheduled.id())).isInstanceOf(IllegalRunTransitionException.class);
        assertThatThrownBy(() -> runs.rerun(123_456)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("123456");
    }

    @Test
    void cancelEndsScheduledQueuedAndRunningRunsOnly() {
        RunView scheduled = runs.submit(TaskSubmission.of("report", "{}", runs.now().plusSeconds(600)));
        JobDefinition j = job("cancel");
        RunView queued = queued(j, 20);
        RunView running = queued(j, 10);
        apply(epoch, result(running, "w1", ResultStatus.STARTED, null));
        RunView done = queued(j, 5);
        apply(epoch, result(done, "w1", ResultStatus.SUCCEEDED, null));

        Optional<RunView> c1 = runs.cancel(scheduled.id());
        Optional<RunView> c2 = runs.cancel(queued.id());
        Optional<RunView> c3 = runs.cancel(running.id());

        for (Optional<RunView> c : List.of(c1, c2, c3)) {
            assertThat(c).hasValueSatisfying(r -> {
                assertThat(r.state()).isEqualTo(RunState.CANCELLED);
                assertThat(r.finishedAt()).isNotNull();
                assertThat(r.error()).isEqualTo("cancelled by an operator");
            });
        }
        assertThat(c3.get().workerId()).isEqualTo("w1");
        assertThat(value("SELECT outcome FROM run_attempt WHERE run_id = ? AND attempt = 1", running.id())).isEqualTo("CANCELLED");
        assertThat(value("SELECT outcome FROM run_attempt WHERE run_id = ? AND attempt = 1", queued.id())).isEqualTo("CANCELLED");
        assertThat(runs.cancel(done.id())).as("a final run is not cancelled").isEmpty();
        assertThat(runs.cancel(running.id())).as("cancelling twice").isEmpty();
        assertThat(runs.cancel(987_654)).isEmpty();
        assertThat(run(done.id()).state()).isEqualTo(RunState.SUCCEEDED);

        assertThat(apply(epoch, result(running, "w1", ResultStatus.CANCELLED, "interrupted")).kind())
                .isEqualTo(Runs.ResultKind.STALE);
        assertThat(runs.claimDue(epoch, 10)).isEmpty();
    }

    @Test
    void recentListsNewestFirstAndFilters() {
        JobDefinition a = job("a");
        JobDefinition b = jobs.create(JobSpec.of("b", "0 * * * * ?", "report").withTeam("other"));
        RunView a1 = queued(a, 30);
        RunView b1 = fire(epoch, b, runs.now().minusSeconds(20));
        RunView a2 = queued(a, 10);

        assertThat(runs.recent(null, null, 10)).extracting(RunView::id).containsExactly(a2.id(), b1.id(), a1.id());
        assertThat(runs.recent("default", "a", 10)).extracting(RunView::id).containsExactly(a2.id(), a1.id());
        assertThat(runs.recent("other", null, 10)).extracting(RunView::id).containsExactly(b1.id());
        assertThat(runs.recent(null, null, 1)).extracting(RunView::id).containsExactly(a2.id());
        assertThat(runs.find(a1.id())).contains(run(a1.id()));
        assertThat(runs.find(424_242)).isEmpty();
    }
}
