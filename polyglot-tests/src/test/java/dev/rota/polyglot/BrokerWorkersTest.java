package dev.rota.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workers that join with the broker alone, played by the test over raw AMQP as a PHP or Python worker
 * would. The leader's silence limit is 3 s here ({@link PolyglotCluster#TIMINGS}).
 */
class BrokerWorkersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private void announce(String id, String type, boolean heartbeatsWhileRunning) throws Exception {
        client.send("workers", "{\"version\":1,\"type\":\"" + type + "\",\"workerId\":\"" + id + "\",\"taskTypes\":[\"greet\"],"
                + "\"capacity\":1,\"workerVersion\":\"t-1\",\"language\":\"php\",\"heartbeatsWhileRunning\":"
                + heartbeatsWhileRunning + ",\"at\":\"" + Instant.now() + "\"}");
    }

    /** Takes the next task message from the greet queue (as the worker) and reports it STARTED. */
    private JsonNode startTask(Channel worker, String workerId) throws Exception {
        GetResponse task = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> worker.basicGet("rota." + cluster.namespace + ".task.greet", false), g -> g != null);
        JsonNode t = JSON.readTree(task.getBody());
        client.send("results", "{\"version\":1,\"runId\":" + t.get("runId") + ",\"attempt\":" + t.get("attempt")
                + ",\"workerId\":\"" + workerId + "\",\"status\":\"STARTED\",\"at\":\"" + Instant.now() + "\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(
                cluster.queryString("SELECT state FROM run WHERE id = " + t.get("runId"))));
        return t;
    }

    @Test
    void aSilentBrokerWorkerIsLostAndItsRunningTaskIsRescheduledWithAnEvent() throws Exception {
        Channel events = cluster.amqp.createChannel();
        String eventsQueue = events.queueDeclare().getQueue();
        events.queueBind(eventsQueue, "rota." + cluster.namespace + ".events", "#");
        announce("py-silent", "ANNOUNCE", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM broker_worker WHERE id = 'py-silent' AND state = 'ALIVE'") == 1);
        // The leader declared the queue of the announced task type: a passive declare succeeds.
        Channel worker = cluster.amqp.createChannel();
        worker.queueDeclarePassive("rota." + cluster.namespace + ".task.greet");

        long runId = client.request("{\"version\":1,\"taskType\":\"greet\",\"maxAttempts\":2}").get("runId").asLong();
        Instant started = Instant.now();
        startTask(worker, "py-silent");

        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM broker_worker WHERE id = 'py-silent' AND state = 'LOST'") == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run_attempt WHERE run_id = " + runId + " AND outcome = 'LOST'") == 1);
        long rescheduledAfter = Duration.between(started, Instant.now()).toMillis();
        // A JVM worker that dies is lost when its ZooKeeper session expires; a broker worker after the same time.
        System.out.printf("a silent broker worker's task was rescheduled %d ms after it started (lost after the"
                + " masters' ZooKeeper session timeout, 2 s here, as a JVM worker; then the lost-worker grace, 0.5 s)%n",
                rescheduledAfter);
        GetResponse rescheduled = await().atMost(Duration.ofSeconds(10))
                .until(() -> events.basicGet(eventsQueue, true), g -> g != null);
        JsonNode e = JSON.readTree(rescheduled.getBody());
        assertThat(e.get("type").asText()).isEqualTo("dev.rota.run.rescheduled");
        assertThat(rescheduled.getEnvelope().getRoutingKey()).isEqualTo("default.greet.SCHEDULED");
        assertThat(e.at("/data/reason").asText()).contains("py-silent");
        assertThat(new Contract().violations("CompletionEvent", e)).isEmpty();
        worker.close();
        events.close();
    }

    @Test
    void aWorkerThatCannotHeartbeatWhileRunningIsNotDeclaredSilentMidTask() throws Exception {
        announce("php-quiet", "ANNOUNCE", false);
        Channel worker = cluster.amqp.createChannel();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM broker_worker WHERE id = 'php-quiet'") == 1);
        long runId = client.request("{\"version\":1,\"taskType\":\"greet\"}").get("runId").asLong();
        startTask(worker, "php-quiet");

        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM broker_worker WHERE id = 'php-quiet' AND state = 'SILENT'") == 1);
        // Well past the silence limit (2 s) and several sweeps: still RUNNING on its first attempt.
        Instant until = Instant.now().plusSeconds(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Instant.now().isBefore(until));
        assertThat(cluster.queryString("SELECT state || ' ' || attempt || ' ' || worker_id FROM run WHERE id = " + runId))
                .isEqualTo("RUNNING 1 php-quiet");
        assertThat(cluster.queryLong("SELECT count(*) FROM run_attempt WHERE outcome = 'LOST'")).isZero();

        client.send("results", "{\"version\":1,\"runId\":" + runId + ",\"attempt\":1,\"workerId\":\"php-quiet\","
                + "\"status\":\"SUCCEEDED\",\"at\":\"" + Instant.now() + "\",\"result\":{\"ok\":true}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(
                cluster.queryString("SELECT state FROM run WHERE id = " + runId)));
        announce("php-quiet", "HEARTBEAT", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM broker_worker WHERE id = 'php-quiet' AND state = 'ALIVE'") == 1);
        worker.close();
    }

    @Test
    void aMalformedAnnouncementIsRecordedWithItsReason() throws Exception {
        client.send("workers", "{\"version\":1,\"type\":\"ANNOUNCE\",\"workerId\":\"w\",\"taskTypes\":[\"bad.type\"],\"capacity\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM rejected_message WHERE source = 'WORKER'") == 1);
        assertThat(cluster.queryString("SELECT reason FROM rejected_message")).contains("task type 'bad.type' is invalid");
        assertThat(cluster.queryLong("SELECT count(*) FROM broker_worker")).isZero();
    }
}
