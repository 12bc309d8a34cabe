package dev.rota.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One master (leading), one worker and the API server in the test JVM, against the real PostgreSQL and
 * RabbitMQ, in a fresh namespace; tokens for each role, all teams or team {@code alpha}.
 */
final class ApiFixture implements AutoCloseable {
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    static final List<String> TASK_TYPES = List.of("noop", "sleep", "log", "fail");

    final InProcessZooKeeper zk = new InProcessZooKeeper();
    final String namespace = TestServers.uniqueName("api").toLowerCase();
    final Master master;
    final List<Master> standbys = new java.util.ArrayList<>();
    final Worker worker;
    final Admin admin;
    final ApiServer server;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String adminToken;
    final String operatorToken;
    final String viewerToken;
    final String alphaOperatorToken;
    final String alphaAdminToken;
    final String workerToken;

    ApiFixture() throws Exception {
        TestServers.Postgres pg = TestServers.postgres();
        master = master("m1");
        master.start();
        await().atMost(Duration.ofSeconds(20)).until(master::isLeader);
        worker = new WorkerBuilder().workerId("w1").zkConnect(zk.connectString()).namespace(namespace)
                .zkSessionTimeout(SESSION_TIMEOUT).shutdownGrace(Duration.ofSeconds(5)).build();
        worker.start();
        admin = new AdminBuilder().database(master.database()).registry(master.registry()).build();
        Principal root = Principal.databaseUser("test");
        adminToken = admin.createToken(root, "root", null, Role.ADMIN).secret();
        operatorToken = admin.createToken(root, "ops", null, Role.OPERATOR).secret();
        viewerToken = admin.createToken(root, "viewer", null, Role.VIEWER).secret();
        alphaOperatorToken = admin.createToken(root, "alpha-ops", "alpha", Role.OPERATOR).secret();
        alphaAdminToken = admin.createToken(root, "alpha-admin", "alpha", Role.ADMIN).secret();
        workerToken = admin.createToken(root, "php-worker", null, Role.WORKER).secret();
        server = new ApiServer(ApiServerConfig.of(0).withHost("127.0.0.1"), admin, master.database(),
                master.registry(), Clock.systemUTC());
        server.start();
    }

    Master master(String id) {
        TestServers.Postgres pg = TestServers.postgres();
        return Master.builder().masterId(id)
                .registry(new RegistryConfig(zk.connectString(), namespace, SESSION_TIMEOUT, Duration.ofSeconds(10)))
                .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password())
                        .schema(namespace).maxPoolSize(8).config())
                .amqpUri(TestServers.amqpUri()).timings(MasterTimings.fast()).build();
    }

    Master startStandby(String id) {
        Master m = master(id);
        standbys.add(m);
        m.start();
        return m;
    }

    /** A response: status, headers, and the body as JSON (null when empty). */
    record Reply(int status, Map<String, List<String>> headers, JsonNode body, String text) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Reply call(String method, String path, String token, String body, String... headers) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode node = r.body().isEmpty() ? null : json.readTree(r.body());
        return new Reply(r.statusCode(), r.headers().map(), node, r.body());
    }

    Reply get(String path, String token) throws IOException, InterruptedException {
        return call("GET", path, token, null);
    }

    Reply post(String path, String token, String body, String... headers) throws IOException, InterruptedException {
        return call("POST", path, token, body, headers);
    }

    long count(String sql) throws SQLException {
        try (Connection c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
            try (var rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void sql(String sql) throws SQLException {
        try (Connection c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
            st.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        admin.close();
        worker.close();
        standbys.forEach(Master::close);
        master.close();
        zk.close();
        TestServers.dropSchema(namespace);
        RabbitCleanup.deleteNamespace(namespace, TASK_TYPES);
    }
}
