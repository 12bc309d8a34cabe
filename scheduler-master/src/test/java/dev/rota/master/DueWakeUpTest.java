package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's dispatcher sleeps until its next due run and is woken by the database's announcement (V15)
 * when a commit makes a run due sooner: with plain SQL too, and with a safety poll far longer than the test.
 */
class DueWakeUpTest {
    /** Longer than any wait below: only an announcement can make the dispatcher look in time. */
    private static final Duration LONG = Duration.ofMinutes(2);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private ClusterFixture cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ClusterFixture();
        Master master = cluster.masterBuilder("m1")
                .timings(MasterTimings.fast().withDuePollInterval(LONG).withRepublishAfter(LONG)).build();
        cluster.masters.add(master);
        master.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> master.isLeader() && master.epoch() > 0);
        // A run due much later, and one due now: once that one is dispatched, the dispatcher has looked and
        // sleeps towards the later one, at most until its poll, two minutes away.
        cluster.execute("INSERT INTO run (task_type, scheduled_at) VALUES ('noop', now() + interval '1 hour')");
        cluster.execute("INSERT INTO run (task_type) VALUES ('noop')");
        await().atMost(PROMPTLY).until(() -> dispatched() == 1);
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    @Test
    void aDueRunInsertedWithPlainSqlIsDispatchedPromptlyWhileTheLeaderWaitsForALaterOne() throws Exception {
        cluster.execute("INSERT INTO run (task_type, scheduled_at) VALUES ('noop', clock_timestamp() + interval '1 second')");
        await().atMost(PROMPTLY).until(() -> dispatched() == 2);
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE dispatched_at < scheduled_at")).as("early").isZero();
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE scheduled_at > now() + interval '30 minutes'"
                + " AND state = 'SCHEDULED'")).as("the later run still waits").isEqualTo(1);
    }

    @Test
    void aWaitingRunMadeDueNowWithPlainSqlIsDispatchedPromptly() throws Exception {
        cluster.execute("UPDATE run SET due_at = now() WHERE state = 'SCHEDULED'");
        await().atMost(PROMPTLY).until(() -> dispatched() == 2);
    }

    private long dispatched() throws Exception {
        return cluster.queryLong("SELECT count(*) FROM run WHERE dispatched_at IS NOT NULL");
    }
}
