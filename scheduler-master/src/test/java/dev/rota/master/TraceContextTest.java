package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import dev.rota.db.TaskSubmission;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.RunState;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.WorkerBuilder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * W3C trace context: a run submitted within a trace keeps it, its worker's handler sees it (and the AMQP
 * header of its task message carries it), and its CloudEvents carry it on.
 */
class TraceContextTest {
    static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String OTHER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    @Test
    void aTraceGoesFromTheSubmissionToTheHandlerAndIntoTheCompletionEvent() throws Exception {
        Master m = cluster.startMaster("m1");
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > 0);
        Map<Long, String> seen = new ConcurrentHashMap<>();
        cluster.taskTypes.add("traced");
        cluster.startWorker(new WorkerBuilder().workerId("w1").handler("traced", ctx -> {
            seen.put(ctx.runId(), String.valueOf(ctx.traceparent()));
            return null;
        }));
        var topology = m.config().cluster().topology();
        try (EventTap events = EventTap.open(topology.eventsExchange());
                var conn = AmqpConnections.open(TestServers.amqpUri(), "test-trace")) {
            var ch = conn.createChannel();

            long traced = m.database().runs().submit(TaskSubmission.of("traced", "{}", Instant.now())
                    .withTraceparent(TRACE)).id();
            long untraced = m.database().runs().submit(TaskSubmission.of("traced", "{}", Instant.now())).id();
            // Over the broker, as a producer in any language would: the standard header.
            ch.basicPublish(topology.submitExchange(), "", new AMQP.BasicProperties.Builder()
                            .contentType("application/json").headers(Map.of("traceparent", OTHER)).build(),
                    "{\"version\":1,\"taskType\":\"traced\",\"idempotencyKey\":\"trace-over-broker\"}"
                            .getBytes(StandardCharsets.UTF_8));
            // A malformed header is ignored, as W3C asks of a receiver: the submission is kept, without a trace.
            ch.basicPublish(topology.submitExchange(), "", new AMQP.BasicProperties.Builder()
                            .contentType("application/json").headers(Map.of("traceparent", "not-a-trace")).build(),
                    "{\"version\":1,\"taskType\":\"traced\",\"idempotencyKey\":\"bad-trace-over-broker\"}"
                            .getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(15)).until(() -> cluster.queryLong(
                    "SELECT count(*) FROM run WHERE task_type = 'traced' AND state = 'SUCCEEDED'") == 4);
            long overBroker = cluster.queryLong("SELECT id FROM run WHERE idempotency_key = 'trace-over-broker'");
            long badOverBroker = cluster.queryLong("SELECT id FROM run WHERE idempotency_key = 'bad-trace-over-broker'");

            assertThat(seen).containsEntry(traced, TRACE).containsEntry(untraced, "null")
                    .containsEntry(overBroker, OTHER).containsEntry(badOverBroker, "null");
            assertThat(m.database().runs().find(traced).orElseThrow().traceparent()).isEqualTo(TRACE);
            await().atMost(Duration.ofSeconds(5)).until(() -> finished(events, traced) != null
                    && finished(events, untraced) != null && finished(events, overBroker) != null);
            assertThat(finished(events, traced).get("traceparent").asText()).isEqualTo(TRACE);
            assertThat(finished(events, overBroker).get("traceparent").asText()).isEqualTo(OTHER);
            assertThat(finished(events, untraced).get("traceparent").isNull()).isTrue();
            assertThat(m.database().runs().find(traced).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
        }
    }

    @Test
    void plainSqlCannotStoreAMalformedTrace() {
        cluster.startMaster("m1");
        assertThatThrownBy(() -> cluster.execute("INSERT INTO run (team, task_type, payload, scheduled_at, state,"
                + " traceparent) VALUES ('default', 'traced', '{}', now(), 'SCHEDULED', '00-xyz')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("run_traceparent_format");
    }

    private static JsonNode finished(EventTap events, long runId) {
        return events.ofRun(runId, "SUCCEEDED").stream().findFirst().orElse(null);
    }
}
