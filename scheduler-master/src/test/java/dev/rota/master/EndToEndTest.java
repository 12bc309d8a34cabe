package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.JobSpec;
import dev.rota.messaging.AmqpConnections;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import dev.rota.worker.WorkerEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole path with real PostgreSQL, RabbitMQ and (in-process) ZooKeeper, masters and workers. */
class EndToEndTest {
    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    @Test
    void aJobInsertedWithPlainSqlRunsOnAWorkerWithinTwoSeconds() throws Exception {
        cluster.startMaster("m1");
        Worker worker = cluster.startWorker("w1");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leader() != null && cluster.leader().epoch() > 0);

        long inserted = System.nanoTime();
        cluster.execute("INSERT INTO job (name, cron, task_type) VALUES ('every-second', '* * * * * ?', 'noop')");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE job_name = 'every-second' AND state = 'SUCCEEDED'") >= 1);
        long firstSuccessMillis = (System.nanoTime() - inserted) / 1_000_000;

        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED'") >= 4);
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED' AND worker_id <> '" + worker.id() + "'"))
                .isZero();
        assertThat(cluster.queryLong("SELECT count(*) - count(DISTINCT scheduled_at) FROM run")).isZero();
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE dispatched_at < scheduled_at")).as("early fires").isZero();
        System.out.printf("first fire of a job inserted by SQL succeeded after %d ms%n", firstSuccessMillis);
    }

    @Test
    void twoMastersElectOneLeaderAndFiringContinuesAfterFailoverWithoutGapsOrDuplicates() throws Exception {
        Master m1 = cluster.startMaster("m1");
        Master m2 = cluster.startMaster("m2");
        cluster.startWorker("w1");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leaderCount() == 1 && cluster.leader().epoch() > 0);
        Master first = cluster.leader();
        first.database().jobs().create(JobSpec.of("tick", "* * * * * ?", "noop")
                .withMisfire(dev.rota.model.MisfirePolicy.FIRE_ALL, 100));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED'") >= 3);

        String asked = first.registry().requestFailover();
        assertThat(asked).isEqualTo(first.id());
        Master second = first == m1 ? m2 : m1;
        await().atMost(Duration.ofSeconds(5)).until(() -> second.isLeader() && second.epoch() > 0);
        assertThat(first.isLeader()).isFalse();
        long epochAfter = second.epoch();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE state = 'SUCCEEDED' AND epoch = " + epochAfter) >= 3);

        assertThat(cluster.leaderCount()).isEqualTo(1);
        assertThat(cluster.queryLong("SELECT count(*) - count(DISTINCT scheduled_at) FROM run")).as("doubled fires").isZero();
        // FIRE_ALL: every second between the first and the last fire has exactly one row.
        assertThat(cluster.queryLong("SELECT (extract(epoch FROM max(scheduled_at) - min(scheduled_at)))::bigint + 1 - count(*) FROM run"))
                .as("lost fires").isZero();
        assertThat(cluster.queryLong("SELECT count(DISTINCT epoch) FROM run")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aWorkerWithOnlyTheZooKeeperAddressJoinsRunsTasksAndLeavesOnClose() throws Exception {
        Master master = cluster.startMaster("m1");
        Worker worker = cluster.startWorker(new WorkerBuilder().workerId("only-zk").taskTypes("log"));
        await().atMost(Duration.ofSeconds(5)).until(() -> master.registry().status().workers().stream()
                .anyMatch(w -> w.id().equals("only-zk") && w.taskTypes().contains("log")));
        master.database().jobs().create(JobSpec.of("hello", "* * * * * ?", "log").withPayload("{\"message\":\"hello\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE state = 'SUCCEEDED' AND worker_id = 'only-zk'") >= 2);

        worker.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> master.registry().status().workers().isEmpty());
        assertThat(cluster.count(MasterEvent.WORKER_LEFT)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aThrowingHandlerLeavesAFailedRowAndAnUnparsableMessageDoesNotStopTheWorker() throws Exception {
        Master master = cluster.startMaster("m1");
        cluster.startWorker("w1");
        await().atMost(Duration.ofSeconds(10)).until(() -> master.isLeader());
        master.database().jobs().create(JobSpec.of("boom", "* * * * * ?", "fail").withPayload("{\"message\":\"disk on fire\"}"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'FAILED'") >= 1);
        assertThat(cluster.queryString("SELECT error FROM run WHERE state = 'FAILED' LIMIT 1")).contains("disk on fire");
        master.database().jobs().setEnabled("default", "boom", false);

        try (var conn = AmqpConnections.open(TestServers.amqpUri(), "test-garbage"); var ch = conn.createChannel()) {
            var topology = master.config().cluster().topology();
            ch.basicPublish(topology.taskExchange(), "noop", null, "{not json".getBytes());
            ch.basicPublish(topology.taskExchange(), "noop", null, "{\"version\":1}".getBytes());
        }
        master.database().jobs().create(JobSpec.of("after-garbage", "* * * * * ?", "noop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE job_name = 'after-garbage' AND state = 'SUCCEEDED'") >= 2);
        assertThat(cluster.count(WorkerEvent.MESSAGE_DEAD_LETTERED)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.count(MasterEvent.MESSAGE_PARKED) == 2);
        try (var conn = AmqpConnections.open(TestServers.amqpUri(), "test-dlq"); var ch = conn.createChannel()) {
            assertThat(ch.messageCount(master.config().cluster().topology().parkedQueue())).isEqualTo(2);
        }
    }

    @Test
    void aDelayedTaskInsertedWithSqlFiresAtItsTimeAndNotBefore() throws Exception {
        Master master = cluster.startMaster("m1");
        cluster.startWorker("w1");
        await().atMost(Duration.ofSeconds(10)).until(master::isLeader);
        cluster.execute("INSERT INTO run (task_type, payload, scheduled_at) VALUES "
                + "('log', '{\"message\":\"later\"}', clock_timestamp() + interval '2 seconds')");
        await().atMost(Duration.ofSeconds(8))
                .until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED'") == 1);
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE dispatched_at < scheduled_at")).as("early").isZero();
        System.out.println("delayed task lateness ms: " + cluster.queryLong(
                "SELECT (extract(epoch FROM dispatched_at - scheduled_at) * 1000)::bigint FROM run"));
    }

    @Test
    void aMalformedCronOrUnknownZoneIsReportedOnTheJobRowAndFixingItSchedulesIt() throws Exception {
        Master master = cluster.startMaster("m1");
        await().atMost(Duration.ofSeconds(10)).until(master::isLeader);
        cluster.execute("INSERT INTO job (name, cron, task_type) VALUES ('bad-cron', 'every minute please', 'noop')");
        cluster.execute("INSERT INTO job (name, cron, time_zone, task_type) VALUES ('bad-zone', '* * * * * ?', 'Mars/Olympus', 'noop')");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.queryString(
                "SELECT schedule_error FROM job WHERE name = 'bad-zone'") != null);
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.queryString(
                "SELECT schedule_error FROM job WHERE name = 'bad-cron'") != null);
        assertThat(cluster.queryString("SELECT schedule_error FROM job WHERE name = 'bad-cron'"))
                .contains("malformed cron expression 'every minute please'");
        assertThat(cluster.queryString("SELECT schedule_error FROM job WHERE name = 'bad-zone'"))
                .contains("unknown time zone 'Mars/Olympus'");

        cluster.startWorker("w1");
        cluster.execute("UPDATE job SET cron = '* * * * * ?' WHERE name = 'bad-cron'");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE job_name = 'bad-cron' AND state = 'SUCCEEDED'") >= 1);
        assertThat(cluster.queryString("SELECT schedule_error FROM job WHERE name = 'bad-cron'")).isNull();
    }

    @Test
    void disablingChangingAndDeletingAJobWithSqlTakesEffectWithoutRestart() throws Exception {
        Master master = cluster.startMaster("m1");
        cluster.startWorker("w1");
        await().atMost(Duration.ofSeconds(10)).until(master::isLeader);
        cluster.execute("INSERT INTO job (name, cron, task_type, payload) VALUES ('j', '* * * * * ?', 'log', '{\"message\":\"v1\"}')");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED'") >= 1);

        cluster.execute("UPDATE job SET payload = '{\"message\":\"v2\"}' WHERE name = 'j'");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE payload->>'message' = 'v2' AND state = 'SUCCEEDED'") >= 1);

        cluster.execute("UPDATE job SET enabled = false WHERE name = 'j'");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.count(MasterEvent.JOB_UNSCHEDULED) >= 1);
        long afterDisable = cluster.queryLong("SELECT count(*) FROM run");
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> cluster.queryLong("SELECT count(*) FROM run") <= afterDisable + 1);

        cluster.execute("UPDATE job SET enabled = true WHERE name = 'j'");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.queryLong("SELECT count(*) FROM run") > afterDisable + 1);
        cluster.execute("DELETE FROM job WHERE name = 'j'");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.count(MasterEvent.JOB_UNSCHEDULED) >= 2);
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE job_id IS NULL")).as("runs kept after delete").isPositive();
    }
}
