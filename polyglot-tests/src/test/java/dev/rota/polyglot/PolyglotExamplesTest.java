package dev.rota.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.rota.mqtt.MqttBridge;
import dev.rota.mqtt.MqttBridgeConfig;
import dev.rota.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The examples in examples/ against a real cluster: a run submitted from PHP is executed by the Python
 * worker (which joined with the broker alone), and its completion is seen by the Node events consumer and,
 * through {@code rota mqtt-bridge}, by the PHP MQTT subscriber. Every message the clients sent and received
 * is then validated against docs/asyncapi.yaml.
 */
class PolyglotExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private PolyglotCluster cluster;
    private Path trace;

    @BeforeEach
    void setUp() throws Exception {
        Interpreters.requireAll();
        cluster = new PolyglotCluster();
        trace = Files.createTempFile("rota-trace", ".jsonl");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (trace != null) {
            Files.deleteIfExists(trace);
        }
    }

    @Test
    void aRunSubmittedFromPhpRunsOnThePythonWorkerAndItsCompletionReachesNodeAndMqtt() throws Exception {
        String ns = cluster.namespace;
        Channel spy = cluster.amqp.createChannel();
        String taskSpy = spy.queueDeclare().getQueue();
        spy.queueBind(taskSpy, "rota." + ns + ".tasks", "greet");

        MqttBridge bridge = cluster.closeAtEnd(MqttBridge.of(MqttBridgeConfig.defaults(TestServers.amqpUri(), ns)));
        bridge.start();
        ClientProcess mqtt = cluster.start("php-mqtt", cluster.env(), "php", "php/mqtt-subscriber.php");
        ClientProcess events = cluster.start("node-events", cluster.env(), "node", "node/events.js");
        ClientProcess worker = cluster.start("python-worker",
                cluster.env("ROTA_WORKER_ID", "py-1", "ROTA_TASK_TYPES", "greet,sleep", "ROTA_TRACE_FILE", trace.toString()),
                Interpreters.PYTHON, "python/worker.py");
        await().atMost(WAIT).until(() -> events.err.stream().anyMatch(l -> l.contains("listening"))
                && mqtt.err.stream().anyMatch(l -> l.contains("subscribed")));
        await().atMost(WAIT).until(() -> alive(worker) && cluster.queryLong(
                "SELECT count(*) FROM broker_worker WHERE id = 'py-1' AND state = 'ALIVE' AND language = 'python'") == 1);

        ClientProcess producer = cluster.start("php-producer", cluster.env("ROTA_TRACE_FILE", trace.toString()),
                "php", "php/producer.php", "greet", "{\"name\":\"php\"}", "order-42");
        assertThat(producer.exitCode(WAIT)).as(producer.describe()).isZero();
        JsonNode reply = JSON.readTree(producer.out.get(0));
        assertThat(reply.get("status").asText()).isEqualTo("ACCEPTED");
        long runId = reply.get("runId").asLong();

        await().atMost(WAIT).until(() -> alive(worker) && "SUCCEEDED".equals(
                cluster.queryString("SELECT state FROM run WHERE id = " + runId)));
        assertThat(cluster.queryString("SELECT worker_id FROM run WHERE id = " + runId)).isEqualTo("py-1");
        assertThat(cluster.queryString("SELECT result->>'by' FROM run WHERE id = " + runId)).isEqualTo("python");
        assertThat(cluster.queryString("SELECT log FROM run_attempt WHERE run_id = " + runId))
                .as("the Python worker's log of the attempt").matches("\\S+ greeting php\n");

        JsonNode event = JSON.readTree(await().atMost(WAIT).until(() -> line(events.out, "\"subject\":\"runs/" + runId + "\""),
                Optional::isPresent).get());
        assertThat(event.get("type").asText()).isEqualTo("dev.rota.run.finished");
        assertThat(event.at("/data/state").asText()).isEqualTo("SUCCEEDED");
        assertThat(event.at("/data/result/greeting").asText()).isEqualTo("hello, php");
        assertThat(event.at("/data/idempotencyKey").asText()).isEqualTo("order-42");
        String mqttLine = await().atMost(WAIT).until(() -> line(mqtt.out, "run " + runId + " SUCCEEDED"),
                Optional::isPresent).get();
        assertThat(mqttLine).startsWith("rota/" + ns + "/default/greet/SUCCEEDED run " + runId);

        ClientProcess again = cluster.start("php-producer-2", cluster.env(), "php", "php/producer.php", "greet",
                "{\"name\":\"php\"}", "order-42");
        assertThat(again.exitCode(WAIT)).isZero();
        assertThat(JSON.readTree(again.out.get(0)).get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(JSON.readTree(again.out.get(0)).get("runId").asLong()).isEqualTo(runId);

        Contract contract = new Contract();
        List<String> violations = new ArrayList<>();
        java.util.Set<String> checked = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(trace)) {
            JsonNode t = JSON.readTree(line);
            String schema = switch (t.get("kind").asText()) {
                case "submission" -> "Submission";
                case "reply" -> "SubmissionReply";
                case "announcement" -> "WorkerAnnouncement";
                case "result" -> "ResultMessage";
                default -> throw new AssertionError("unknown trace kind " + line);
            };
            contract.violations(schema, t.get("body")).forEach(v -> violations.add(schema + ": " + v + " in " + line));
            checked.add(schema);
        }
        for (String e : events.out) {
            contract.violations("CompletionEvent", e).forEach(v -> violations.add("CompletionEvent: " + v + " in " + e));
            checked.add("CompletionEvent");
        }
        GetResponse task = spy.basicGet(taskSpy, true);
        assertThat(task).as("a copy of the task message").isNotNull();
        contract.violations("TaskMessage", new String(task.getBody())).forEach(v -> violations.add("TaskMessage: " + v));
        GetResponse settings = spy.basicGet("rota." + ns + ".settings", false);
        contract.violations("BrokerSettings", new String(settings.getBody())).forEach(v -> violations.add("BrokerSettings: " + v));
        spy.basicReject(settings.getEnvelope().getDeliveryTag(), true);
        assertThat(violations).isEmpty();
        assertThat(checked).as("kinds of messages checked against the contract").containsExactly("CompletionEvent",
                "ResultMessage", "Submission", "SubmissionReply", "WorkerAnnouncement");
        spy.close();
    }

    @Test
    void thePythonAndNodeProducersFeedTheNodeAndPhpWorkersAndThePhpConsumerSeesBoth() throws Exception {
        ClientProcess events = cluster.start("php-events", cluster.env(), "php", "php/events.php");
        ClientProcess node = cluster.start("node-worker", cluster.env("ROTA_WORKER_ID", "node-1", "ROTA_TASK_TYPES", "greet",
                "ROTA_TRACE_FILE", trace.toString()), "node", "node/worker.js");
        ClientProcess php = cluster.start("php-worker", cluster.env("ROTA_WORKER_ID", "php-1", "ROTA_TASK_TYPES", "sleep",
                "ROTA_TRACE_FILE", trace.toString()), "php", "php/worker.php");
        await().atMost(WAIT).until(() -> alive(node) && alive(php) && events.err.stream().anyMatch(l -> l.contains("listening"))
                && cluster.queryLong("SELECT count(*) FROM broker_worker WHERE state = 'ALIVE'") == 2);
        assertThat(cluster.queryLong("SELECT count(*) FROM broker_worker WHERE id = 'php-1' AND NOT heartbeats_while_running"))
                .isOne();

        ClientProcess python = cluster.start("python-producer", cluster.env("ROTA_TRACE_FILE", trace.toString()),
                Interpreters.PYTHON, "python/producer.py", "greet", "{\"name\":\"python\"}", "py-order-1");
        ClientProcess nodeProducer = cluster.start("node-producer", cluster.env("ROTA_TRACE_FILE", trace.toString()),
                "node", "node/producer.js", "sleep", "{\"millis\":200}", "node-order-1");
        assertThat(python.exitCode(WAIT)).as(python.describe()).isZero();
        assertThat(nodeProducer.exitCode(WAIT)).as(nodeProducer.describe()).isZero();
        long greetRun = JSON.readTree(python.out.get(0)).get("runId").asLong();
        long sleepRun = JSON.readTree(nodeProducer.out.get(0)).get("runId").asLong();

        await().atMost(WAIT).until(() -> alive(node) && alive(php) && cluster.queryLong(
                "SELECT count(*) FROM run WHERE state = 'SUCCEEDED' AND id IN (" + greetRun + ", " + sleepRun + ")") == 2);
        assertThat(cluster.queryString("SELECT worker_id || ' ' || (result->>'by') FROM run WHERE id = " + greetRun))
                .isEqualTo("node-1 node");
        assertThat(cluster.queryString("SELECT worker_id || ' ' || (result->>'slept') FROM run WHERE id = " + sleepRun))
                .isEqualTo("php-1 200");
        await().atMost(WAIT).until(() -> line(events.out, "SUCCEEDED run " + greetRun + ":").isPresent()
                && line(events.out, "SUCCEEDED run " + sleepRun + ":").isPresent());

        Contract contract = new Contract();
        List<String> violations = new ArrayList<>();
        for (String l : Files.readAllLines(trace)) {
            JsonNode t = JSON.readTree(l);
            String schema = switch (t.get("kind").asText()) {
                case "submission" -> "Submission";
                case "reply" -> "SubmissionReply";
                case "announcement" -> "WorkerAnnouncement";
                default -> "ResultMessage";
            };
            contract.violations(schema, t.get("body")).forEach(v -> violations.add(schema + ": " + v + " in " + l));
        }
        assertThat(violations).isEmpty();
    }

    private static boolean alive(ClientProcess p) {
        if (!p.isAlive()) {
            throw new AssertionError(p.name + " exited: " + p.describe());
        }
        return true;
    }

    private static Optional<String> line(List<String> lines, String containing) {
        return lines.stream().filter(l -> l.contains(containing)).findFirst();
    }
}
