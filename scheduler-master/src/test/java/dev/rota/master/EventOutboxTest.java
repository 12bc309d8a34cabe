package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.TaskSubmission;
import dev.rota.model.RunState;
import dev.rota.worker.WorkerBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Completion events are durable: each is recorded with the change that ends (or reschedules) its run, the
 * broker's confirm deletes the record, and what stays unconfirmed is published again, also when no leader
 * published it at all (the leader crashed after its commit, or the run was ended by plain SQL).
 */
class EventOutboxTest {
    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    @Test
    void aConfirmedEventLeavesNoRecordAndAnEventNoLeaderSentIsPublishedFromTheRecord() throws Exception {
        Master m = cluster.startMaster("m1");
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > 0);
        cluster.startWorker(new WorkerBuilder().workerId("w1"));
        try (EventTap events = EventTap.open(m.config().cluster().topology().eventsExchange())) {
            long ran = m.database().runs().submit(TaskSubmission.of("noop", "{}", Instant.now())).id();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.ofRun(ran, "SUCCEEDED").size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox(ran) == 0);

            // Ended without the leader: as if it had crashed between its commit and the publish.
            long later = m.database().runs().submit(TaskSubmission.of("noop", "{}", Instant.now().plusSeconds(3600))).id();
            cluster.execute("UPDATE run SET state = 'CANCELLED', finished_at = now(), error = 'cancelled by SQL'"
                    + " WHERE id = " + later);
            assertThat(outbox(later)).as("recorded by the transaction that ended the run").isEqualTo(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> events.ofRun(later, "CANCELLED").size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox(later) == 0);

            assertThat(events.ofRun(ran, "SUCCEEDED").size()).as("published once when nothing failed").isEqualTo(1);
            assertThat(m.database().runs().find(later).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
        }
    }

    private long outbox(long runId) throws Exception {
        return cluster.queryLong("SELECT count(*) FROM event_outbox WHERE run_id = " + runId);
    }
}
