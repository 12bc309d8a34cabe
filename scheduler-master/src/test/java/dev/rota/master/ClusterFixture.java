package dev.rota.master;

import dev.rota.db.DatabaseConfig;
import dev.rota.db.RotaDatabase;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import dev.rota.worker.WorkerEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole cluster in the test JVM: an in-process ZooKeeper, masters and workers against the real
 * PostgreSQL and RabbitMQ, all in a fresh namespace (schema and queue names) that is removed on close.
 * Registered as a field extension ({@code @RegisterExtension}), it is closed after each test.
 */
final class ClusterFixture implements AutoCloseable, AfterEachCallback {
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);

    final InProcessZooKeeper zk = new InProcessZooKeeper();
    final String namespace = TestServers.uniqueName("e2e");
    final List<Master> masters = new ArrayList<>();
    final List<Worker> workers = new ArrayList<>();
    final ConcurrentLinkedQueue<String> masterEvents = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> workerEvents = new ConcurrentLinkedQueue<>();
    final List<String> taskTypes = new ArrayList<>(List.of("noop", "sleep", "log", "fail"));

    RegistryConfig registryConfig() {
        return new RegistryConfig(zk.connectString(), namespace, SESSION_TIMEOUT, Duration.ofSeconds(10));
    }

    DatabaseConfig databaseConfig() {
        TestServers.Postgres pg = TestServers.postgres();
        return RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(namespace)
                .maxPoolSize(4).config();
    }

    MasterBuilder masterBuilder(String id) {
        return Master.builder()
                .masterId(id)
                .registry(registryConfig())
                .database(databaseConfig())
                .amqpUri(TestServers.amqpUri())
                .timings(MasterTimings.fast())
                .listener((event, detail) -> masterEvents.add(id + " " + event + " " + detail));
    }

    Master startMaster(String id) {
        Master m = masterBuilder(id).build();
        masters.add(m);
        m.start();
        return m;
    }

    Worker startWorker(String id) throws InterruptedException {
        return startWorker(new WorkerBuilder().workerId(id));
    }

    /** Starts a worker that knows nothing but the ZooKeeper address and the namespace. */
    Worker startWorker(WorkerBuilder builder) throws InterruptedException {
        Worker w = builder.zkConnect(zk.connectString()).namespace(namespace)
                .zkSessionTimeout(SESSION_TIMEOUT)
                .shutdownGrace(Duration.ofSeconds(5))
                .listener((event, task, detail) -> workerEvents.add(event + " " + (task == null ? "-" : task.runId())
                        + " " + detail))
                .build();
        workers.add(w);
        w.start();
        return w;
    }

    long count(WorkerEvent event) {
        return workerEvents.stream().filter(e -> e.startsWith(event.name() + " ")).count();
    }

    long count(MasterEvent event) {
        return masterEvents.stream().filter(e -> e.contains(" " + event.name() + " ")).count();
    }

    /** A JDBC connection whose search path is this namespace's schema, for plain SQL like a team would write. */
    Connection sql() throws SQLException {
        Connection c = TestServers.postgres().connect();
        try (var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
        }
        return c;
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = sql(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String queryString(String sql) throws SQLException {
        try (Connection c = sql(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = sql(); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    Master leader() {
        return masters.stream().filter(Master::isLeader).findFirst().orElse(null);
    }

    long leaderCount() {
        return masters.stream().filter(Master::isLeader).count();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        workers.forEach(Worker::close);
        masters.forEach(Master::close);
        zk.close();
        TestServers.dropSchema(namespace);
        RabbitCleanup.deleteNamespace(namespace, taskTypes);
    }
}
