package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job's fires on the leader's path: recorded ahead by {@link Schedules#planDue}, dispatched by {@link Runs#claim}
 * at their due time by the database clock. The concurrency policies at dispatch: {@link ClaimPoliciesTest}.
 */
class FireDispatchTest extends DatabaseTest {

    @Test
    void aDueFireIsDispatchedAsAttemptOne() {
        JobDefinition j = job(JobSpec.of("q", "0 * * * * ?", "report").withPayload("{\"n\": 1}").withTimeout(Duration.ofSeconds(3)));
        long epoch = lease.acquire("m1");
        Instant at = runs.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        recordAhead(epoch, j, at);

        List<RunView> claimed = runs.claimDue(epoch, 10);

        assertThat(claimed).hasSize(1);
        RunView run = claimed.get(0);
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
        assertThat(runs.claimDue(epoch, 10)).as("dispatched once").isEmpty();
    }

    @Test
    void twoThreadsClaimingTwoThousandFiresDispatchEachOnce() throws Exception {
        JobDefinition j = job("race", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        int n = 2_000;
        recordADayAgoEverySecond(epoch, j, n);

        // Small claims: the two threads keep reaching for the same oldest runs.
        List<List<List<RunView>>> perThread = race(2, () -> claimUntilNoneScheduled(() -> runs.claimDue(epoch, 10)));

        List<RunView> all = perThread.stream().flatMap(List::stream).flatMap(List::stream).toList();
        assertThat(all).hasSize(n);
        assertThat(all.stream().map(RunView::id).distinct().count()).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run WHERE job_id = ?", j.id())).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run_attempt")).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM run WHERE attempt <> 1 OR state <> 'QUEUED'")).isZero();
    }

    @Test
    void aFireLaterThanTheDatabaseClockIsNotDispatchedEarly() {
        JobDefinition j = job("early", ConcurrencyPolicy.ALLOW);
        long epoch = lease.acquire("m1");
        Instant at = runs.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        recordAhead(epoch, j, at);
        RunView ahead = fireAt(j, at);

        assertThat(ahead.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(ahead.attempt()).isZero();
        assertThat(ahead.dispatchedAt()).isNull();
        assertThat(ahead.epoch()).isNull();
        assertThat(count("SELECT count(*) FROM run_attempt")).isZero();
        assertThat(runs.nextDueAt()).contains(at);

        assertThat(runs.claimDue(epoch, 10)).as("not due yet by the database clock").isEmpty();
        assertThat(run(ahead.id()).state()).isEqualTo(RunState.SCHEDULED);

        List<RunView> claimed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            claimed.addAll(runs.claimDue(epoch, 10));
            return !claimed.isEmpty();
        });
        assertThat(claimed).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(ahead.id());
            assertThat(c.state()).isEqualTo(RunState.QUEUED);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.epoch()).isEqualTo(epoch);
            assertThat(c.dispatchedAt()).as("never before its time by the database clock").isAfterOrEqualTo(at);
        });
        assertThat(count("SELECT count(*) FROM run_attempt WHERE run_id = ? AND attempt = 1", ahead.id())).isEqualTo(1);
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
    void lastFireTimeIsTheLatestRecordedFire() {
        JobDefinition j = job("last", ConcurrencyPolicy.FORBID);
        long epoch = lease.acquire("m1");
        Instant t0 = runs.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        assertThat(runs.lastFireTime(j.id())).isEmpty();
        recordAhead(epoch, j, t0, t0.plusSeconds(2), t0.plusSeconds(1));
        assertThat(runs.lastFireTime(j.id())).as("fires recorded ahead count as fired").contains(t0.plusSeconds(2));
        runs.claimDue(epoch, 10);
        assertThat(runs.lastFireTime(j.id())).as("skipped fires count as fired").contains(t0.plusSeconds(2));
        assertThat(value("SELECT string_agg(state, ',' ORDER BY scheduled_at) FROM run")).isEqualTo("QUEUED,SKIPPED,SKIPPED");
    }
}
