package dev.rota.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.db.RotaDatabase;
import dev.rota.http.ApiServer;
import dev.rota.http.ApiServerConfig;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real cluster for the browser: an in-process ZooKeeper, two masters and a worker on the real
 * PostgreSQL and RabbitMQ in a fresh namespace, and the HTTP API (which serves the dashboard at /) on
 * the first master. Tokens are made through the admin layer, as {@code rota tokens create} does.
 */
final class DashboardCluster implements AutoCloseable {
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);

    final InProcessZooKeeper zk = new InProcessZooKeeper();
    final String namespace = TestServers.uniqueName("dash");
    final List<Master> masters = new ArrayList<>();
    final Worker worker;
    final Admin admin;
    final ApiServer api;
    final String adminToken;
    final String viewerToken;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    DashboardCluster() throws InterruptedException {
        masters.add(startMaster("master-1"));
        masters.add(startMaster("master-2"));
        worker = new WorkerBuilder().workerId("worker-1").zkConnect(zk.connectString()).namespace(namespace)
                .zkSessionTimeout(SESSION_TIMEOUT).shutdownGrace(Duration.ofSeconds(2)).build();
        worker.start();
        Master first = masters.get(0);
        RotaDatabase db = first.database();
        admin = new AdminBuilder().database(db).registry(first.registry()).build();
        Principal setup = Principal.databaseUser("dashboard-test");
        adminToken = admin.createToken(setup, "ada-admin", null, Role.ADMIN).secret();
        viewerToken = admin.createToken(setup, "vic-viewer", null, Role.VIEWER).secret();
        api = new ApiServer(new ApiServerConfig(ApiServerConfig.LOOPBACK, 0, false, Duration.ofMillis(100)), admin, db,
                first.registry(), Clock.systemUTC());
        api.start();
    }

    /** A second API server on the first master, started with --insecure-local: no token, loopback only. */
    ApiServer startInsecureLocalApi() {
        Master first = masters.get(0);
        ApiServer local = new ApiServer(new ApiServerConfig(ApiServerConfig.LOOPBACK, 0, true, Duration.ofMillis(100)),
                admin, first.database(), first.registry(), Clock.systemUTC());
        local.start();
        return local;
    }

    private Master startMaster(String id) {
        TestServers.Postgres pg = TestServers.postgres();
        Master m = Master.builder()
                .masterId(id)
                .registry(new RegistryConfig(zk.connectString(), namespace, SESSION_TIMEOUT, Duration.ofSeconds(10)))
                .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(namespace)
                        .maxPoolSize(4).config())
                .amqpUri(TestServers.amqpUri())
                .timings(MasterTimings.fast())
                .build();
        m.start();
        return m;
    }

    String url() {
        return api.url();
    }

    Master leader() {
        return masters.stream().filter(Master::isLeader).findFirst().orElse(null);
    }

    /** Calls the API as the admin token would, outside the browser; returns the parsed body. */
    JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(adminToken, method, path, body);
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? null : json.readTree(r.body());
    }

    HttpResponse<String> send(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/api/v1" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!method.equals("GET")) {
            b.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = sql(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = sql(); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Rows of two longs, e.g. a run id and its finish time in epoch milliseconds. */
    List<long[]> queryPairs(String sql) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (Connection c = sql(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return out;
    }

    private Connection sql() throws SQLException {
        Connection c = TestServers.postgres().connect();
        try (var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        try {
            api.close();
            admin.close();
            worker.close();
            masters.forEach(Master::close);
            zk.close();
        } finally {
            TestServers.dropSchema(namespace);
            RabbitCleanup.deleteNamespace(namespace, List.of("noop", "sleep", "log", "fail", "unserved"));
        }
    }
}
