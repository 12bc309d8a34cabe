package dev.rota.polyglot;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.messaging.AmqpConnections;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One master (leading) against the real PostgreSQL and RabbitMQ and an in-process ZooKeeper, in a fresh
 * namespace, plus client processes in other languages; all removed on close.
 */
final class PolyglotCluster implements AutoCloseable {
    /** Silence and grace short enough for tests to watch a broker worker being lost. */
    static final MasterTimings TIMINGS = new MasterTimings(Duration.ofMillis(200), Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500),
            Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(300)).withMaxIdleInterval(Duration.ofSeconds(1));
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    final InProcessZooKeeper zk = new InProcessZooKeeper();
    final String namespace = TestServers.uniqueName("poly");
    final Master master;
    final Connection amqp;
    private final List<ClientProcess> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    PolyglotCluster() throws Exception {
        TestServers.Postgres pg = TestServers.postgres();
        master = Master.builder().masterId("m1")
                .registry(new RegistryConfig(zk.connectString(), namespace, Duration.ofSeconds(2), Duration.ofSeconds(10)))
                .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(namespace)
                        .maxPoolSize(6).config())
                .amqpUri(TestServers.amqpUri())
                .timings(TIMINGS)
                .build();
        master.start();
        amqp = AmqpConnections.open(TestServers.amqpUri(), "poly-test");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> master.isLeader() && master.epoch() > 0 && settingsPublished());
    }

    private boolean settingsPublished() {
        try (Channel ch = amqp.createChannel()) {
            return ch.messageCount("rota." + namespace + ".settings") > 0;
        } catch (Exception e) {
            return false;
        }
    }

    RotaDatabase db() {
        return master.database();
    }

    /** Environment for an example client of this namespace. */
    Map<String, String> env(String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("ROTA_AMQP_URI", TestServers.amqpUri(),
                "ROTA_NAMESPACE", namespace));
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    ClientProcess start(String name, Map<String, String> env, String... command) throws Exception {
        ClientProcess p = ClientProcess.start(name, EXAMPLES, env, command);
        processes.add(p);
        return p;
    }

    <T extends AutoCloseable> T closeAtEnd(T c) {
        closeables.add(c);
        return c;
    }

    long queryLong(String sql) throws SQLException {
        try (var c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
            try (var rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    String queryString(String sql) throws SQLException {
        try (var c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
            try (var rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public void close() throws Exception {
        processes.forEach(ClientProcess::close);
        for (AutoCloseable c : closeables) {
            c.close();
        }
        master.close();
        amqp.close();
        zk.close();
        TestServers.dropSchema(namespace);
        RabbitCleanup.deleteNamespace(namespace, List.of("greet", "sleep", "fail", "noop", "log"));
        try (Connection c = AmqpConnections.open(TestServers.amqpUri(), "poly-cleanup"); Channel ch = c.createChannel()) {
            ch.queueDelete("rota." + namespace + ".mqtt-bridge");
        } catch (Exception e) {
            // absent when no bridge ran
        }
    }
}
