package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.ResultStatus;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FencingTest extends DatabaseTest {
    private ExecutorService threads;

    @BeforeEach
    void startThreads() {
        threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "fencing-test"));
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void acquireBumpsTheEpochAndRecordsTheLeader() {
        LeaderLease.Current before = lease.current();
        long first = lease.acquire("master-a");
        long second = lease.acquire("master-b");

        assertThat(first).isEqualTo(before.epoch() + 1);
        assertThat(second).isEqualTo(first + 1);
        assertThat(lease.current()).isEqualTo(new LeaderLease.Current(second, "master-b"));
    }

    @Test
    void theOldEpochIsRejectedAndWritesNothing() {
        JobDefinition j = job("fenced");
        long old = lease.acquire("master-a");
        Instant now = runs.now();
        RunView queued = fire(old, j, now.minusSeconds(30));
        RunView running = fire(old, j, now.minusSeconds(20));
        apply(old, result(running, "w1", ResultStatus.STARTED, null));
        runs.submit(TaskSubmission.of("report", "{}", now.minusSeconds(5)));
        long current = lease.acquire("master-b");
        sql("UPDATE job SET next_fire_at = ?::timestamptz WHERE id = ?", now.minusSeconds(10).toString(), j.id());
        String before = snapshot();

        List<Runnable> fencedOps = List.of(
                () -> db.schedules().planDue(old, Duration.ZERO, 10,
                        (c, n, horizon) -> new Schedules.Decision(List.of(c.nextFireAt()), null, 0)),
                () -> runs.claimDue(old, 10),
                () -> runs.applyResults(old, List.of(result(queued, "w1", ResultStatus.SUCCEEDED, null)), GRACE),
                () -> runs.expireOverdue(old, 10),
                () -> runs.rescheduleLost(old, "w1", null),
                () -> runs.rescheduleLost(old, null, runs.now().plusSeconds(60)));
        int rejections = 0;
        for (Runnable op : fencedOps) {
            try {
                op.run();
            } catch (FencedException e) {
                rejections++;
                assertThat(e.staleEpoch()).isEqualTo(old);
                assertThat(e.currentEpoch()).isEqualTo(current);
                assertThat(e).hasMessage("leader epoch " + old + " is fenced off: the current epoch is " + current);
            }
        }

        assertThat(rejections).isEqualTo(fencedOps.size());
        assertThat(snapshot()).as("a fenced call writes nothing").isEqualTo(before);

        // The new epoch is accepted.
        recordAhead(current, j, now.minusSeconds(10));
        assertThat(runs.claimDue(current, 10)).as("the fire and the submitted task").hasSize(2);
        assertThat(apply(current, result(queued, "w1", ResultStatus.SUCCEEDED, null)).kind())
                .isEqualTo(Runs.ResultKind.APPLIED);
    }

    @Test
    void aFencedBatchIsRolledBackWhole() {
        JobDefinition j = job("batch");
        long old = lease.acquire("a");
        lease.acquire("b");
        Instant t = runs.now().minusSeconds(100);
        List<Instant> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(t.plusSeconds(i));
        }
        assertThatThrownBy(() -> recordAhead(old, j, batch.toArray(Instant[]::new))).isInstanceOf(FencedException.class);
        assertThat(count("SELECT count(*) FROM run")).isZero();
        assertThat(count("SELECT count(*) FROM run_attempt")).isZero();
    }

    @Test
    void anOldEpochCanNeverAgainBecomeCurrent() {
        long a = lease.acquire("a");
        long b = lease.acquire("b");
        long c = lease.acquire("a");
        assertThat(c).isGreaterThan(b).isGreaterThan(a);
        assertThatThrownBy(() -> runs.claimDue(a, 1)).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> runs.claimDue(b, 1)).isInstanceOf(FencedException.class);
        assertThat(runs.claimDue(c, 1)).isEmpty();
    }

    /**
     * A dispatch transaction of the old term holds the epoch FOR SHARE while it waits on a run row; acquire
     * must wait for it, and after acquire returns, the old epoch is rejected.
     */
    @Test
    void acquireWaitsForAnInFlightFencedTransaction() throws Exception {
        JobDefinition j = job(JobSpec.of("replace", "* * * * * ?", "report").withConcurrency(ConcurrencyPolicy.REPLACE));
        long old = lease.acquire("master-a");
        Instant t0 = runs.now().minusSeconds(10).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        RunView inFlight = fire(old, j, t0);
        recordAhead(old, j, t0.plusSeconds(1));

        try (Connection blocker = TestServers.postgres().connect()) {
            blocker.setAutoCommit(false);
            int blockerPid;
            try (Statement st = blocker.createStatement()) {
                st.execute("SET search_path TO " + schema);
                try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    blockerPid = rs.getInt(1);
                }
                // The REPLACE policy locks the in-flight run: holding its lock parks the claim mid-transaction.
                st.executeQuery("SELECT id FROM run WHERE id = " + inFlight.id() + " FOR UPDATE").close();
            }

            CompletableFuture<Runs.Claim> claim = CompletableFuture.supplyAsync(() -> runs.claim(old, 10), threads);
            int claimPid = awaitBlockedBy(List.of(blockerPid));

            CompletableFuture<Long> acquire = CompletableFuture.supplyAsync(() -> lease.acquire("master-b"), threads);
            awaitBlockedBy(List.of(claimPid));
            assertThat(claim).isNotDone();
            assertThat(acquire).isNotDone();

            blocker.rollback();

            Runs.Claim claimed = claim.get(10, TimeUnit.SECONDS);
            long current = acquire.get(10, TimeUnit.SECONDS);
            assertThat(current).isEqualTo(old + 1);
            assertThat(claimed.queued()).singleElement().satisfies(r -> assertThat(r.scheduledAt()).isEqualTo(t0.plusSeconds(1)));
            assertThat(claimed.cancelled()).extracting(RunView::id).containsExactly(inFlight.id());
        }
        long rows = count("SELECT count(*) FROM run");
        assertThatThrownBy(() -> recordAhead(old, j, t0.plusSeconds(2))).isInstanceOf(FencedException.class);
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(rows);
    }

    /**
     * An old leader frozen (SIGSTOP) in the middle of a dispatch transaction holds the lease row FOR SHARE
     * for as long as it is frozen; the new leader must not wait for it.
     */
    @Test
    void aLeaderFrozenInsideATransactionDoesNotBlockTheNextLeader() throws Exception {
        long old = lease.acquire("master-a");
        try (Connection frozen = TestServers.postgres().connect()) {
            frozen.setAutoCommit(false);
            try (Statement st = frozen.createStatement()) {
                st.execute("SET search_path TO " + schema);
                st.executeQuery("SELECT epoch FROM leader_lease WHERE id = 1 FOR SHARE").close();
            }
            long next = CompletableFuture.supplyAsync(() -> lease.acquire("master-b"), threads).get(20, TimeUnit.SECONDS);

            assertThat(next).isEqualTo(old + 1);
            assertThatThrownBy(() -> {
                try (Statement st = frozen.createStatement()) {
                    st.executeQuery("SELECT 1").close();
                }
            }).as("the frozen session was ended").isInstanceOf(java.sql.SQLException.class);
        }
        assertThat(lease.current().leaderId()).isEqualTo("master-b");
    }

    /** Waits until some backend waits for a lock held by one of {@code holders}; returns its pid. */
    private int awaitBlockedBy(List<Integer> holders) {
        int[] found = new int[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (var row : rows("SELECT pid, pg_blocking_pids(pid) AS by FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                Integer[] by = (Integer[]) ((java.sql.Array) row.get("by")).getArray();
                for (Integer b : by) {
                    if (holders.contains(b)) {
                        found[0] = (Integer) row.get("pid");
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }
}
