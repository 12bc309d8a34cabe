package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.Runs.ResultKind;
import dev.rota.db.Runs.ResultOutcome;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import dev.rota.model.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResultsTest extends DatabaseTest {
    private long epoch;

    @BeforeEach
    void becomeLeader() {
        epoch = lease.acquire("master-a");
    }

    /** A run dispatched now as attempt 1 of a job with these settings. */
    private RunView dispatched(String name, RetryPolicy retry, Duration timeout) {
        JobDefinition j = job(JobSpec.of(name, "0 * * * * ?", "report").withRetry(retry).withTimeout(timeout));
        RunView run = fire(epoch, j, runs.now().minusSeconds(1));
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        return run;
    }

    private RunView dispatched(String name) {
        return dispatched(name, RetryPolicy.NONE, null);
    }

    private Map<String, Object> attempt(long runId, int attempt) {
        List<Map<String, Object>> r = rows("SELECT * FROM run_attempt WHERE run_id = ? AND attempt = ?", runId, attempt);
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    private List<Map<String, Object>> events(long runId) {
        return rows("SELECT kind, attempt, worker_id, detail FROM run_event WHERE run_id = ? ORDER BY id", runId);
    }

    private static Instant instant(Object timestamptz) {
        return timestamptz instanceof OffsetDateTime o ? o.toInstant() : ((java.sql.Timestamp) timestamptz).toInstant();
    }

    private Instant deadline(long runId) {
        Object d = value("SELECT deadline_at FROM run WHERE id = ?", runId);
        return d == null ? null : instant(d);
    }

    @Test
    void startedMakesTheRunRunningWithADeadline() {
        RunView run = dispatched("started", RetryPolicy.NONE, Duration.ofSeconds(30));

        ResultOutcome o = apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null));

        assertThat(o.kind()).isEqualTo(ResultKind.APPLIED);
        RunView running = o.run();
        assertThat(running.state()).isEqualTo(RunState.RUNNING);
        assertThat(running.workerId()).isEqualTo("worker-1");
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(deadline(run.id())).isEqualTo(running.startedAt().plus(Duration.ofSeconds(30)).plus(GRACE));
        Map<String, Object> a = attempt(run.id(), 1);
        assertThat(a.get("worker_id")).isEqualTo("worker-1");
        assertThat(a.get("started_at")).isNotNull();
        assertThat(a.get("outcome")).isNull();
        assertThat(run(run.id())).isEqualTo(running);
    }

    @Test
    void heartbeatRefreshesLivenessButKeepsTheDeadline() {
        RunView run = dispatched("heartbeat", RetryPolicy.NONE, Duration.ofSeconds(30));
        RunView running = apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null)).run();
        Instant deadline = deadline(run.id());
        Instant firstBeat = instant(value("SELECT heartbeat_at FROM run WHERE id = ?", run.id()));

        ResultOutcome beat = apply(epoch, result(run, "worker-1", ResultStatus.HEARTBEAT, null));

        assertThat(beat.kind()).isEqualTo(ResultKind.APPLIED);
        assertThat(beat.run().state()).isEqualTo(RunState.RUNNING);
        assertThat(beat.run().startedAt()).isEqualTo(running.startedAt());
        assertThat(deadline(run.id())).isEqualTo(deadline);
        assertThat(instant(value("SELECT heartbeat_at FROM run WHERE id = ?", run.id()))).isAfter(firstBeat);
    }

    @Test
    void aJobWithoutTimeoutHasNoDeadline() {
        RunView run = dispatched("no-timeout");
        apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null));
        assertThat(deadline(run.id())).isNull();
    }

    @Test
    void succeededIsFinalAndASecondResultIsStale() throws Exception {
        RunView run = dispatched("success", RetryPolicy.NONE, Duration.ofSeconds(30));
        apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null));
        ResultMessage ok = new ResultMessage(TaskMessage.CURRENT_VERSION, run.id(), 1, "worker-1", ResultStatus.SUCCEEDED,
                Instant.now(), null, new ObjectMapper().readTree("{\"rows\":3}"));

        ResultOutcome done = apply(epoch, ok);

        assertThat(done.kind()).isEqualTo(ResultKind.APPLIED);
        RunView succeeded = done.run();
        assertThat(succeeded.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(succeeded.state().isFinal()).isTrue();
        assertThat(succeeded.finishedAt()).isNotNull();
        assertThat(succeeded.result()).isEqualTo("{\"rows\": 3}");
        assertThat(succeeded.error()).isNull();
        assertThat(deadline(run.id())).isNull();
        assertThat(attempt(run.id(), 1).get("outcome")).isEqualTo("SUCCEEDED");
        String runsBefore = rows("SELECT * FROM run").toString();
        String attemptsBefore = rows("SELECT * FROM run_attempt").toString();

        ResultOutcome again = apply(epoch, result(run, "worker-2", ResultStatus.SUCCEEDED, null));
        ResultOutcome lateFailure = apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "too late"));

        assertThat(again.kind()).isEqualTo(ResultKind.STALE);
        assertThat(again.run()).isEqualTo(succeeded);
        assertThat(lateFailure.kind()).isEqualTo(ResultKind.STALE);
        assertThat(run(run.id())).isEqualTo(succeeded);
        assertThat(attempt(run.id(), 1).get("outcome")).isEqualTo("SUCCEEDED");
        assertThat(events(run.id())).extracting(e -> e.get("kind")).containsExactly("DUPLICATE_RESULT", "DUPLICATE_RESULT");
        assertThat(events(run.id()).get(0).get("worker_id")).isEqualTo("worker-2");
        assertThat((String) events(run.id()).get(1).get("detail")).contains("FAILED").contains("SUCCEEDED").contains("too late");
        assertThat(rows("SELECT * FROM run")).asString().isEqualTo(runsBefore);
        assertThat(rows("SELECT * FROM run_attempt")).asString().isEqualTo(attemptsBefore);
    }

    @Test
    void succeededWithoutStartedIsAccepted() {
        RunView run = dispatched("no-started");
        RunView done = apply(epoch, result(run, "worker-1", ResultStatus.SUCCEEDED, null)).run();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.workerId()).isEqualTo("worker-1");
        assertThat(done.result()).isNull();
    }

    @Test
    void aResultForAnOlderAttemptIsStale() {
        RunView run = dispatched("older", RetryPolicy.maxAttempts(3).backoff(Duration.ZERO, 1.0), null);
        apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null));
        apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "first try failed"));
        RunView second = runs.claimDue(epoch, 10).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        RunView running = apply(epoch, result(second, "worker-2", ResultStatus.STARTED, null)).run();

        ResultOutcome late = apply(epoch, result(run.id(), 1, "worker-1", ResultStatus.SUCCEEDED, null));

        assertThat(late.kind()).isEqualTo(ResultKind.STALE);
        assertThat(run(run.id())).isEqualTo(running);
        assertThat(events(run.id())).singleElement().satisfies(e -> {
            assertThat(e.get("kind")).isEqualTo("STALE_RESULT");
            assertThat(e.get("attempt")).isEqualTo(1);
            assertThat((String) e.get("detail")).contains("attempt 1").contains("attempt 2");
        });
    }

    @Test
    void staleHeartbeatsAreNotRecorded() {
        RunView run = dispatched("stale-beat");
        apply(epoch, result(run, "worker-1", ResultStatus.SUCCEEDED, null));
        assertThat(apply(epoch, result(run, "worker-1", ResultStatus.HEARTBEAT, null)).kind()).isEqualTo(ResultKind.STALE);
        assertThat(events(run.id())).isEmpty();
    }

    @Test
    void aResultForAnUnknownRunIsRecorded() {
        ResultOutcome o = apply(epoch, result(999_999, 1, "worker-1", ResultStatus.SUCCEEDED, null));
        assertThat(o.kind()).isEqualTo(ResultKind.UNKNOWN);
        assertThat(o.run()).isNull();
        assertThat(events(999_999)).extracting(e -> e.get("kind")).containsExactly("UNKNOWN_RUN");
    }

    @Test
    void failureWithRetriesLeftIsScheduledAfterABackoffAndNotDispatchedEarly() {
        Duration initial = Duration.ofMinutes(10);
        RunView run = dispatched("backoff", RetryPolicy.maxAttempts(3).backoff(initial, 2.0).maxDelay(Duration.ofHours(1)), null);
        apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null));

        RunView retry = apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "boom")).run();

        assertThat(retry.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(retry.failures()).isEqualTo(1);
        assertThat(retry.attempt()).isEqualTo(1);
        assertThat(retry.finishedAt()).isNull();
        assertThat(retry.error()).startsWith("boom").contains("retry 1 of 2");
        Map<String, Object> first = attempt(run.id(), 1);
        assertThat(first.get("outcome")).isEqualTo("FAILED");
        assertThat(first.get("error")).isEqualTo("boom");
        Duration delay = Duration.between(instant(first.get("finished_at")), retry.dueAt());
        assertThat(delay).isBetween(initial.dividedBy(2), initial);
        assertThat(runs.nextDueAt()).contains(retry.dueAt());

        assertThat(runs.claimDue(epoch, 10)).as("the retry is not due yet").isEmpty();

        age(run.id(), initial);
        RunView second = runs.claimDue(epoch, 10).get(0);
        assertThat(second.id()).isEqualTo(run.id());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.state()).isEqualTo(RunState.QUEUED);
        assertThat(second.workerId()).isNull();
        assertThat(second.startedAt()).isNull();
        assertThat(second.published()).isFalse();
        assertThat(second.dispatchedAt()).isAfterOrEqualTo(second.dueAt());
        assertThat(attempt(run.id(), 2).get("outcome")).isNull();

        apply(epoch, result(second, "worker-2", ResultStatus.STARTED, null));
        RunView retry2 = apply(epoch, result(second, "worker-2", ResultStatus.FAILED, "boom again")).run();
        assertThat(retry2.failures()).isEqualTo(2);
        Duration delay2 = Duration.between(instant(attempt(run.id(), 2).get("finished_at")), retry2.dueAt());
        assertThat(delay2).as("the delay grows by the multiplier").isBetween(initial, initial.multipliedBy(2));
    }

    @Test
    void everyAttemptFailingEndsDead() {
        RunView run = dispatched("dead", RetryPolicy.maxAttempts(3).backoff(Duration.ofMillis(10), 1.0), null);

        RunView current = run;
        List<RunState> states = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(current.attempt()).isEqualTo(attempt);
            apply(epoch, result(current, "worker-1", ResultStatus.STARTED, null));
            RunView after = apply(epoch, result(current, "worker-1", ResultStatus.FAILED, "failure " + attempt)).run();
            states.add(after.state());
            if (after.state() == RunState.SCHEDULED) {
                List<RunView> claimed = new ArrayList<>();
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                        .until(() -> claimed.addAll(runs.claimDue(epoch, 10)));
                current = claimed.get(0);
            } else {
                current = after;
            }
        }

        assertThat(states).containsExactly(RunState.SCHEDULED, RunState.SCHEDULED, RunState.DEAD);
        RunView dead = run(run.id());
        assertThat(dead.state()).isEqualTo(RunState.DEAD);
        assertThat(dead.failures()).isEqualTo(3);
        assertThat(dead.attempt()).isEqualTo(3);
        assertThat(dead.error()).isEqualTo("failure 3");
        assertThat(dead.finishedAt()).isNotNull();
        assertThat(rows("SELECT outcome FROM run_attempt WHERE run_id = ? ORDER BY attempt", run.id()))
                .extracting(r -> r.get("outcome")).containsExactly("FAILED", "FAILED", "FAILED");
        assertThat(runs.claimDue(epoch, 10)).isEmpty();
    }

    @Test
    void failureWithoutRetriesIsFailedWithTheError() {
        RunView run = dispatched("no-retry");
        apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null));

        RunView failed = apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "java.io.IOException: disk full")).run();

        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).isEqualTo("java.io.IOException: disk full");
        assertThat(failed.failures()).isEqualTo(1);
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(attempt(run.id(), 1).get("outcome")).isEqualTo("FAILED");
    }

    @Test
    void rejectedFailsAtOnceEvenWithRetriesLeft() {
        RunView run = dispatched("rejected", RetryPolicy.maxAttempts(5), null);

        RunView failed = apply(epoch, result(run, "worker-1", ResultStatus.REJECTED, "unknown task type 'report'")).run();

        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).contains("worker-1").contains("unknown task type 'report'");
        assertThat(attempt(run.id(), 1).get("outcome")).isEqualTo("REJECTED");
        assertThat(runs.claimDue(epoch, 10)).isEmpty();
    }

    @Test
    void timedOutAndCancelledResults() {
        RunView slow = dispatched("slow", RetryPolicy.NONE, Duration.ofSeconds(1));
        apply(epoch, result(slow, "worker-1", ResultStatus.STARTED, null));
        RunView timedOut = apply(epoch, result(slow, "worker-1", ResultStatus.TIMED_OUT, "interrupted after PT1S")).run();
        assertThat(timedOut.state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(timedOut.error()).isEqualTo("interrupted after PT1S");
        assertThat(attempt(slow.id(), 1).get("outcome")).isEqualTo("TIMED_OUT");

        RunView cancelMe = dispatched("cancel-me");
        apply(epoch, result(cancelMe, "worker-1", ResultStatus.STARTED, null));
        RunView cancelled = apply(epoch, result(cancelMe, "worker-1", ResultStatus.CANCELLED, "cancel requested")).run();
        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThat(attempt(cancelMe.id(), 1).get("outcome")).isEqualTo("CANCELLED");
    }

    /** The dispatcher marks confirms while the results consumer applies results, on the same rows. */
    @Test
    void markingPublishedAndApplyingResultsOfTheSameRunsNeverDeadlock() throws Exception {
        List<RunView> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(dispatched("dl-" + i));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.Random random = new java.util.Random(42);
            for (int round = 0; round < 15; round++) {
                List<RunView> shuffled = new java.util.ArrayList<>(batch);
                java.util.Collections.shuffle(shuffled, random);
                List<Runs.AttemptRef> refs = shuffled.stream().map(r -> new Runs.AttemptRef(r.id(), r.attempt())).toList();
                java.util.Collections.shuffle(shuffled, random);
                List<dev.rota.model.ResultMessage> beats = shuffled.stream()
                        .map(r -> result(r, "w1", ResultStatus.HEARTBEAT, null)).toList();
                var marking = pool.submit(() -> {
                    List<Runs.AttemptRef> left = refs;
                    while (!left.isEmpty()) {
                        left = runs.markPublished(left);
                    }
                });
                var applying = pool.submit(() -> runs.applyResults(epoch, beats, GRACE));
                marking.get(30, java.util.concurrent.TimeUnit.SECONDS);
                applying.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(count("SELECT count(*) FROM run WHERE published")).isEqualTo(batch.size());
                sql("UPDATE run SET published = false");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Marking confirms never waits for a row another transaction holds: it marks the rest and hands the held
     * attempt back, and marks it once the row is free. (Waiting made the marker and the results consumer, which
     * waits briefly for rows it cannot lock at once, hold each other up for the results' whole lock wait.)
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void markingConfirmsSkipsARowHeldElsewhereAndHandsItBack() throws Exception {
        RunView held = dispatched("mark-held");
        RunView free = dispatched("mark-free");
        Runs.AttemptRef heldRef = new Runs.AttemptRef(held.id(), held.attempt());
        Runs.AttemptRef freeRef = new Runs.AttemptRef(free.id(), free.attempt());
        try (java.sql.Connection outside = db.dataSource().getConnection()) {
            outside.setAutoCommit(false);
            try (var ps = outside.prepareStatement("SELECT id FROM run WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, held.id());
                ps.executeQuery().close();
            }
            assertThat(runs.markPublished(List.of(heldRef, freeRef))).containsExactly(heldRef);
            assertThat(count("SELECT count(*) FROM run WHERE published AND id = " + free.id())).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM run WHERE published AND id = " + held.id())).isZero();
            outside.rollback();
        }
        assertThat(runs.markPublished(List.of(heldRef, freeRef))).as("marked, or already marked: nothing left").isEmpty();
        assertThat(count("SELECT count(*) FROM run WHERE published AND id = " + held.id())).isEqualTo(1);
    }

    /**
     * An outside transaction (an operator's open session) holds one run's row. With a lock wait, the
     * batch applies everything else and hands that one result back BUSY, unapplied and unrecorded, in
     * about the wait, not for as long as the row stays locked; once the lock is gone, it applies.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aResultWhoseRunIsLockedElsewhereComesBackBusyAndHoldsUpNoOther() throws Exception {
        RunView held = dispatched("busy-held");
        RunView free = dispatched("busy-free");
        try (java.sql.Connection outside = db.dataSource().getConnection()) {
            outside.setAutoCommit(false);
            try (var ps = outside.prepareStatement("SELECT id FROM run WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, held.id());
                ps.executeQuery().close();
            }
            long began = System.nanoTime();
            List<ResultOutcome> out = runs.applyResults(epoch, List.of(
                    result(held, "w1", ResultStatus.SUCCEEDED, null),
                    result(free, "w1", ResultStatus.SUCCEEDED, null)), GRACE, Duration.ofMillis(200));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertThat(out).extracting(ResultOutcome::kind).containsExactly(ResultKind.BUSY, ResultKind.APPLIED);
            assertThat(took).as("bounded by the lock wait, not by the outside transaction").isLessThan(Duration.ofSeconds(5));
            assertThat(run(free.id()).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(events(held.id())).as("a busy result is not recorded").isEmpty();
            outside.rollback();
        }
        assertThat(run(held.id()).state()).isEqualTo(RunState.QUEUED);
        assertThat(value("SELECT current_setting('lock_timeout')")).as("the wait does not outlive its statement")
                .isEqualTo("0");
        List<ResultOutcome> again = runs.applyResults(epoch, List.of(result(held, "w1", ResultStatus.SUCCEEDED, null)),
                GRACE, Duration.ofMillis(200));
        assertThat(again).extracting(ResultOutcome::kind).containsExactly(ResultKind.APPLIED);
        assertThat(run(held.id()).state()).isEqualTo(RunState.SUCCEEDED);
    }

    /** A row that is only briefly locked (the dispatcher marking a confirm) is waited for, not handed back. */
    @Test
    void aRowLockedBrieflyIsWaitedForWithinTheLockWait() throws Exception {
        RunView run = dispatched("busy-brief");
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (java.sql.Connection outside = db.dataSource().getConnection()) {
            outside.setAutoCommit(false);
            try (var ps = outside.prepareStatement("SELECT id FROM run WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, run.id());
                ps.executeQuery().close();
            }
            int pid;
            try (var ps = outside.prepareStatement("SELECT pg_backend_pid()"); var rs = ps.executeQuery()) {
                rs.next();
                pid = rs.getInt(1);
            }
            var applying = pool.submit(() -> runs.applyResults(epoch,
                    List.of(result(run, "w1", ResultStatus.STARTED, null)), GRACE, Duration.ofSeconds(20)));
            await("the results transaction waits for the row").atMost(Duration.ofSeconds(10)).until(() -> count(
                    "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))", pid) > 0);
            outside.commit();
            assertThat(applying.get(30, java.util.concurrent.TimeUnit.SECONDS)).extracting(ResultOutcome::kind)
                    .containsExactly(ResultKind.APPLIED);
        } finally {
            pool.shutdownNow();
        }
        assertThat(run(run.id()).state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void aBatchIsAppliedInOrder() {
        RunView a = dispatched("batch-a");
        RunView b = dispatched("batch-b");
        List<ResultOutcome> out = runs.applyResults(epoch, List.of(
                result(a, "w1", ResultStatus.STARTED, null),
                result(b, "w2", ResultStatus.STARTED, null),
                result(a, "w1", ResultStatus.SUCCEEDED, null),
                result(a, "w1", ResultStatus.SUCCEEDED, null)), GRACE);
        assertThat(out).extracting(ResultOutcome::kind)
                .containsExactly(ResultKind.APPLIED, ResultKind.APPLIED, ResultKind.APPLIED, ResultKind.STALE);
        assertThat(run(a.id()).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run(b.id()).state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void expireOverdueTimesOutOrRetriesRunsPastTheirDeadline() {
        RunView once = dispatched("expire-once", RetryPolicy.NONE, Duration.ofSeconds(1));
        RunView retried = dispatched("expire-retry", RetryPolicy.maxAttempts(2).backoff(Duration.ZERO, 1.0), Duration.ofSeconds(1));
        RunView onTime = dispatched("expire-not-yet", RetryPolicy.NONE, Duration.ofSeconds(1));
        RunView noLimit = dispatched("expire-never");
        for (RunView r : List.of(once, retried, onTime, noLimit)) {
            apply(epoch, result(r, "worker-1", ResultStatus.STARTED, null));
        }
        assertThat(runs.expireOverdue(epoch, 10)).as("nothing is overdue yet").isEmpty();
        Duration late = Duration.ofSeconds(1).plus(GRACE).plusSeconds(1);
        age(once.id(), late);
        age(retried.id(), late);
        age(noLimit.id(), Duration.ofDays(1));

        List<RunView> expired = runs.expireOverdue(epoch, 10);

        assertThat(expired).extracting(RunView::id).containsExactlyInAnyOrder(once.id(), retried.id());
        RunView timedOut = run(once.id());
        assertThat(timedOut.state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(timedOut.error()).contains("worker-1").contains("deadline");
        assertThat(timedOut.finishedAt()).isNotNull();
        assertThat(attempt(once.id(), 1).get("outcome")).isEqualTo("TIMED_OUT");

        RunView retry = run(retried.id());
        assertThat(retry.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(retry.failures()).isEqualTo(1);
        assertThat(runs.claimDue(epoch, 10)).extracting(RunView::id).containsExactly(retried.id());

        assertThat(run(onTime.id()).state()).isEqualTo(RunState.RUNNING);
        assertThat(run(noLimit.id()).state()).isEqualTo(RunState.RUNNING);
        assertThat(runs.expireOverdue(epoch, 10)).isEmpty();

        // The worker's own late report about the expired attempt changes nothing.
        assertThat(apply(epoch, result(once, "worker-1", ResultStatus.SUCCEEDED, null)).kind()).isEqualTo(ResultKind.STALE);
        assertThat(run(once.id()).state()).isEqualTo(RunState.TIMED_OUT);
    }

    @Test
    void rescheduleLostByWorkerMakesANewAttemptThatIsNoFailure() {
        RunView a = dispatched("lost-a", RetryPolicy.NONE, Duration.ofMinutes(5));
        RunView b = dispatched("lost-b");
        RunView other = dispatched("other-worker");
        RunView queued = dispatched("still-queued");
        apply(epoch, result(a, "worker-1", ResultStatus.STARTED, null));
        apply(epoch, result(b, "worker-1", ResultStatus.STARTED, null));
        apply(epoch, result(other, "worker-2", ResultStatus.STARTED, null));
        Instant before = runs.now();

        List<RunView> lost = runs.rescheduleLost(epoch, "worker-1", null);

        assertThat(lost).extracting(RunView::id).containsExactlyInAnyOrder(a.id(), b.id());
        for (RunView r : lost) {
            assertThat(r.state()).isEqualTo(RunState.SCHEDULED);
            assertThat(r.failures()).as("a lost worker is not the task's failure").isZero();
            assertThat(r.dueAt()).isAfterOrEqualTo(before).isBeforeOrEqualTo(runs.now());
            assertThat(r.error()).contains("worker-1").contains("left the cluster");
            Map<String, Object> att = attempt(r.id(), 1);
            assertThat(att.get("outcome")).isEqualTo("LOST");
            assertThat(att.get("worker_id")).isEqualTo("worker-1");
        }
        assertThat(run(other.id()).state()).isEqualTo(RunState.RUNNING);
        assertThat(run(queued.id()).state()).isEqualTo(RunState.QUEUED);

        List<RunView> again = runs.claimDue(epoch, 10);
        assertThat(again).extracting(RunView::id).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(again).allSatisfy(r -> {
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.workerId()).isNull();
        });
        // The lost worker's late result about attempt 1 changes nothing.
        assertThat(apply(epoch, result(a.id(), 1, "worker-1", ResultStatus.SUCCEEDED, null)).kind()).isEqualTo(ResultKind.STALE);
        assertThat(run(a.id()).state()).isEqualTo(RunState.QUEUED);
    }

    @Test
    void anAttemptRabbitMqRedeliveredIsNotDispatchedAgainWhenItsWorkerLeaves() {
        RunView poison = dispatched("poison");
        apply(epoch, result(poison, "worker-1", ResultStatus.STARTED, null));
        apply(epoch, result(poison, "worker-2", ResultStatus.STARTED, null));

        assertThat(runs.rescheduleLost(epoch, "worker-1", null)).isEmpty();
        assertThat(runs.rescheduleLost(epoch, "worker-2", null)).as("worker-2 got a redelivery: RabbitMQ's to bound").isEmpty();
        assertThat(run(poison.id()).state()).isEqualTo(RunState.RUNNING);
        assertThat(run(poison.id()).attempt()).isEqualTo(1);

        RunView fresh = dispatched("fresh");
        apply(epoch, result(fresh, "worker-3", ResultStatus.STARTED, null));
        apply(epoch, result(fresh, "worker-3", ResultStatus.HEARTBEAT, null));
        assertThat(runs.rescheduleLost(epoch, "worker-3", null)).as("heartbeats are not redeliveries")
                .extracting(RunView::id).containsExactly(fresh.id());
    }

    @Test
    void rescheduleLostBySilence() {
        RunView silent = dispatched("silent");
        RunView alive = dispatched("alive");
        apply(epoch, result(silent, "worker-1", ResultStatus.STARTED, null));
        apply(epoch, result(alive, "worker-2", ResultStatus.STARTED, null));
        Instant cutoff = runs.now();
        apply(epoch, result(alive, "worker-2", ResultStatus.HEARTBEAT, null));

        List<RunView> lost = runs.rescheduleLost(epoch, null, cutoff);

        assertThat(lost).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(silent.id());
            assertThat(r.state()).isEqualTo(RunState.SCHEDULED);
            assertThat(r.failures()).isZero();
            assertThat(r.error()).contains("went silent");
        });
        assertThat(attempt(silent.id(), 1).get("outcome")).isEqualTo("LOST");
        assertThat(run(alive.id()).state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void aRunLostOverAndOverEndsDead() {
        RunView run = dispatched("unlucky");
        RunView current = run;
        int attempts = 0;
        while (true) {
            attempts++;
            apply(epoch, result(current, "worker-" + attempts, ResultStatus.STARTED, null));
            RunView after = runs.rescheduleLost(epoch, "worker-" + attempts, null).get(0);
            if (after.state() != RunState.SCHEDULED) {
                assertThat(after.state()).isEqualTo(RunState.DEAD);
                assertThat(after.error()).contains("giving up");
                break;
            }
            assertThat(attempts).as("gives up eventually").isLessThan(20);
            current = runs.claimDue(epoch, 10).get(0);
        }
        assertThat(attempts).isEqualTo(1 + 5);
        assertThat(run(run.id()).failures()).isZero();
    }
}
