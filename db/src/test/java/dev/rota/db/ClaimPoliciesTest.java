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
import org.junit.jupiter.api.Test;

/**
 * Concurrency policies applied where a fire is first dispatched: {@link Runs#claim}. Fires are recorded ahead
 * through {@link Schedules#planDue}, as the leader's planner does.
 */
class ClaimPoliciesTest extends DatabaseTest {

    private Claim claimAll(long epoch) {
        return runs.claim(epoch, 100);
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
        int n = 300;
        recordADayAgoEverySecond(epoch, j, n);

        List<List<Claim>> perThread = race(2, () -> claimUntilNoneScheduled(() -> runs.claim(epoch, 3)));

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
}
