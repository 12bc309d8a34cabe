package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.Runs.FireOutcome;
import dev.rota.db.Runs.FireResult;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordFiresTest extends DatabaseTest {

    private JobDefinition job(String name, ConcurrencyPolicy policy) {
        return job(JobSpec.of(name, "* * * * * ?", "report").withConcurrency(policy));
    }

    @Test
    void aDueFireIsQueuedAsAttemptOne() {
        JobDefinition j = job(JobSpec.of("q", "0 * * * * ?", "report").withPayload("{\"n\": 1}").withTimeout(Duration.ofSeconds(3)));
        long epoch = lease.acquire("m1");
        Instant at = runs.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);

        FireResult r = record(epoch, j, at);

        assertThat(r.outcome()).isEqualTo(FireOutcome.QUEUED);
        assertThat(r.cancelled()).isEmpty();
        RunView run = r.run();
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        assertThat(run.attempt()).isEqualTo(1);
        assertThat(run.failures()).isZero();
        assertThat(run.jobId()).isEqualTo(j.id());
        assertThat(run.jobName()).isEqualTo("q");
        assertThat(run.payload()).isEqualTo("{\"n\": 1}");
        assertThat(run.scheduledAt()).isEqualTo(at);
        assertThat(run.dueAt()).isEqualTo(at);
        assertThat(run.epoch()).isEqualTo(epoch);
        assertThat(run.published()).isFalse();
        assertThat(run.dispatchedAt()).isAfterOrEqualTo(at);
        assertThat(run.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(run(run.id())).isEqualTo(run);
        assertThat(count("SELECT count(*) FROM run_attempt WHERE run_id = ? AND attempt = 1 AND epoch = ? AND outcome IS NULL",
                run.id(), epoch)).isEqualTo(1);
        assertThat(runs.lastFireTime(j.id())).contains(at);
    }

    @Test
    void theSameFireTwiceIsADuplicate() {
        JobDefinition j = job("twice", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        Instant at = runs.now().minusSeconds(5);

        assertThat(record(epoch, j, at).outcome()).isEqualTo(FireOutcome.QUEUED);
        FireResult again = record(epoch, j, at);
        assertThat(again.outcome()).isEqualTo(FireOutcome.DUPLICATE);
        assertThat(again.run()).isNull();

        List<FireResult> batch = runs.recordFires(epoch, List.of(fire(j, at), fire(j, at.plusSeconds(1)), fire(j, at.plusSeconds(1))));
        assertThat(batch).extracting(FireResult::outcome)
                .containsExactly(FireOutcome.DUPLICATE, FireOutcome.QUEUED, FireOutcome.DUPLICATE);
        assertThat(count("SELECT count(*) FROM run WHERE job_id = ?", j.id())).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM run_attempt")).isEqualTo(2);
    }

    @Test
    void twoThreadsRacingOverTwoThousandFiresRecordEachOnce() throws Exception {
        JobDefinition j = job("race", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        Instant base = runs.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        int n = 2_000;
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(base.plusSeconds(i));
        }

        // Small batches in the same order: the two threads keep colliding on the same times.
        int batch = 10;
        List<List<FireResult>> perThread = race(2, () -> {
            List<FireResult> mine = new ArrayList<>();
            for (int i = 0; i < n; i += batch) {
                mine.addAll(runs.recordFires(epoch, times.subList(i, i + batch).stream().map(t -> fire(j, t)).toList()));
            }
            return mine;
        });

        long queued = perThread.stream().flatMap(List::stream).filter(r -> r.outcome() == FireOutcome.QUEUED).count();
        long duplicates = perThread.stream().flatMap(List::stream).filter(r -> r.outcome() == FireOutcome.DUPLICATE).count();
        assertThat(queued).isEqualTo(n);
        assertThat(duplicates).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run WHERE job_id = ?", j.id())).isEqualTo(n);
        assertThat(count("SELECT count(DISTINCT scheduled_at) FROM run WHERE job_id = ?", j.id())).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run_attempt")).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run WHERE attempt <> 1 OR state <> 'QUEUED'")).isZero();
    }

    @Test
    void twoThreadsRacingOverAReplaceJobNeverLetTwoRunsOverlap() throws Exception {
        JobDefinition j = job("race-replace", ConcurrencyPolicy.REPLACE);
        long epoch = lease.acquire("m1");
        Instant base = runs.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        int n = 300;
        java.util.concurrent.atomic.AtomicInteger threadNo = new java.util.concurrent.atomic.AtomicInteger();

        // One thread records the even seconds, the other the odd ones: neighbouring fires race each other.
        List<List<FireResult>> perThread = race(2, () -> {
            int parity = threadNo.getAndIncrement();
            List<FireResult> mine = new ArrayList<>();
            for (int i = parity; i < n; i += 2) {
                mine.add(record(epoch, j, base.plusSeconds(i)));
            }
            return mine;
        });

        List<FireResult> all = perThread.stream().flatMap(List::stream).toList();
        assertThat(all).extracting(FireResult::outcome).doesNotContain(FireOutcome.DUPLICATE, FireOutcome.DEFERRED);
        // With at most one run in flight at any time, a new run replaces at most one.
        assertThat(all).allSatisfy(r -> assertThat(r.cancelled()).hasSizeLessThanOrEqualTo(1));
        long cancelledReported = all.stream().mapToLong(r -> r.cancelled().size()).sum();
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run WHERE state IN ('SCHEDULED', 'QUEUED', 'RUNNING')")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM run WHERE state = 'CANCELLED'")).isEqualTo(cancelledReported);
        assertThat(count("SELECT count(*) FROM run WHERE state NOT IN ('QUEUED', 'CANCELLED', 'SKIPPED')")).isZero();
    }

    /** Runs {@code task} on {@code threads} threads released together; returns each thread's answer. */
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
                out.add(f.get(180, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forbidSkipsWhileThePreviousRunIsQueuedOrRunning() {
        JobDefinition j = job("forbid", ConcurrencyPolicy.FORBID);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60);

        RunView first = record(epoch, j, t0).run();
        FireResult whileQueued = record(epoch, j, t0.plusSeconds(1));
        assertThat(whileQueued.outcome()).isEqualTo(FireOutcome.SKIPPED);
        assertThat(whileQueued.run().state()).isEqualTo(RunState.SKIPPED);
        assertThat(whileQueued.run().finishedAt()).isNotNull();
        assertThat(whileQueued.run().error()).contains("FORBID").contains("run " + first.id()).contains("QUEUED");
        assertThat(whileQueued.run().attempt()).isZero();

        apply(epoch, result(first, "w1", ResultStatus.STARTED, null));
        FireResult whileRunning = record(epoch, j, t0.plusSeconds(2));
        assertThat(whileRunning.outcome()).isEqualTo(FireOutcome.SKIPPED);
        assertThat(whileRunning.run().error()).contains("RUNNING");

        apply(epoch, result(first, "w1", ResultStatus.SUCCEEDED, null));
        FireResult afterwards = record(epoch, j, t0.plusSeconds(3));
        assertThat(afterwards.outcome()).isEqualTo(FireOutcome.QUEUED);

        assertThat(record(epoch, j, t0.plusSeconds(1)).outcome()).as("a skipped fire is still recorded")
                .isEqualTo(FireOutcome.DUPLICATE);
        assertThat(count("SELECT count(*) FROM run WHERE state = 'SKIPPED'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM run_attempt")).as("skipped fires have no attempt").isEqualTo(2);
    }

    @Test
    void allowLetsRunsOverlap() {
        JobDefinition j = job("allow", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60);
        record(epoch, j, t0);
        assertThat(record(epoch, j, t0.plusSeconds(1)).outcome()).isEqualTo(FireOutcome.QUEUED);
        assertThat(count("SELECT count(*) FROM run WHERE state = 'QUEUED'")).isEqualTo(2);
    }

    @Test
    void replaceCancelsTheInFlightRunAndInsertsTheNewOne() {
        JobDefinition j = job("replace", ConcurrencyPolicy.REPLACE);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60);

        RunView first = record(epoch, j, t0).run();
        apply(epoch, result(first, "w1", ResultStatus.STARTED, null));

        FireResult second = record(epoch, j, t0.plusSeconds(1));
        assertThat(second.outcome()).isEqualTo(FireOutcome.QUEUED);
        assertThat(second.run().state()).isEqualTo(RunState.QUEUED);
        assertThat(second.cancelled()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(first.id());
            assertThat(c.state()).isEqualTo(RunState.CANCELLED);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.workerId()).isEqualTo("w1");
            assertThat(c.finishedAt()).isNotNull();
            assertThat(c.error()).contains("REPLACE");
        });
        assertThat(run(first.id()).state()).isEqualTo(RunState.CANCELLED);
        assertThat(value("SELECT outcome FROM run_attempt WHERE run_id = ? AND attempt = 1", first.id())).isEqualTo("CANCELLED");

        // The cancelled attempt's late result changes nothing.
        Runs.ResultOutcome late = apply(epoch, result(first, "w1", ResultStatus.SUCCEEDED, null));
        assertThat(late.kind()).isEqualTo(Runs.ResultKind.STALE);
        assertThat(run(first.id()).state()).isEqualTo(RunState.CANCELLED);

        FireResult third = record(epoch, j, t0.plusSeconds(2));
        assertThat(third.cancelled()).extracting(RunView::id).containsExactly(second.run().id());
        assertThat(count("SELECT count(*) FROM run WHERE state IN ('QUEUED', 'RUNNING')")).isEqualTo(1);
    }

    @Test
    void anOlderFireArrivingLateDoesNotOverlapANewerRun() {
        Instant t0 = runs.now().minusSeconds(60);
        long epoch = lease.acquire("m1");
        for (ConcurrencyPolicy policy : List.of(ConcurrencyPolicy.FORBID, ConcurrencyPolicy.REPLACE)) {
            JobDefinition j = job("late-" + policy, policy);
            RunView newer = record(epoch, j, t0.plusSeconds(1)).run();

            FireResult older = record(epoch, j, t0);

            assertThat(older.outcome()).as(policy.name()).isEqualTo(FireOutcome.SKIPPED);
            assertThat(older.cancelled()).as(policy.name()).isEmpty();
            assertThat(older.run().error()).as(policy.name()).contains(policy.name()).contains("run " + newer.id());
            assertThat(run(newer.id()).state()).as(policy.name()).isEqualTo(RunState.QUEUED);
        }
        assertThat(count("SELECT count(*) FROM run WHERE state = 'QUEUED'")).isEqualTo(2);
    }

    @Test
    void replaceWithNothingInFlightCancelsNothing() {
        JobDefinition j = job("replace-idle", ConcurrencyPolicy.REPLACE);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(60);
        RunView first = record(epoch, j, t0).run();
        apply(epoch, result(first, "w1", ResultStatus.SUCCEEDED, null));

        FireResult second = record(epoch, j, t0.plusSeconds(1));
        assertThat(second.outcome()).isEqualTo(FireOutcome.QUEUED);
        assertThat(second.cancelled()).isEmpty();
        assertThat(run(first.id()).state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void aFireLaterThanTheDatabaseClockIsDeferredAndNotDispatchedEarly() {
        JobDefinition j = job("early", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        Instant at = runs.now().plusMillis(1500);

        FireResult r = record(epoch, j, at);
        assertThat(r.outcome()).isEqualTo(FireOutcome.DEFERRED);
        assertThat(r.run().state()).isEqualTo(RunState.SCHEDULED);
        assertThat(r.run().attempt()).isZero();
        assertThat(r.run().dispatchedAt()).isNull();
        assertThat(r.run().epoch()).isNull();
        assertThat(count("SELECT count(*) FROM run_attempt")).isZero();
        assertThat(runs.nextDueAt()).contains(at);

        assertThat(runs.claimDue(epoch, 10)).as("not due yet by the database clock").isEmpty();
        assertThat(run(r.run().id()).state()).isEqualTo(RunState.SCHEDULED);

        List<RunView> claimed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            claimed.addAll(runs.claimDue(epoch, 10));
            return !claimed.isEmpty();
        });
        assertThat(claimed).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(r.run().id());
            assertThat(c.state()).isEqualTo(RunState.QUEUED);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.epoch()).isEqualTo(epoch);
            assertThat(c.dispatchedAt()).as("never before its time by the database clock").isAfterOrEqualTo(at);
        });
        assertThat(count("SELECT count(*) FROM run_attempt WHERE run_id = ? AND attempt = 1", r.run().id())).isEqualTo(1);
        assertThat(runs.nextDueAt()).isEmpty();
        assertThat(runs.claimDue(epoch, 10)).isEmpty();
    }

    @Test
    void claimDueTakesTheOldestFirstUpToTheLimit() {
        long epoch = lease.acquire("m1");
        Instant now = runs.now();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(runs.submit(dev.rota.db.TaskSubmission.of("report", "{}", now.minusSeconds(10 - i))).id());
        }
        assertThat(runs.claimDue(epoch, 2)).extracting(RunView::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(runs.claimDue(epoch, 10)).extracting(RunView::id).containsExactlyInAnyOrder(ids.get(2), ids.get(3), ids.get(4));
        assertThat(runs.claimDue(epoch, 10)).isEmpty();
    }

    @Test
    void aFireForAJobDeletedMeanwhileDoesNotPoisonTheBatch() {
        JobDefinition gone = job("gone", ConcurrencyPolicy.ALLOW);
        JobDefinition kept = job("kept", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        Instant at = runs.now().minusSeconds(1);
        assertThat(jobs.delete("default", "gone")).isTrue();

        List<FireResult> results = runs.recordFires(epoch, List.of(fire(gone, at), fire(kept, at)));

        assertThat(results).hasSize(2);
        assertThat(results.get(0).run()).isNull();
        assertThat(results.get(0).outcome()).isEqualTo(FireOutcome.JOB_DELETED);
        assertThat(results.get(0).cancelled()).isEmpty();
        assertThat(results.get(1).outcome()).isEqualTo(FireOutcome.QUEUED);
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(1);
    }

    @Test
    void lastFireTimeIsTheLatestRecordedFire() {
        JobDefinition j = job("last", ConcurrencyPolicy.FORBID);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(30);
        assertThat(runs.lastFireTime(j.id())).isEmpty();
        runs.recordFires(epoch, List.of(fire(j, t0), fire(j, t0.plusSeconds(2)), fire(j, t0.plusSeconds(1))));
        assertThat(runs.lastFireTime(j.id())).as("skipped fires count as fired").contains(t0.plusSeconds(2));
        Map<String, Object> states = rows("SELECT string_agg(state, ',' ORDER BY scheduled_at) AS s FROM run").get(0);
        assertThat(states.get("s")).isEqualTo("QUEUED,SKIPPED,SKIPPED");
    }
}
