package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rota.db.RunView;
import dev.rota.db.TaskSubmission;
import dev.rota.messaging.AmqpConnections;
import dev.rota.messaging.BrokerPermissions;
import dev.rota.messaging.BrokerUsers;
import dev.rota.messaging.ConfirmingPublisher;
import dev.rota.model.ClusterSettings;
import dev.rota.model.Credentials;
import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import dev.rota.model.TaskMessage;
import dev.rota.model.Topology;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.WorkerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A master and a worker on their own least-privilege broker users: the settings in ZooKeeper carry no
 * password, the worker's results are bound to its user, and another worker identity cannot end a run
 * it did not start. Needs {@code rabbitmqctl}; skipped without it.
 */
class SeparateBrokerUsersTest {
    private final BrokerUsers users = new BrokerUsers("rabbitmqctl");
    private ClusterFixture cluster;
    private Credentials master;
    private Credentials worker;
    private Credentials intruder;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(users.available(), "rabbitmqctl is not available here");
        cluster = new ClusterFixture();
        cluster.taskTypes.add("block");
        Topology topology = new Topology(cluster.namespace);
        master = new Credentials(cluster.namespace + "-master", UUID.randomUUID().toString());
        worker = new Credentials(cluster.namespace + "-worker", UUID.randomUUID().toString());
        intruder = new Credentials(cluster.namespace + "-intruder", UUID.randomUUID().toString());
        users.ensure("/", master, BrokerPermissions.master(topology));
        users.ensure("/", worker, BrokerPermissions.worker(topology));
        users.ensure("/", intruder, BrokerPermissions.worker(topology));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
            for (Credentials c : new Credentials[] {master, worker, intruder}) {
                users.delete(c.user());
            }
        }
    }

    @Test
    void aResultFromAnotherWorkerIdentityIsRefusedAndTheStartingWorkerFinishesTheRun() throws Exception {
        Master m = cluster.masterBuilder("m1")
                .amqpUri(AmqpConnections.withCredentials(TestServers.amqpUri(), master))
                .separateBrokerUsers(true)
                .build();
        cluster.masters.add(m);
        m.start();
        ClusterSettings published = m.registry().readSettings().orElseThrow();
        assertThat(published.amqpUri()).doesNotContain(master.password()).doesNotContain("@");

        CountDownLatch release = new CountDownLatch(1);
        cluster.startWorker(new WorkerBuilder().workerId("w1").brokerCredentials(worker)
                .handler("block", ctx -> release.await(30, TimeUnit.SECONDS)));
        await().atMost(Duration.ofSeconds(30)).until(() -> m.isLeader() && m.epoch() > 0);
        RunView run = m.database().runs().submit(TaskSubmission.of("block", "{}", Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> m.database().runs().find(run.id()).orElseThrow().state()
                == RunState.RUNNING);
        assertThat(cluster.queryString("SELECT started_by FROM run_attempt WHERE run_id = " + run.id()))
                .isEqualTo(worker.user());

        try (var connection = AmqpConnections.open(AmqpConnections.withCredentials(TestServers.amqpUri(), intruder), "intruder");
                ConfirmingPublisher forger = new ConfirmingPublisher(connection, intruder.user())) {
            RunView running = m.database().runs().find(run.id()).orElseThrow();
            ResultMessage forged = new ResultMessage(TaskMessage.CURRENT_VERSION, run.id(), running.attempt(), "w1",
                    ResultStatus.SUCCEEDED, Instant.now(), null, null);
            Topology t = new Topology(cluster.namespace);
            forger.publish(t.resultsExchange(), t.resultsQueue(), new MessageCodec().encode(forged)).get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.count(MasterEvent.RESULT_FORGED) == 1);
        assertThat(m.database().runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        assertThat(cluster.queryString("SELECT detail FROM run_event WHERE kind = 'FORGED_RESULT' AND run_id = " + run.id()))
                .contains(intruder.user(), "started by '" + worker.user() + "'");

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> m.database().runs().find(run.id()).orElseThrow().state()
                == RunState.SUCCEEDED);
    }
}
