package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.DatabaseConfig;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster status} and {@code cluster failover} against an in-process ZooKeeper with two real masters
 * and a worker. One cluster for the whole class: the status test reads it, the failover test changes it.
 */
class ClusterCommandsTest {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private static InProcessZooKeeper zooKeeper;
    private static String namespace;
    private static String schema;
    private static Master first;
    private static Master second;
    private static Worker worker;

    @BeforeAll
    static void startCluster() throws InterruptedException {
        zooKeeper = new InProcessZooKeeper();
        namespace = TestServers.uniqueName("cli-");
        schema = TestServers.uniqueName("cli_cluster_");
        first = master("m1-" + namespace, schema);
        first.start();
        await().atMost(STARTUP).until(first::isLeader);
        second = master("m2-" + namespace, schema);
        second.start();
        worker = new WorkerBuilder().zkConnect(zooKeeper.connectString()).namespace(namespace)
                .workerId("w1-" + namespace).taskTypes("log", "noop", "sleep").capacity(3).shutdownGrace(Duration.ZERO).build();
        worker.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (worker != null) {
            worker.close();
        }
        String schema = first != null ? first.config().database().schema() : null;
        for (Master m : new Master[] {second, first}) {
            if (m != null) {
                m.close();
            }
        }
        if (schema != null) {
            TestServers.dropSchema(schema);
        }
        dev.rota.testsupport.RabbitCleanup.deleteNamespace(namespace, java.util.List.of("noop", "log", "sleep", "fail"));
        zooKeeper.close();
    }

    @Test
    void statusShowsTheLeaderTheStandbyAndTheWorker() {
        // Leadership may be moving when this runs after the failover test: wait until ZooKeeper and the
        // masters agree on one leader.
        await().atMost(STARTUP).untilAsserted(() -> {
            assertThat(first.isLeader()).isNotEqualTo(second.isLeader());
            String leader = first.isLeader() ? first.id() : second.id();
            String standby = leader.equals(first.id()) ? second.id() : first.id();

            Cli.Result result = Cli.run(env(), "cluster", "status");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.err()).isEmpty();
            assertThat(result.out())
                    .contains("namespace '" + namespace + "' at ZooKeeper " + zooKeeper.connectString())
                    .contains("leader: " + leader)
                    .containsPattern(leader + " +localhost +" + dev.rota.model.RotaVersion.current() + " +\\S+ +leader")
                    .containsPattern(standby + " +localhost +" + dev.rota.model.RotaVersion.current() + " +\\S+ +standby")
                    .containsPattern("w1-" + namespace + " +\\S+ +log,noop,sleep +3 ");
        });
    }

    @Test
    void failoverMovesLeadershipToTheOtherMasterAndSaysWho() {
        await().atMost(STARTUP).until(() -> first.isLeader() || second.isLeader());
        Master leader = first.isLeader() ? first : second;
        Master standby = leader == first ? second : first;

        // The masters' own schema: the audit entry of the failover goes there, not into whatever "rota" holds.
        var pg = TestServers.postgres();
        Map<String, String> env = new java.util.HashMap<>(env());
        env.putAll(Map.of("ROTA_DB_URL", pg.url(), "ROTA_DB_USER", pg.user(), "ROTA_DB_PASSWORD", pg.password(),
                "ROTA_DB_SCHEMA", schema));
        Cli.Result result = Cli.run(env, "cluster", "failover", "--wait", "20s");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("asked leader " + leader.id() + " to step down\n"
                + standby.id() + " now leads namespace '" + namespace + "' at ZooKeeper " + zooKeeper.connectString() + "\n");
        await().atMost(STARTUP).until(standby::isLeader);
        assertThat(leader.isLeader()).isFalse();
    }

    @Test
    void statusListsTheWorkersThatJoinedOverTheBrokerAlone() throws Exception {
        await().atMost(STARTUP).until(() -> first.isLeader() || second.isLeader());
        try (var c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("INSERT INTO " + schema + ".broker_worker (id, task_types, capacity, worker_version, language,"
                    + " heartbeats_while_running, state, announced_at, last_seen_at)"
                    + " VALUES ('php-1', '{greet,sleep}', 1, '2.3', 'php', false, 'SILENT', now(), now())");
        }
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("ROTA_DB_SCHEMA", schema);

        Cli.Result result = Cli.run(env, "cluster", "status");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("php-1 +php +greet,sleep +1 +2\\.3 +SILENT +\\S+ +no");
    }

    @Test
    void anUnreachableZooKeeperIsOneLine() {
        Cli.Result result = Cli.run("cluster", "status", "--zk", "127.0.0.1:1", "--zk-connection-timeout", "1s");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("rota: cannot connect to ZooKeeper at 127.0.0.1:1 within PT1S");
    }

    @Test
    void cancelInterruptsARunningTaskOnItsWorker() throws Exception {
        Master leader = await().atMost(STARTUP).until(() -> first.isLeader() ? first : second.isLeader() ? second : null,
                java.util.Objects::nonNull);
        var runs = leader.database().runs();
        long runId = runs.submit(dev.rota.db.TaskSubmission.of("sleep", "{\"millis\":60000}", java.time.Instant.now())).id();
        await().atMost(STARTUP).until(() -> runs.find(runId).orElseThrow().state() == dev.rota.model.RunState.RUNNING);

        TestServers.Postgres pg = TestServers.postgres();
        Map<String, String> env = new java.util.HashMap<>(env());
        env.putAll(Map.of("ROTA_DB_URL", pg.url(), "ROTA_DB_USER", pg.user(), "ROTA_DB_PASSWORD", pg.password(),
                "ROTA_DB_SCHEMA", schema));
        Cli.Result result = Cli.run(env, "jobs", "cancel", Long.toString(runId));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("cancelled run " + runId + "; worker " + worker.id() + " was told to stop attempt 1");
        assertThat(runs.find(runId).orElseThrow().state()).isEqualTo(dev.rota.model.RunState.CANCELLED);
        // The worker interrupted the handler long before its 60 s and reported CANCELLED, which the leader
        // records as a result for a run that is already final.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            try (var c = pg.connect(); var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT count(*) FROM " + schema + ".run_event WHERE run_id = " + runId + " AND detail LIKE 'CANCELLED%'")) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        });

        Cli.Result again = Cli.run(env, "jobs", "cancel", Long.toString(runId));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("cannot cancel run " + runId + ": it is CANCELLED");
    }

    private static Map<String, String> env() {
        return Map.of("ROTA_ZK", zooKeeper.connectString(), "ROTA_NAMESPACE", namespace);
    }

    private static Master master(String id, String schema) {
        TestServers.Postgres pg = TestServers.postgres();
        return Master.builder().masterId(id).address("localhost")
                .registry(new RegistryConfig(zooKeeper.connectString(), namespace, Duration.ofSeconds(4),
                        RegistryConfig.DEFAULT_CONNECTION_TIMEOUT))
                .database(new DatabaseConfig(pg.url(), pg.user(), pg.password(), schema, 4, Duration.ofSeconds(10)))
                .amqpUri(TestServers.amqpUri())
                .timings(MasterTimings.fast())
                .build();
    }
}
