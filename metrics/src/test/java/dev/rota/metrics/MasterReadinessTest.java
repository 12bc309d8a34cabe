package dev.rota.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterListener;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.TcpProxy;
import dev.rota.testsupport.TestServers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A master's readiness against a real PostgreSQL and RabbitMQ reached through TCP proxies: cutting one
 * turns it not-ready within a second, naming that dependency; healing it makes the master ready again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MasterReadinessTest {
    static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

    final InProcessZooKeeper zk = new InProcessZooKeeper();
    final String namespace = TestServers.uniqueName("ready").toLowerCase();
    TcpProxy postgres;
    TcpProxy rabbit;
    MasterMetrics metrics;
    Master master;

    @BeforeAll
    void start() throws Exception {
        TestServers.Postgres pg = TestServers.postgres();
        URI pgUri = URI.create(pg.url().substring("jdbc:".length()));
        postgres = new TcpProxy("postgres", new InetSocketAddress(pgUri.getHost(), pgUri.getPort()));
        URI amqp = URI.create(TestServers.amqpUri());
        rabbit = new TcpProxy("rabbitmq", new InetSocketAddress(amqp.getHost(), amqp.getPort() == -1 ? 5672 : amqp.getPort()));
        String pgUrl = pg.url().replace(pgUri.getHost() + ":" + pgUri.getPort(), postgres.address());
        String amqpUri = TestServers.amqpUri().replace(amqp.getHost() + ":" + amqp.getPort(), rabbit.address());
        metrics = new MasterMetrics(MetricsConfig.DEFAULTS, MasterListener.NONE);
        master = Master.builder().masterId("m1")
                .registry(new RegistryConfig(zk.connectString(), namespace, Duration.ofSeconds(4), Duration.ofSeconds(10)))
                .database(RotaDatabase.builder().url(pgUrl).user(pg.user()).password(pg.password()).schema(namespace)
                        .maxPoolSize(4).connectionTimeout(Duration.ofSeconds(2)).config())
                .amqpUri(amqpUri).timings(MasterTimings.fast()).listener(metrics).build();
        master.start();
        metrics.start(master);
    }

    @AfterAll
    void stop() throws Exception {
        metrics.close();
        master.close();
        rabbit.close();
        postgres.close();
        zk.close();
        TestServers.dropSchema(namespace);
    }

    @Test
    void losingPostgresqlOrRabbitmqTurnsReadinessFalseWithinASecond() {
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.health().ready());

        postgres.cut();
        await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(
                metrics.health().checks()).isEqualTo(Map.of("zookeeper", true, "postgresql", false, "rabbitmq", true)));
        postgres.heal();
        await().atMost(Duration.ofSeconds(15)).until(() -> metrics.health().ready());

        rabbit.cut();
        await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(
                metrics.health().checks()).isEqualTo(Map.of("zookeeper", true, "postgresql", true, "rabbitmq", false)));
        rabbit.heal();
        await().atMost(Duration.ofSeconds(20)).until(() -> metrics.health().ready());
    }
}
