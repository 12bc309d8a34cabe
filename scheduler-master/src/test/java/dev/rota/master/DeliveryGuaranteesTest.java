package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.JobSpec;
import dev.rota.db.TaskSubmission;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.ResultStatus;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import dev.rota.registry.RegistryBuilder;
import dev.rota.registry.internal.CuratorRegistry;
import dev.rota.registry.WorkerInfo;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.WorkerBuilder;
import dev.rota.worker.WorkerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The delivery contract of the README, held against real PostgreSQL, RabbitMQ and ZooKeeper. */
class DeliveryGuaranteesTest {
    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    private Master leaderOf(Master m) {
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > 0);
        return m;
    }

    /**
     * Cron times of {@code job} in {@code (schedule_from, upTo]} that have no run: every time owed, not
     * only those between the first and the last recorded fire. Waits up to 10 s for the last of them.
     */
    private long lostFires(String job, Instant upTo) throws Exception {
        String cron = cluster.queryString("SELECT cron FROM job WHERE name = '" + job + "'");
        String zone = cluster.queryString("SELECT time_zone FROM job WHERE name = '" + job + "'");
        Instant from = Instant.parse(cluster.queryString("SELECT to_char(schedule_from AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM job WHERE name = '" + job + "'"));
        List<Instant> owed = CronSchedule.parse(cron, zone).between(from, upTo, Integer.MAX_VALUE).times();
        assertThat(owed).as("cron times of %s in (%s, %s]", job, from, upTo).isNotEmpty();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> fireTimes(job).containsAll(owed));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // counted below
        }
        Set<Instant> recorded = fireTimes(job);
        List<Instant> lost = owed.stream().filter(t -> !recorded.contains(t)).toList();
        if (!lost.isEmpty()) {
            System.out.printf("lost fires of %s: %s%n", job, lost);
        }
        return lost.size();
    }

    private Set<Instant> fireTimes(String job) throws Exception {
        Set<Instant> out = new java.util.HashSet<>();
        try (var c = cluster.sql(); var st = c.prepareStatement("SELECT scheduled_at FROM run WHERE job_name = ?")) {
            st.setString(1, job);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return out;
    }

    private Instant dbNow() throws Exception {
        return Instant.parse(cluster.queryString("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
    }

    @Test
    void aFencedLeaderWritesNothingAfterTheEpochMovedAndResumesWithANewEpoch() throws Exception {
        Master m = leaderOf(cluster.startMaster("m1"));
        cluster.startWorker("w1");
        m.database().jobs().create(JobSpec.of("tick", "* * * * * ?", "noop").withMisfire(MisfirePolicy.FIRE_ALL, 100));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED'") >= 2);
        long oldEpoch = m.epoch();

        long intruder = m.database().lease().acquire("intruder");
        Instant bumped = m.database().runs().now();
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.count(MasterEvent.FENCED) >= 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > intruder);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE state = 'SUCCEEDED' AND epoch = " + m.epoch()) >= 2);

        assertThat(cluster.queryLong("SELECT count(*) FROM run_attempt WHERE epoch = " + oldEpoch
                + " AND dispatched_at > '" + bumped + "'")).as("writes by the fenced epoch").isZero();
        assertThat(cluster.queryLong("SELECT count(*) FROM run_attempt WHERE epoch = " + intruder)).isZero();
        assertThat(lostFires("tick", dbNow().minusSeconds(1))).as("lost fires").isZero();
        System.out.println("fenced dispatch attempts rejected: " + cluster.count(MasterEvent.FENCED));
    }

    @Test
    void threeMastersRacingThroughForcedReElectionsNeverDoubleOrLoseAFire() throws Exception {
        List<Master> masters = List.of(cluster.startMaster("m1"), cluster.startMaster("m2"), cluster.startMaster("m3"));
        Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
        cluster.startWorker(new WorkerBuilder().workerId("w1").capacity(16).handler("noop", ctx -> {
            executions.computeIfAbsent(ctx.jobName() + "@" + ctx.scheduledAt(), k -> new AtomicInteger()).incrementAndGet();
            return null;
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leaderCount() == 1);
        int jobs = 40;
        for (int i = 0; i < jobs; i++) {
            masters.get(0).database().jobs().create(JobSpec.of("race-" + i, "* * * * * ?", "noop")
                    .withMisfire(MisfirePolicy.FIRE_ALL, 1000));
        }
        var admin = new RegistryBuilder().connectString(cluster.zk.connectString()).namespace(cluster.namespace).build();
        admin.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int round = 0;
            while (System.nanoTime() < deadline) {
                Thread.sleep(2_500);
                Master leader = cluster.leader();
                switch (round++ % 3) {
                    case 0 -> {
                        if (leader != null) {
                            admin.requestFailover();
                        }
                    }
                    case 1 -> {
                        if (leader != null) {
                            KillSession.kill(((CuratorRegistry) leader.registry()).curator().getZookeeperClient().getZooKeeper());
                        }
                    }
                    default -> cluster.zk.restart();
                }
            }
        } finally {
            admin.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leaderCount() == 1);
        // Judge fires up to a time the settled leader has certainly reached, then stop the jobs.
        Instant cutoff = dbNow().plusSeconds(1);
        // Dispatched fires only: fires are planned ahead as SCHEDULED rows, and disabling a job withdraws those.
        String firedSince = "SELECT count(DISTINCT job_id) FROM run WHERE attempt > 0 AND scheduled_at >= '" + cutoff + "'";
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.queryLong(firedSince) == jobs);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.printf("after the last election: %d of %d jobs fired at or after %s; lease %s; masters %s;"
                    + " latest fire %s%n", cluster.queryLong(firedSince), jobs, cutoff,
                    cluster.queryString("SELECT epoch || ' ' || leader_id || ' ' || acquired_at FROM leader_lease"),
                    masters.stream().map(x -> x.config().masterId() + (x.isLeader() ? " leads epoch " + x.epoch() : "")).toList(),
                    cluster.queryString("SELECT max(scheduled_at)::text FROM run"));
            throw e;
        }
        cluster.execute("UPDATE job SET enabled = false");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.queryLong(
                    "SELECT count(*) FROM run WHERE state NOT IN ('SUCCEEDED')") == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            try (var c = cluster.sql(); var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT id, state, attempt, epoch, published, worker_id, dispatched_at, scheduled_at FROM run"
                    + " WHERE state <> 'SUCCEEDED' ORDER BY id LIMIT 20")) {
                while (rs.next()) {
                    System.out.printf("stuck run %d %s attempt %d epoch %d published %s worker %s dispatched %s scheduled %s%n",
                            rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getBoolean(5), rs.getString(6),
                            rs.getString(7), rs.getString(8));
                }
            }
            throw e;
        }
        long fires = cluster.queryLong("SELECT count(*) FROM run");
        long epochs = cluster.queryLong("SELECT count(DISTINCT epoch) FROM run_attempt");
        // The worker stays up, so each fire must reach the handler exactly once: a fire published twice
        // (by two leaders, or republished by the outbox after its confirm was recorded) shows up here,
        // whatever the UNIQUE constraint on run says.
        List<String> doubled = executions.entrySet().stream().filter(e -> e.getValue().get() > 1)
                .map(e -> e.getKey() + " x" + e.getValue().get()).toList();
        long lost = 0;
        for (int i = 0; i < jobs; i++) {
            lost += lostFires("race-" + i, cutoff);
        }
        System.out.printf("racing masters: %d fires over %d epochs, %d duplicates suppressed, %d executions,"
                + " doubled %s, lost %d%n", fires, epochs, cluster.count(MasterEvent.FIRE_DUPLICATE),
                executions.values().stream().mapToInt(AtomicInteger::get).sum(), doubled, lost);
        assertThat(fires).isGreaterThan(1000);
        assertThat(epochs).isGreaterThanOrEqualTo(5);
        assertThat(doubled).as("fires whose handler ran more than once").isEmpty();
        assertThat(executions).as("fires executed, one per run").hasSize((int) fires);
        assertThat(lost).isZero();
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE dispatched_at < scheduled_at")).as("early").isZero();
    }

    @Test
    void everyDelayedTaskReachesAWorkerWhenTheBrokerDropsTheConnectionsMidStream() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestServers.amqpUri().equals(TestServers.LOCAL_AMQP_URI)
                && new java.io.File("/usr/sbin/rabbitmqctl").canExecute(), "needs the local RabbitMQ and rabbitmqctl");
        String masterId = "m1-" + cluster.namespace;
        String workerId = "w1-" + cluster.namespace;
        Master m = leaderOf(cluster.startMaster(masterId));
        cluster.startWorker(new WorkerBuilder().workerId(workerId).capacity(16));
        int tasks = 3000;
        cluster.execute("INSERT INTO run (task_type, payload, scheduled_at) SELECT 'noop', '{}', "
                + "clock_timestamp() + (g * interval '6 milliseconds') FROM generate_series(1, " + tasks + ") g");
        // Spread over 18 s and cut early, so that the cut falls mid-stream even on a loaded machine.
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED'") >= 150);
        assertThat(closeBrokerConnectionsNamed(masterId, workerId)).isGreaterThanOrEqualTo(2);
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SCHEDULED'")).as("still to publish").isPositive();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE state = 'SUCCEEDED'") == tasks);
        System.out.printf("broker connections dropped mid-stream: %d/%d succeeded; %d publishes unconfirmed and republished%n",
                cluster.queryLong("SELECT count(*) FROM run WHERE state = 'SUCCEEDED'"), tasks,
                cluster.count(MasterEvent.TASK_PUBLISH_FAILED));
        assertThat(cluster.count(MasterEvent.TASK_PUBLISH_FAILED)).as("publishes lost with the connection").isPositive();
        assertThat(m.isLeader()).isTrue();
    }

    @Test
    void eachMisfirePolicyIsAppliedOnceWhenALeaderTakesOver() throws Exception {
        Master first = leaderOf(cluster.startMaster("m0"));
        for (MisfirePolicy p : MisfirePolicy.values()) {
            first.database().jobs().create(JobSpec.of("mf-" + p, "0/5 * * * * ?", "noop").withMisfire(p, 100));
        }
        first.close();
        cluster.execute("DELETE FROM run");
        cluster.execute("UPDATE job SET schedule_from = clock_timestamp() - interval '60 seconds'");
        // As for jobs no leader has planned yet: the next leader computes their cursors from the record above.
        cluster.execute("UPDATE job SET next_fire_at = NULL, planned_seq = NULL");
        cluster.startWorker("w1");
        // Take over just after a 5-second boundary, so that no cron time is near the takeover and every
        // owed time is a misfire that the policy alone decides about.
        while (Instant.now().getEpochSecond() % 5 != 1) {
            Thread.sleep(50);
        }
        Instant nextBoundary = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
        leaderOf(cluster.startMaster("m1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.masterEvents.stream()
                .filter(e -> e.startsWith("m1 " + MasterEvent.JOB_SCHEDULED)).count() == 3);
        String owed = "SELECT count(*) FROM run WHERE job_name = '%s' AND scheduled_at < '" + nextBoundary + "'";
        long from = cluster.queryLong("SELECT floor(extract(epoch FROM schedule_from))::bigint FROM job WHERE name = 'mf-FIRE_ALL'");
        long owedTimes = (nextBoundary.getEpochSecond() - 1) / 5 - from / 5;
        assertThat(owedTimes).isBetween(12L, 13L);
        await().atMost(Duration.between(Instant.now(), nextBoundary)).until(() ->
                cluster.queryLong(owed.formatted("mf-FIRE_ALL")) == owedTimes
                        && cluster.queryLong(owed.formatted("mf-FIRE_ONCE")) == 1);
        assertThat(cluster.queryLong(owed.formatted("mf-SKIP"))).isZero();
        assertThat(Instant.now()).as("checked before the next cron time").isBefore(nextBoundary);
        assertThat(cluster.count(MasterEvent.MISFIRES_SKIPPED)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE job_name = 'mf-SKIP' AND state = 'SUCCEEDED'") >= 1);
        assertThat(lostFires("mf-FIRE_ALL", nextBoundary.minusSeconds(1))).isZero();
    }

    @Test
    void forbidSkipsOverlappingFiresAndReplaceCancelsTheRunningOne() throws Exception {
        Master m = leaderOf(cluster.startMaster("m1"));
        cluster.startWorker(new WorkerBuilder().workerId("w1").capacity(4));
        m.database().jobs().create(JobSpec.of("forbid", "* * * * * ?", "sleep").withPayload("{\"millis\":2500}")
                .withConcurrency(ConcurrencyPolicy.FORBID));
        m.database().jobs().create(JobSpec.of("replace", "0/2 * * * * ?", "sleep").withPayload("{\"millis\":30000}")
                .withConcurrency(ConcurrencyPolicy.REPLACE));
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.queryLong(
                "SELECT count(*) FROM run WHERE job_name = 'forbid' AND state = 'SKIPPED'") >= 2
                && cluster.queryLong("SELECT count(*) FROM run WHERE job_name = 'replace' AND state = 'CANCELLED'") >= 2);
        m.database().jobs().setEnabled("default", "forbid", false);
        m.database().jobs().setEnabled("default", "replace", false);
        // Every dispatched run counts, finished or not: one still running when the job was disabled is in
        // flight until its end, which has not come yet.
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE job_name = 'forbid' AND dispatched_at IS NOT NULL"))
                .as("dispatched FORBID runs").isGreaterThanOrEqualTo(2);
        assertThat(cluster.queryLong("SELECT count(*) FROM run a JOIN run b ON a.job_name = b.job_name AND a.id < b.id"
                + " WHERE a.job_name = 'forbid' AND a.dispatched_at IS NOT NULL AND b.dispatched_at IS NOT NULL"
                + " AND b.dispatched_at < coalesce(a.finished_at, 'infinity')"
                + " AND a.dispatched_at < coalesce(b.finished_at, 'infinity')")).as("overlapping FORBID runs").isZero();
        assertThat(cluster.queryString("SELECT error FROM run WHERE job_name = 'replace' AND state = 'CANCELLED' LIMIT 1"))
                .contains("REPLACE");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.count(WorkerEvent.TASK_CANCELLED) >= 1);
    }

    @Test
    void aFailingJobIsRetriedWithGrowingBackoffThenDeadAndAnOperatorReRunSucceeds() throws Exception {
        Master m = leaderOf(cluster.startMaster("m1"));
        AtomicBoolean healthy = new AtomicBoolean(false);
        cluster.taskTypes.add("flaky");
        cluster.startWorker(new WorkerBuilder().workerId("w1").handler("flaky", ctx -> {
            if (!healthy.get()) {
                throw new IllegalStateException("downstream unavailable");
            }
            return null;
        }));
        EventTap events = EventTap.open(m.config().cluster().topology().eventsExchange());
        try (events) {
            var run = m.database().runs().submit(TaskSubmission.of("flaky", "{}", Instant.now())
                    .withRetry(RetryPolicy.maxAttempts(3).backoff(Duration.ofMillis(250), 4.0)));
            await().atMost(Duration.ofSeconds(15)).until(() -> m.database().runs().find(run.id()).orElseThrow().state() == RunState.DEAD);
            assertThat(cluster.queryLong("SELECT count(*) FROM run_attempt WHERE run_id = " + run.id() + " AND outcome = 'FAILED'"))
                    .isEqualTo(3);
            // From the failure being recorded to the next dispatch: delay(n) = random(0.5..1) * 250 ms * 4^(n-1),
            // so 125..250 ms, then 500..1000 ms. A constant 250 ms backoff gives at most 250 ms plus the due poll.
            String gap = "SELECT (extract(epoch FROM b.dispatched_at - a.finished_at) * 1000)::bigint FROM run_attempt a"
                    + " JOIN run_attempt b ON a.run_id = b.run_id AND b.attempt = a.attempt + 1 WHERE a.attempt = %d"
                    + " AND a.run_id = " + run.id();
            long firstGap = cluster.queryLong(gap.formatted(1));
            long secondGap = cluster.queryLong(gap.formatted(2));
            System.out.printf("retry backoff: %d ms, then %d ms%n", firstGap, secondGap);
            assertThat(firstGap).as("first backoff").isGreaterThanOrEqualTo(125);
            assertThat(secondGap).as("second backoff, after growing by 4").isGreaterThanOrEqualTo(500)
                    .isGreaterThan(firstGap);
            assertThat(m.database().runs().find(run.id()).orElseThrow().error()).contains("downstream unavailable");

            healthy.set(true);
            m.database().runs().rerun(run.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> m.database().runs().find(run.id()).orElseThrow().state() == RunState.SUCCEEDED);
            assertThat(m.database().runs().find(run.id()).orElseThrow().attempt()).isEqualTo(4);
            await().atMost(Duration.ofSeconds(5)).until(() -> events.keys().containsAll(
                    List.of("default.flaky.DEAD", "default.flaky.SUCCEEDED")));
            // One event per final outcome; each of the two retries is announced as a rescheduled attempt.
            assertThat(events.keys().stream().filter(k -> !k.endsWith(".SCHEDULED")).toList()).doesNotHaveDuplicates();
            assertThat(events.keys().stream().filter(k -> k.endsWith(".SCHEDULED")).count()).isEqualTo(2);
        }
    }

    @Test
    void aHandlerPastItsTimeoutIsInterruptedAndASilentWorkerIsTimedOutByTheLeader() throws Exception {
        Master m = leaderOf(cluster.startMaster("m1"));
        BlockingQueue<Long> interrupted = new LinkedBlockingQueue<>();
        cluster.taskTypes.add("patient");
        cluster.startWorker(new WorkerBuilder().workerId("w1").handler("patient", ctx -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.add(ctx.runId());
                throw e;
            }
            return null;
        }));
        var slow = m.database().runs().submit(TaskSubmission.of("patient", "{}", Instant.now())
                .withTimeout(Duration.ofMillis(300)));
        // The leader would also end the run TIMED_OUT by its deadline, so the final state alone proves
        // nothing about the worker: the handler must see the interrupt, and the outcome must be the worker's.
        assertThat(interrupted.poll(10, TimeUnit.SECONDS)).as("run whose handler was interrupted").isEqualTo(slow.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> m.database().runs().find(slow.id()).orElseThrow().state() == RunState.TIMED_OUT);
        assertThat(cluster.queryString("SELECT worker_id || ': ' || error FROM run_attempt WHERE attempt = 1 AND run_id = "
                + slow.id())).as("who ended the attempt, and why").isEqualTo("w1: timed out after PT0.3S");
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.count(WorkerEvent.TASK_TIMED_OUT) == 1);

        cluster.taskTypes.add("stuck");
        try (FakeWorker silent = new FakeWorker(m.config().cluster(), "stuck", "silent")) {
            var stuck = m.database().runs().submit(TaskSubmission.of("stuck", "{}", Instant.now())
                    .withTimeout(Duration.ofMillis(300)).withRetry(RetryPolicy.maxAttempts(2).backoff(Duration.ofMillis(50), 1.0)));
            for (int attempt = 1; attempt <= 2; attempt++) {
                FakeWorker.Received r = silent.next();
                assertThat(r.task().attempt()).isEqualTo(attempt);
                silent.ack(r);
                silent.report(r.task(), ResultStatus.STARTED, null);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> m.database().runs().find(stuck.id()).orElseThrow().state() == RunState.DEAD);
            assertThat(cluster.queryLong("SELECT count(*) FROM run_attempt WHERE outcome = 'TIMED_OUT' AND run_id = " + stuck.id()))
                    .isEqualTo(2);
        }
    }

    @Test
    void runsOfAWorkerThatLeftAreRunElsewhereAndItsLateResultChangesNothing() throws Exception {
        Master m = leaderOf(cluster.startMaster("m1"));
        cluster.taskTypes.add("handoff");
        var ghostRegistry = new RegistryBuilder().connectString(cluster.zk.connectString()).namespace(cluster.namespace).build();
        ghostRegistry.start();
        try (FakeWorker ghost = new FakeWorker(m.config().cluster(), "handoff", "ghost")) {
            var membership = ghostRegistry.registerWorker(new WorkerInfo("ghost", "nowhere", Set.of("handoff"), 1, "test", Instant.now()));
            var run = m.database().runs().submit(TaskSubmission.of("handoff", "{}", Instant.now()));
            FakeWorker.Received first = ghost.next();
            ghost.ack(first);
            ghost.report(first.task(), ResultStatus.STARTED, null);
            await().atMost(Duration.ofSeconds(5)).until(() -> m.database().runs().find(run.id()).orElseThrow().state() == RunState.RUNNING);
            ghost.close();
            membership.close();

            cluster.startWorker(new WorkerBuilder().workerId("heir").handler("handoff", ctx -> "done"));
            await().atMost(Duration.ofSeconds(15)).until(() -> m.database().runs().find(run.id()).orElseThrow().state() == RunState.SUCCEEDED);
            assertThat(m.database().runs().find(run.id()).orElseThrow().workerId()).isEqualTo("heir");
            assertThat(m.database().runs().find(run.id()).orElseThrow().attempt()).isEqualTo(2);

            try (FakeWorker late = new FakeWorker(m.config().cluster(), "handoff-late", "ghost")) {
                late.report(first.task(), ResultStatus.FAILED, "late failure from the old attempt");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.queryLong(
                    "SELECT count(*) FROM run_event WHERE kind = 'STALE_RESULT' AND run_id = " + run.id()) == 1);
            assertThat(m.database().runs().find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(cluster.queryString("SELECT outcome FROM run_attempt WHERE attempt = 1 AND run_id = " + run.id())).isEqualTo("LOST");
        } finally {
            ghostRegistry.close();
            cluster.taskTypes.add("handoff-late");
        }
    }

    @Test
    void aPoisonMessageIsDeadLetteredAfterTheDeliveryLimitAndItsRunEndsDead() throws Exception {
        Master m = leaderOf(cluster.startMaster("m1"));
        cluster.taskTypes.add("poison");
        try (FakeWorker crasher = new FakeWorker(m.config().cluster(), "poison", "crasher")) {
            var run = m.database().runs().submit(TaskSubmission.of("poison", "{}", Instant.now()));
            int deliveries = 0;
            while (m.database().runs().find(run.id()).orElseThrow().state() != RunState.DEAD && deliveries < 20) {
                FakeWorker.Received r = crasher.received.poll(2, java.util.concurrent.TimeUnit.SECONDS);
                if (r != null) {
                    deliveries++;
                    crasher.requeue(r);
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> m.database().runs().find(run.id()).orElseThrow().state() == RunState.DEAD);
            assertThat(deliveries).isBetween(m.config().cluster().deliveryLimit(), m.config().cluster().deliveryLimit() + 1);
            assertThat(m.database().runs().find(run.id()).orElseThrow().error()).contains("delivery_limit");
            try (var conn = AmqpConnections.open(TestServers.amqpUri(), "test-parked"); var ch = conn.createChannel()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount(m.config().cluster().topology().parkedQueue()) == 1);
            }
        }
    }

    /**
     * Makes the broker drop the connections of this test's nodes (and no one else's on the shared broker),
     * as a broker restart or a network fault would.
     *
     * @return how many connections were closed
     */
    private static int closeBrokerConnectionsNamed(String... names) throws Exception {
        Process list = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "--no-table-headers", "pid",
                "client_properties").start();
        List<String> lines = new String(list.getInputStream().readAllBytes()).lines().toList();
        assertThat(list.waitFor()).isZero();
        int closed = 0;
        for (String line : lines) {
            if (java.util.Arrays.stream(names).anyMatch(line::contains)) {
                Process close = new ProcessBuilder("rabbitmqctl", "close_connection", line.split("\t")[0].trim(),
                        "test: broker drops the connection").redirectErrorStream(true).start();
                close.getInputStream().readAllBytes();
                assertThat(close.waitFor()).isZero();
                closed++;
            }
        }
        return closed;
    }
}
