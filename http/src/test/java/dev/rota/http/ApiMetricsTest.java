package dev.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterListener;
import dev.rota.master.MasterTimings;
import dev.rota.metrics.MasterMetrics;
import dev.rota.metrics.MetricsConfig;
import dev.rota.metrics.MetricsServer;
import dev.rota.metrics.Scrapes;
import dev.rota.metrics.WorkerMetrics;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import dev.rota.worker.WorkerListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code /metrics} and {@code /health/*} of a master (on its API server) and of a worker (on its own small
 * port), scraped over HTTP while a real cluster runs: PostgreSQL, RabbitMQ, an in-process ZooKeeper.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiMetricsTest {
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    static final int CAPACITY = 3;

    final InProcessZooKeeper zk = new InProcessZooKeeper();
    final String namespace = TestServers.uniqueName("metrics").toLowerCase();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    MasterMetrics masterMetrics;
    WorkerMetrics workerMetrics;
    Master master;
    Worker worker;
    MetricsServer workerEndpoint;
    Admin admin;
    ApiServer server;
    String viewerToken;
    String adminToken;

    @BeforeAll
    void start() throws Exception {
        TestServers.Postgres pg = TestServers.postgres();
        masterMetrics = new MasterMetrics(MetricsConfig.DEFAULTS.withGaugeRefreshInterval(Duration.ofMillis(200)),
                MasterListener.NONE);
        master = Master.builder().masterId("m1")
                .registry(new RegistryConfig(zk.connectString(), namespace, SESSION_TIMEOUT, Duration.ofSeconds(10)))
                .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password())
                        .schema(namespace).maxPoolSize(8).config())
                .amqpUri(TestServers.amqpUri()).timings(MasterTimings.fast()).listener(masterMetrics).build();
        master.start();
        masterMetrics.start(master);
        await().atMost(Duration.ofSeconds(20)).until(master::isLeader);
        workerMetrics = new WorkerMetrics(MetricsConfig.DEFAULTS, WorkerListener.NONE);
        worker = new WorkerBuilder().workerId("w1").zkConnect(zk.connectString()).namespace(namespace)
                .zkSessionTimeout(SESSION_TIMEOUT).capacity(CAPACITY).shutdownGrace(Duration.ofSeconds(5))
                .listener(workerMetrics).build();
        workerMetrics.bind(worker);
        workerEndpoint = MetricsServer.start(workerMetrics, "127.0.0.1", 0);
        worker.start();
        admin = new AdminBuilder().database(master.database()).registry(master.registry()).build();
        Principal root = Principal.databaseUser("test");
        viewerToken = admin.createToken(root, "prometheus", "alpha", Role.VIEWER).secret();
        adminToken = admin.createToken(root, "root", null, Role.ADMIN).secret();
        server = new ApiServer(ApiServerConfig.of(0).withHost("127.0.0.1"), admin, master.database(),
                master.registry(), Clock.systemUTC(), masterMetrics);
        server.start();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        admin.close();
        workerEndpoint.close();
        worker.close();
        masterMetrics.close();
        master.close();
        zk.close();
        TestServers.dropSchema(namespace);
        RabbitCleanup.deleteNamespace(namespace, List.of("noop", "sleep", "log", "fail"));
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String masterScrape() throws Exception {
        HttpResponse<String> r = get(server.url() + "/metrics", viewerToken);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    private String workerScrape() throws Exception {
        HttpResponse<String> r = get("http://127.0.0.1:" + workerEndpoint.port() + "/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double value(String scrape, String name, String... labels) {
        return Scrapes.value(scrape, name, labels).orElse(-1);
    }

    @Test
    @Order(1)
    void aFireIsCountedWithItsOutcomeAndItsLateness() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"team\":\"alpha\",\"name\":\"every-second\","
                        + "\"cron\":\"* * * * * ?\",\"taskType\":\"noop\",\"enabled\":true,\"timeZone\":\"UTC\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String scrape = masterScrape();
            assertThat(value(scrape, "rota_fires_total", "job", "every-second", "outcome", "SUCCEEDED",
                    "task_type", "noop", "team", "alpha")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "rota_fire_lateness_seconds_count", "task_type", "noop", "team", "alpha"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "rota_fire_lateness_seconds_bucket", "task_type", "noop", "team", "alpha",
                    "le", "+Inf")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "rota_dispatch_batch_size_count")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "rota_result_batch_seconds_count")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "rota_leader")).isEqualTo(1);
            assertThat(value(scrape, "rota_leader_epoch")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "rota_workers_alive")).isEqualTo(1);
            assertThat(value(scrape, "rota_workers_capacity")).isEqualTo(CAPACITY);
            assertThat(value(scrape, "rota_runs", "state", "RUNNING")).isGreaterThanOrEqualTo(0);
            assertThat(value(scrape, "rota_outbox_pending")).isGreaterThanOrEqualTo(0);
            assertThat(value(scrape, "rota_task_queue_depth", "task_type", "noop")).isGreaterThanOrEqualTo(0);
        });
        String scrape = masterScrape();
        assertThat(scrape).doesNotContainPattern("run_?id");
    }

    @Test
    @Order(2)
    void aWorkerShowsItsHandledTasksItsCapacityAndWhatRunsNow() throws Exception {
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"team\":\"alpha\",\"taskType\":\"sleep\","
                        + "\"payload\":{\"millis\":3000}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String scrape = workerScrape();
            assertThat(value(scrape, "rota_worker_in_flight")).isGreaterThanOrEqualTo(1);
            assertThat(value(scrape, "rota_worker_capacity")).isEqualTo(CAPACITY);
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String scrape = workerScrape();
            assertThat(value(scrape, "rota_worker_tasks_total", "outcome", "SUCCEEDED", "task_type", "sleep"))
                    .isEqualTo(1);
            assertThat(value(scrape, "rota_worker_tasks_total", "outcome", "SUCCEEDED", "task_type", "noop"))
                    .isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    @Order(3)
    void metricsNeedAnyValidTokenWhileHealthNeedsNone() throws Exception {
        HttpResponse<String> anonymous = get(server.url() + "/metrics", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("rota_");
        assertThat(get(server.url() + "/metrics", "not-a-token").statusCode()).isEqualTo(401);
        assertThat(get(server.url() + "/metrics", viewerToken).statusCode()).isEqualTo(200);

        HttpResponse<String> ready = get(server.url() + "/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"zookeeper\":\"UP\",\"postgresql\":\"UP\","
                + "\"rabbitmq\":\"UP\"}}");
        assertThat(get(server.url() + "/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void readinessTurnsFalseWithinASecondOfLosingZooKeeperAndBackAfterwards() throws Exception {
        String masterReady = server.url() + "/health/ready";
        String workerReady = "http://127.0.0.1:" + workerEndpoint.port() + "/health/ready";
        assertThat(get(masterReady, null).statusCode()).isEqualTo(200);
        assertThat(get(workerReady, null).statusCode()).isEqualTo(200);

        zk.stop();
        try {
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                HttpResponse<String> m = get(masterReady, null);
                assertThat(m.statusCode()).isEqualTo(503);
                assertThat(m.body()).contains("\"zookeeper\":\"DOWN\"").contains("\"postgresql\":\"UP\"");
                HttpResponse<String> w = get(workerReady, null);
                assertThat(w.statusCode()).isEqualTo(503);
                assertThat(w.body()).contains("\"zookeeper\":\"DOWN\"").contains("\"rabbitmq\":\"UP\"");
            });
            assertThat(get(server.url() + "/health/live", null).statusCode()).isEqualTo(200);
        } finally {
            zk.restart();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(get(masterReady, null).statusCode()).isEqualTo(200);
            assertThat(get(workerReady, null).statusCode()).isEqualTo(200);
        });
    }
}
