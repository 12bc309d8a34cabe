package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.rota.model.Topology;
import dev.rota.testsupport.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leader's planner sleeps until its next cursor enters the lookahead, and is woken by the database's
 * announcement (V16) when a job changes: with plain SQL too, and with a longest wait far longer than the test.
 */
class PlanWakeUpTest {
    /** Longer than any wait below: only an announcement or the next cursor can make the planner look in time. */
    private static final Duration LONG = Duration.ofMinutes(2);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    @BeforeEach
    void leaderWithALongestPlanWaitOfTwoMinutes() {
        Master master = cluster.masterBuilder("m1").scheduling(SchedulingConfig.DEFAULTS.withMaxPlanWait(LONG))
                .timings(MasterTimings.fast().withMaxIdleInterval(LONG)).build();
        cluster.masters.add(master);
        master.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> master.isLeader() && master.epoch() > 0);
    }

    @Test
    void jobsInsertedChangedAndDeletedWithPlainSqlAreSettledPromptlyWhileThePlannerSleeps() throws Exception {
        cluster.execute("INSERT INTO job (name, cron, task_type) VALUES ('first', '0 0 0 1 1 ?', 'noop')");
        await().atMost(PROMPTLY).until(() -> settled("first"));

        // Each step waits for the one before: two prompt pick-ups in a row cannot both be the listener's start.
        cluster.execute("INSERT INTO job (name, cron, task_type) VALUES ('second', '0 0 0 1 1 ?', 'noop')");
        await().atMost(PROMPTLY).until(() -> settled("second"));
        cluster.execute("UPDATE job SET cron = '0 0 0 2 2 ?' WHERE name = 'first'");
        await().atMost(PROMPTLY).until(() -> settled("first"));
        assertThat(cluster.queryLong("SELECT extract(month FROM next_fire_at AT TIME ZONE 'UTC')::bigint FROM job"
                + " WHERE name = 'first'")).isEqualTo(2);
        cluster.execute("DELETE FROM job WHERE name = 'second'");
        await().atMost(PROMPTLY).until(() -> cluster.queryLong("SELECT count(*) FROM job_deleted") == 0);
    }

    @Test
    void aJobIsPlannedWheneverItsCursorEntersTheLookaheadThoughNoChangeWakesThePlanner() throws Exception {
        cluster.execute("INSERT INTO job (name, cron, task_type) VALUES ('every3s', '*/3 * * * * ?', 'noop')");
        await().atMost(PROMPTLY).until(() -> settled("every3s"));
        String from = cluster.queryString("SELECT (now() + interval '6 seconds')::text");

        // Planned 5 s ahead, a fire every 3 s: after the first pass, only the cursor can wake the planner in time.
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.queryLong("SELECT count(*) FROM run"
                + " WHERE scheduled_at >= '" + from + "' AND dispatched_at IS NOT NULL") >= 4);
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE scheduled_at >= '" + from + "'"
                + " AND dispatched_at > scheduled_at + interval '1 second'")).as("fires dispatched late").isZero();

        // The settings keeper has found nothing new for over ten seconds by now and backs off towards the
        // two-minute bound: only the job's announcement makes it declare the queue of a new task type in time.
        cluster.taskTypes.add("fresh-type");
        cluster.execute("INSERT INTO job (name, cron, task_type) VALUES ('fresh', '0 0 0 1 1 ?', 'fresh-type')");
        String queue = new Topology(cluster.namespace).taskQueue("fresh-type");
        await().atMost(Duration.ofSeconds(3)).until(() -> queueExists(queue));
    }

    private static boolean queueExists(String queue) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        try (Connection c = factory.newConnection(); Channel ch = c.createChannel()) {
            ch.queueDeclarePassive(queue);
            return true;
        } catch (java.io.IOException notFound) {
            return false;
        }
    }

    private boolean settled(String job) throws Exception {
        return cluster.queryLong("SELECT count(*) FROM job WHERE name = '" + job + "' AND planned_seq = change_seq"
                + " AND next_fire_at IS NOT NULL") == 1;
    }
}
