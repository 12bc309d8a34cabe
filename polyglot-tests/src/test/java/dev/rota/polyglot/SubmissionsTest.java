package dev.rota.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.db.JobSpec;
import dev.rota.db.TaskSubmission;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Submissions over the broker against a real leader, PostgreSQL and RabbitMQ. */
class SubmissionsTest {
    private PolyglotCluster cluster;
    private BrokerClient client;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new PolyglotCluster();
        client = new BrokerClient(cluster.amqp, cluster.namespace);
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        cluster.close();
    }

    @Test
    void aSubmissionIsPersistedWithItsPoliciesAndAnsweredWithItsRunIdOnceCommitted() throws Exception {
        JsonNode reply = client.request("{\"version\":1,\"taskType\":\"greet\",\"payload\":{\"name\":\"x\"},\"delay\":\"PT1H\","
                + "\"idempotencyKey\":\"k-1\",\"maxAttempts\":4,\"retryInitialDelay\":\"PT2S\",\"timeout\":\"PT45S\"}");
        assertThat(reply.get("status").asText()).isEqualTo("ACCEPTED");
        long runId = reply.get("runId").asLong();
        // The reply is sent after the commit: the row is there when the producer hears back.
        assertThat(cluster.queryString("SELECT state || ' ' || max_attempts || ' ' || retry_initial_ms || ' ' || timeout_ms"
                + " || ' ' || idempotency_key || ' ' || (payload->>'name') FROM run WHERE id = " + runId))
                .isEqualTo("SCHEDULED 4 2000 45000 k-1 x");
        assertThat(cluster.queryLong("SELECT extract(epoch FROM due_at - now())::bigint FROM run WHERE id = " + runId))
                .isBetween(3500L, 3600L);

        JsonNode again = client.request("{\"version\":1,\"taskType\":\"greet\",\"idempotencyKey\":\"k-1\"}");
        assertThat(again.get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(again.get("runId").asLong()).isEqualTo(runId);
        assertThat(cluster.queryLong("SELECT count(*) FROM run")).isOne();
    }

    @Test
    void aRedeliveredSubmissionWithoutKeyIsRecordedOnceThroughItsMessageId() throws Exception {
        client.submit("{\"version\":1,\"taskType\":\"greet\"}", "msg-7");
        client.submit("{\"version\":1,\"taskType\":\"greet\"}", "msg-7");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong("SELECT count(*) FROM run") >= 1
                && client.channel().messageCount(client.replyQueue()) == 2);
        assertThat(cluster.queryLong("SELECT count(*) FROM run")).isOne();
        assertThat(cluster.queryString("SELECT idempotency_key FROM run")).isEqualTo("amqp-message-id:msg-7");
    }

    @Test
    void aSubmissionTriggersAJobByNameWithTheJobsPolicies() throws Exception {
        cluster.db().jobs().create(JobSpec.of("nightly", "0 0 3 * * ?", "sleep").withRetry(
                dev.rota.model.RetryPolicy.maxAttempts(3)));
        JsonNode reply = client.request("{\"version\":1,\"job\":\"nightly\",\"delay\":\"PT1H\"}");
        assertThat(reply.get("status").asText()).as(reply.toString()).isEqualTo("ACCEPTED");
        assertThat(cluster.queryString("SELECT job_name || ' ' || task_type || ' ' || max_attempts FROM run WHERE id = "
                + reply.get("runId").asLong())).isEqualTo("nightly sleep 3");

        JsonNode unknown = client.request("{\"version\":1,\"job\":\"no-such-job\"}");
        assertThat(unknown.get("status").asText()).isEqualTo("REJECTED");
        assertThat(unknown.get("reason").asText()).isEqualTo("no job named 'no-such-job' in team 'default'");
    }

    @Test
    void malformedSubmissionsAreRejectedWithTheirReasonAndRecorded() throws Exception {
        String[][] cases = {
            {"", "empty"},
            {"{\"version\":1,\"taskType\":\"gre", "not a valid SubmissionMessage"},
            {"{\"version\":2,\"taskType\":\"greet\"}", "unsupported version 2"},
            {"{\"version\":1,\"taskType\":\"bad.type\"}", "taskType 'bad.type' is invalid"},
            {"{\"version\":1}", "give exactly one of taskType and job"},
            {"{\"version\":1,\"taskType\":\"greet\",\"maxAttempts\":1000}", "maxAttempts must be 1 to 100, was 1000"},
            {"{\"version\":1,\"taskType\":\"greet\",\"runAt\":\"2030-01-01T00:00:00Z\",\"delay\":\"PT1S\"}",
                "give at most one of runAt and delay"},
            {"{\"version\":1,\"taskType\":\"greet\",\"payload\":\"" + "x".repeat(300_000) + "\"}",
                "payload must be a JSON object or array"},
            {"{\"version\":1,\"taskType\":\"greet\",\"payload\":{\"big\":\"" + "x".repeat(300_000) + "\"}}",
                "over the limit of 262144 bytes"},
        };
        Contract contract = new Contract();
        for (String[] c : cases) {
            JsonNode reply = client.request(c[0]);
            assertThat(reply.get("status").asText()).as(c[1]).isEqualTo("REJECTED");
            assertThat(reply.get("reason").asText()).as(c[1]).contains(c[1]);
            assertThat(contract.violations("SubmissionReply", reply)).isEmpty();
        }
        assertThat(cluster.queryLong("SELECT count(*) FROM rejected_message WHERE source = 'SUBMISSION'"))
                .isEqualTo(cases.length);
        assertThat(cluster.queryString("SELECT reason FROM rejected_message WHERE body_bytes = 0")).contains("empty");
        assertThat(cluster.queryLong("SELECT count(*) FROM run")).isZero();
        assertThat(cluster.queryLong("SELECT max(length(body)) FROM rejected_message")).isLessThanOrEqualTo(4096);
    }

    @Test
    void brokerSubmissionsKeepUpWithOneCallPerTaskOfTheJavaApi() throws Exception {
        int n = 300;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            cluster.db().runs().submit(TaskSubmission.of("greet", "{}", Instant.now().plusSeconds(3600))
                    .withIdempotencyKey("java-" + i));
        }
        double javaRate = n / ((System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.channel().basicPublish("rota." + cluster.namespace + ".submit", "", null,
                    ("{\"version\":1,\"taskType\":\"greet\",\"delay\":\"PT1H\",\"idempotencyKey\":\"amqp-" + i + "\"}")
                            .getBytes());
        }
        client.channel().waitForConfirmsOrDie(10_000);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE idempotency_key LIKE 'amqp-%'") == n);
        double brokerRate = n / ((System.nanoTime() - t1) / 1e9);
        System.out.printf("submissions per second: over the broker %.0f (batched by the leader), Runs.submit one call"
                + " each %.0f (%d tasks)%n", brokerRate, javaRate, n);
        assertThat(brokerRate).as("broker submissions per second vs Java one call each (%.0f)", javaRate)
                .isGreaterThanOrEqualTo(javaRate * 0.8);
    }
}
