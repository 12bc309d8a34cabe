package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.db.Runs.Claim;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Concurrency policies applied where a fire is first dispatched: {@link Runs#claim}. Fires are recorded ahead
 * through {@link Schedules#planDue}, as the leader's planner does.
 */
class ClaimPoliciesTest extends DatabaseTest {

    private JobDefinition job(String name, ConcurrencyPolicy policy) {
        return job(JobSpec.of(name, "* * * * * ?", "report").withConcurrency(policy));
    }

    /** Records fires of one job as the planner does: SCHEDULED, due at their time. */
    private void recordAhead(long epoch, JobDefinition job, Instant... times) {
        sql("UPDATE job SET next_fire_at = ?::timestamptz WHERE id = ?", times[0].toString(), job.id());
        Instant far = times[0].plus(Duration.ofDays(365));
        db.schedules().planDue(epoch, Duration.ZERO, 10, (c, now, horizon) ->
                new Schedules.Decision(List.of(times), far, 0));
    }

    private Claim claimAll(long epoch) {
        return runs.claim(epoch, 100);
    }

    private RunView fireAt(JobDefinition job, Instant at) {
        return runs.find(((Number) value("SELECT id FROM run WHERE job_id = ? AND scheduled_at = ?::timestamptz",
                job.id(), at.toString())).longValue()).orElseThrow();
    }

    @Test
    void forbidSkipsWhileThePreviousRunIsQueuedOrRunning() {
        JobDefinition j = job("forbid", ConcurrencyPolicy.FORBID);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);

        recordAhead(epoch, j, t0);
        RunView first = claimAll(epoch).queued().get(0);
        recordAhead(epoch, j, t0.plusSeconds(1));
        Claim whileQueued = claimAll(epoch);
        assertThat(whileQueued.queued()).isEmpty();
        assertThat(whileQueued.skipped()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(RunState.SKIPPED);
            assertThat(s.finishedAt()).isNotNull();
            assertThat(s.error()).contains("FORBID").contains("run " + first.id()).contains("QUEUED");
            assertThat(s.attempt()).isZero();
        });

        apply(epoch, result(first, "w1", ResultStatus.STARTED, null));
        recordAhead(epoch, j, t0.plusSeconds(2));
        assertThat(claimAll(epoch).skipped()).singleElement().satisfies(s -> assertThat(s.error()).contains("RUNNING"));

        apply(epoch, result(first, "w1", ResultStatus.SUCCEEDED, null));
        recordAhead(epoch, j, t0.plusSeconds(3));
        Claim afterwards = claimAll(epoch);
        assertThat(afterwards.queued()).hasSize(1);
        assertThat(afterwards.skipped()).isEmpty();
        assertThat(count("SELECT count(*) FROM run WHERE state = 'SKIPPED'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM run_attempt")).as("skipped fires have no attempt").isEqualTo(2);
    }

    @Test
    void aRetryWaitingInScheduledIsInFlightButAFireRecordedAheadIsNot() {
        JobDefinition j = job(JobSpec.of("retrying", "* * * * * ?", "report").withConcurrency(ConcurrencyPolicy.FORBID)
                .withRetry(dev.rota.model.RetryPolicy.maxAttempts(3).backoff(Duration.ofHours(1), 1.0)));
        long epoch = lease.acquire("m1");
        Instant now = runs.now().truncatedTo(ChronoUnit.SECONDS);

        recordAhead(epoch, j, now.minusSeconds(10), now.plusSeconds(3600));
        RunView first = claimAll(epoch).queued().get(0);
        assertThat(fireAt(j, now.plusSeconds(3600)).state()).isEqualTo(RunState.SCHEDULED);

        apply(epoch, result(first, "w1", ResultStatus.FAILED, "boom"));
        assertThat(run(first.id()).state()).as("waiting for its retry").isEqualTo(RunState.SCHEDULED);
        recordAhead(epoch, j, now.minusSeconds(5));
        assertThat(claimAll(epoch).skipped()).singleElement()
                .satisfies(s -> assertThat(s.error()).contains("run " + first.id()).contains("SCHEDULED"));
    }

    @Test
    void firesOfOneJobDueTogetherAreDecidedInScheduledOrder() {
        JobDefinition j = job("batch", ConcurrencyPolicy.FORBID);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);

        recordAhead(epoch, j, t0, t0.plusSeconds(1), t0.plusSeconds(2));
        Claim c = claimAll(epoch);

        assertThat(c.queued()).extracting(RunView::scheduledAt).containsExactly(t0);
        assertThat(c.skipped()).extracting(RunView::scheduledAt).containsExactly(t0.plusSeconds(1), t0.plusSeconds(2));
        assertThat(value("SELECT string_agg(state, ',' ORDER BY scheduled_at) FROM run")).isEqualTo("QUEUED,SKIPPED,SKIPPED");
    }

    @Test
    void allowLetsRunsOverlap() {
        JobDefinition j = job("allow", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        recordAhead(epoch, j, t0, t0.plusSeconds(1));
        assertThat(claimAll(epoch).queued()).hasSize(2);
        assertThat(count("SELECT count(*) FROM run WHERE state = 'QUEUED'")).isEqualTo(2);
    }

    @Test
    void replaceCancelsTheInFlightRunAndDispatchesTheNewOne() {
        JobDefinition j = job("replace", ConcurrencyPolicy.REPLACE);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);

        recordAhead(epoch, j, t0);
        RunView first = claimAll(epoch).queued().get(0);
        apply(epoch, result(first, "w1", ResultStatus.STARTED, null));

        recordAhead(epoch, j, t0.plusSeconds(1));
        Claim second = claimAll(epoch);
        assertThat(second.queued()).singleElement().satisfies(q -> assertThat(q.state()).isEqualTo(RunState.QUEUED));
        assertThat(second.cancelled()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(first.id());
            assertThat(c.state()).isEqualTo(RunState.CANCELLED);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.workerId()).isEqualTo("w1");
            assertThat(c.finishedAt()).isNotNull();
            assertThat(c.error()).contains("REPLACE");
        });
        assertThat(value("SELECT outcome FROM run_attempt WHERE run_id = ? AND attempt = 1", first.id())).isEqualTo("CANCELLED");

        Runs.ResultOutcome late = apply(epoch, result(first, "w1", ResultStatus.SUCCEEDED, null));
        assertThat(late.kind()).isEqualTo(Runs.ResultKind.STALE);
        assertThat(run(first.id()).state()).isEqualTo(RunState.CANCELLED);

        recordAhead(epoch, j, t0.plusSeconds(2));
        assertThat(claimAll(epoch).cancelled()).extracting(RunView::id).containsExactly(second.queued().get(0).id());
        assertThat(count("SELECT count(*) FROM run WHERE state IN ('QUEUED', 'RUNNING')")).isEqualTo(1);
    }

    @Test
    void anOlderFireClaimedLateDoesNotOverlapANewerRun() {
        Instant t0 = runs.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        long epoch = lease.acquire("m1");
        for (ConcurrencyPolicy policy : List.of(ConcurrencyPolicy.FORBID, ConcurrencyPolicy.REPLACE)) {
            JobDefinition j = job("late-" + policy, policy);
            recordAhead(epoch, j, t0.plusSeconds(1));
            RunView newer = claimAll(epoch).queued().get(0);

            recordAhead(epoch, j, t0);
            Claim older = claimAll(epoch);

            assertThat(older.skipped()).as(policy.name()).singleElement().satisfies(s ->
                    assertThat(s.error()).contains(policy.name()).contains("run " + newer.id()));
            assertThat(older.cancelled()).as(policy.name()).isEmpty();
            assertThat(run(newer.id()).state()).as(policy.name()).isEqualTo(RunState.QUEUED);
        }
        assertThat(count("SELECT count(*) FROM run WHERE state = 'QUEUED'")).isEqualTo(2);
    }

    @Test
    void replaceWithNothingInFlightCancelsNothing() {
        JobDefinition j = job("replace-idle", ConcurrencyPolicy.REPLACE);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        recordAhead(epoch, j, t0);
        RunView first = claimAll(epoch).queued().get(0);
        apply(epoch, result(first, "w1", ResultStatus.SUCCEEDED, null));

        recordAhead(epoch, j, t0.plusSeconds(1));
        Claim second = claimAll(epoch);
        assertThat(second.queued()).hasSize(1);
        assertThat(second.cancelled()).isEmpty();
        assertThat(run(first.id()).state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void twoThreadsClaimingAReplaceJobNeverLetTwoRunsOverlap() throws Exception {
        JobDefinition j = job("race-replace", ConcurrencyPolicy.REPLACE);
        long epoch = lease.acquire("m1");
        Instant base = runs.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        int n = 300;
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(base.plusSeconds(i));
        }
        recordAhead(epoch, j, times.toArray(Instant[]::new));

        List<List<Claim>> perThread = race(2, () -> {
            List<Claim> mine = new ArrayList<>();
            Claim c;
            do {
                c = runs.claim(epoch, 3);
                mine.add(c);
            } while (count("SELECT count(*) FROM run WHERE state = 'SCHEDULED'") > 0);
            return mine;
        });

        List<Claim> all = perThread.stream().flatMap(List::stream).toList();
        long cancelledReported = all.stream().mapToLong(c -> c.cancelled().size()).sum();
        long queuedReported = all.stream().mapToLong(c -> c.queued().size()).sum();
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run WHERE state IN ('SCHEDULED', 'QUEUED', 'RUNNING')")).isEqualTo(1);
        assertThat(queuedReported).as("each dispatched once, and all but the last cancelled").isGreaterThanOrEqualTo(1);
        assertThat(count("SELECT count(*) FROM run WHERE state = 'CANCELLED' AND attempt <> 1")).isZero();
        assertThat(count("SELECT count(*) FROM run WHERE state = 'CANCELLED'") + count(
                "SELECT count(*) FROM run WHERE state = 'SKIPPED'")).isEqualTo(n - 1);
        assertThat(count("SELECT count(*) FROM run WHERE state = 'CANCELLED'")).isEqualTo(cancelledReported);
        assertThat(count("SELECT count(*) FROM run WHERE state NOT IN ('QUEUED', 'CANCELLED', 'SKIPPED')")).isZero();
    }

    private static <T> List<T> race(int threads, java.util.concurrent.Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
