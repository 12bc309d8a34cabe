package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leader claims runs up to {@code dispatchAhead} before they are due, so that at the due time only the
 * publish is left, and publishes each at its due time, never before.
 */
class DispatchAheadTest {
    private static final Duration AHEAD = Duration.ofSeconds(3);

    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    @Test
    void aRunClaimedAheadIsPublishedAtItsDueTimeAndNotBefore() throws Exception {
        Master m = cluster.masterBuilder("m1").timings(MasterTimings.fast().withDispatchAhead(AHEAD)).build();
        cluster.masters.add(m);
        m.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > 0);
        try (FakeWorker fake = new FakeWorker(m.config().cluster(), "ahead", "fw")) {
            cluster.execute("INSERT INTO run (task_type, scheduled_at) VALUES ('ahead', clock_timestamp() + interval '2 seconds')");

            await().atMost(Duration.ofSeconds(5)).alias("claimed ahead: QUEUED before its time")
                    .until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'QUEUED'"
                            + " AND scheduled_at > clock_timestamp()") == 1);
            assertThat(fake.received).as("claimed, but not published before its time").isEmpty();

            FakeWorker.Received r = fake.next();
            Instant scheduledAt = r.task().scheduledAt();
            assertThat(r.arrivedAt()).as("arrived at its due time, not before").isAfterOrEqualTo(scheduledAt);
            assertThat(Duration.between(scheduledAt, r.arrivedAt())).as("and promptly").isLessThan(Duration.ofSeconds(1));
            assertThat(cluster.queryLong("SELECT count(*) FROM run_attempt a JOIN run r ON r.id = a.run_id"
                    + " WHERE a.dispatched_at = r.scheduled_at")).as("recorded as dispatched at its due time").isEqualTo(1);
        }
    }

    /**
     * A run an earlier term claimed and never saw confirmed (it crashed holding it, or before the confirm) is
     * published by the next leader at once, not after {@code republishAfter}, here far longer than the test.
     */
    @Test
    void aRunAnEarlierTermClaimedAndNeverSawConfirmedIsPublishedAtOnce() throws Exception {
        MasterTimings slowOutbox = MasterTimings.fast().withRepublishAfter(Duration.ofMinutes(2))
                .withDuePollInterval(Duration.ofMinutes(2));
        Master first = cluster.masterBuilder("m1").timings(slowOutbox).build();
        cluster.masters.add(first);
        first.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.isLeader() && first.epoch() > 0);
        long earlierEpoch = first.epoch();
        first.close();
        cluster.execute("INSERT INTO run (task_type, state, attempt, epoch, published, dispatched_at)"
                + " VALUES ('orphan', 'QUEUED', 1, " + earlierEpoch + ", false, now())");
        cluster.execute("INSERT INTO run_attempt (run_id, attempt, epoch, dispatched_at) SELECT id, 1, "
                + earlierEpoch + ", now() FROM run");
        Master second = cluster.masterBuilder("m2").timings(slowOutbox).build();
        cluster.masters.add(second);
        try (FakeWorker fake = new FakeWorker(second.config().cluster(), "orphan", "fw")) {
            second.start();
            FakeWorker.Received r = fake.next();
            assertThat(r.task().attempt()).isEqualTo(1);
            assertThat(second.epoch()).isGreaterThan(earlierEpoch);
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE published") == 1);
        }
    }
}
