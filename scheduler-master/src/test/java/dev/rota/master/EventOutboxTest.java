package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.TaskSubmission;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.RunState;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.WorkerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Completion events are durable: each is recorded with the change that ends (or reschedules) its run, the
 * broker's confirm deletes the record, and what stays unconfirmed is published again, also when no leader
 * published it at all (the leader crashed after its commit, or the run was ended by plain SQL).
 */
class EventOutboxTest {
    private ClusterFixture cluster;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        cluster = new ClusterFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    @Test
    void aConfirmedEventLeavesNoRecordAndAnEventNoLeaderSentIsPublishedFromTheRecord() throws Exception {
        Master m = cluster.startMaster("m1");
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > 0);
        cluster.startWorker(new WorkerBuilder().workerId("w1"));
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (var conn = AmqpConnections.open(TestServers.amqpUri(), "test-outbox")) {
            var ch = conn.createChannel();
            String q = ch.queueDeclare().getQueue();
            ch.queueBind(q, m.config().cluster().topology().eventsExchange(), "#");
            ch.basicConsume(q, true, (tag, d) -> events.add(json.readTree(d.getBody())), tag -> { });

            long ran = m.database().runs().submit(TaskSubmission.of("noop", "{}", Instant.now())).id();
            await().atMost(Duration.ofSeconds(10)).until(() -> state(events, ran, "SUCCEEDED") == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox(ran) == 0);

            // Ended without the leader: as if it had crashed between its commit and the publish.
            long later = m.database().runs().submit(TaskSubmission.of("noop", "{}", Instant.now().plusSeconds(3600))).id();
            cluster.execute("UPDATE run SET state = 'CANCELLED', finished_at = now(), error = 'cancelled by SQL'"
                    + " WHERE id = " + later);
            assertThat(outbox(later)).as("recorded by the transaction that ended the run").isEqualTo(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> state(events, later, "CANCELLED") == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox(later) == 0);

            assertThat(state(events, ran, "SUCCEEDED")).as("published once when nothing failed").isEqualTo(1);
            assertThat(m.database().runs().find(later).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
        }
    }

    private long outbox(long runId) throws Exception {
        return cluster.queryLong("SELECT count(*) FROM event_outbox WHERE run_id = " + runId);
    }

    private static long state(List<JsonNode> events, long runId, String state) {
        return events.stream().filter(e -> e.path("data").path("runId").asLong() == runId
                && e.path("data").path("state").asText().equals(state)).count();
    }
}
