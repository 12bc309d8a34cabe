package dev.rota.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.TaskSubmission;
import dev.rota.mqtt.MqttBridge;
import dev.rota.mqtt.MqttBridgeConfig;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MQTT bridge against the real Mosquitto (127.0.0.1:1883), RabbitMQ and a leader with a JVM worker. */
class MqttBridgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolyglotCluster cluster;
    private MqttClient subscriber;
    /** runId -> arrival time (ms since the epoch), and the topic it came on. */
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<Long, String> topics = new ConcurrentHashMap<>();
    /** runId -> ms from the event's time (set by the leader right after the commit) to its arrival. */
    private final Map<Long, Long> afterPublish = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        cluster = new PolyglotCluster();
        subscriber = new MqttClient(MqttBridgeConfig.DEFAULT_MQTT_URI, "rota-test-" + cluster.namespace, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        subscriber.connect(o);
        subscriber.subscribe("rota/" + cluster.namespace + "/#", 1, (topic, message) -> {
            long at = System.currentTimeMillis();
            JsonNode e = JSON.readTree(message.getPayload());
            arrivals.putIfAbsent(e.at("/data/runId").asLong(), at);
            topics.put(e.at("/data/runId").asLong(), topic);
            afterPublish.putIfAbsent(e.at("/data/runId").asLong(), at - Instant.parse(e.get("time").asText()).toEpochMilli());
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        if (subscriber != null && subscriber.isConnected()) {
            subscriber.disconnect();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String percentiles(List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return "p50 " + v.get(v.size() / 2) + " ms, p99 " + v.get((int) Math.ceil(v.size() * 0.99) - 1) + " ms, max "
                + v.get(v.size() - 1) + " ms";
    }

    private List<Long> submitAndFinish(Worker w, int n, String prefix) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(cluster.db().runs().submit(TaskSubmission.of("noop", "{}", Instant.now())
                    .withIdempotencyKey(prefix + i)).id());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE state = 'SUCCEEDED' AND idempotency_key LIKE '" + prefix + "%'") == n);
        return ids;
    }

    @Test
    void everyCompletionReachesMqttAndNoneIsLostWhileTheBridgeIsDown() throws Exception {
        MqttBridge bridge = MqttBridge.of(MqttBridgeConfig.defaults(TestServers.amqpUri(), cluster.namespace));
        bridge.start();
        Worker worker = cluster.closeAtEnd(new WorkerBuilder().workerId("jvm-1").zkConnect(cluster.zk.connectString())
                .namespace(cluster.namespace).zkSessionTimeout(Duration.ofSeconds(2)).shutdownGrace(Duration.ofSeconds(2))
                .taskTypes("noop").build());
        worker.start();

        List<Long> first = submitAndFinish(worker, 100, "a-");
        await().atMost(Duration.ofSeconds(30)).until(() -> arrivals.keySet().containsAll(first));
        assertThat(topics.get(first.get(0))).isEqualTo("rota/" + cluster.namespace + "/default/noop/SUCCEEDED");
        List<Long> latencies = new ArrayList<>();
        try (var c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + cluster.namespace);
            try (ResultSet rs = st.executeQuery("SELECT id, (extract(epoch FROM finished_at) * 1000)::bigint FROM run"
                    + " WHERE idempotency_key LIKE 'a-%'")) {
                while (rs.next()) {
                    latencies.add(arrivals.get(rs.getLong(1)) - rs.getLong(2));
                }
            }
        }
        List<Long> published = new ArrayList<>();
        first.forEach(id -> published.add(afterPublish.get(id)));
        System.out.println("MQTT delivery of " + first.size() + " completions, measured from the event's time (the leader"
                + " builds it just after the commit): " + percentiles(published)
                + "; from the run's finished_at (start of the result batch's transaction): " + percentiles(latencies));

        bridge.close();
        List<Long> whileDown = submitAndFinish(worker, 20, "b-");
        assertThat(arrivals.keySet()).doesNotContainAnyElementsOf(whileDown);
        MqttBridge restarted = cluster.closeAtEnd(MqttBridge.of(MqttBridgeConfig.defaults(TestServers.amqpUri(),
                cluster.namespace)));
        restarted.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> arrivals.keySet().containsAll(whileDown));
        assertThat(restarted.forwarded()).isGreaterThanOrEqualTo(whileDown.size());
    }
}
