package dev.rota.bench;


import com.sun.management.OperatingSystemMXBean;
import dev.rota.bench.compare.Stats;
import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterEvent;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One leader and many cron jobs, in this JVM (run it with {@code -Xmx512m}; the master is measured
 * in-process, the harness's own share of heap and CPU is small and included):
 * <ol>
 *   <li>N jobs (default 1,000,000) inserted with one SQL statement, as a previous leader left them (cursors
 *       computed), none due during the measurement: time from start to leading, heap after a collection,
 *       the leader's CPU over 30 s with no fire due, how long one changed job takes to be planned, and the
 *       plans of the planner's queries;</li>
 *   <li>M every-minute jobs (default 100,000, spread over the seconds of a minute: M/60 fires a second),
 *       inserted while the leader runs: how long their cursors take, then dispatch lateness
 *       ({@code dispatched_at - scheduled_at}, database clock) and missed fires over two minutes.</li>
 * </ol>
 * Tasks are not consumed (no worker): dispatch is what is measured. With M = 0 only the first part runs
 * (it leaves the shared broker alone). The idle window's CPU is broken down by thread.
 */
public final class ScaleBenchmark {
    public static void main(String[] args) throws Exception {
        int idleJobs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int minuteJobs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int fireSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        String ns = TestServers.uniqueName("scale");
        TestServers.Postgres pg = TestServers.postgres();
        try (InProcessZooKeeper zk = new InProcessZooKeeper();
                RotaDatabase setup = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password())
                        .schema(ns).build()) {
            setup.migrate();
            long t0 = System.nanoTime();
            // Daily at a time at least 6 hours away; cursors as a previous leader computed them.
            sql(pg, ns, "INSERT INTO job (name, cron, task_type, next_fire_at, schedule_from)"
                    + " SELECT 'idle-' || g, (g % 60) || ' ' || (g / 60 % 60) || ' ' || ((extract(hour FROM now() AT TIME ZONE 'UTC')::int + 12) % 24)"
                    + " || ' * * ?', 'bench', date_trunc('day', now()) + interval '2 days', now() FROM generate_series(1, " + idleJobs + ") g");
            sql(pg, ns, "UPDATE job SET planned_seq = change_seq");
            sql(pg, ns, "VACUUM ANALYZE job");
            System.out.printf("inserted %,d idle jobs in %.1f s%n", idleJobs, (System.nanoTime() - t0) / 1e9);

            CountDownLatch leading = new CountDownLatch(1);
            long start = System.nanoTime();
            try (Master master = Master.builder().masterId("scale")
                    .registry(new RegistryConfig(zk.connectString(), ns, Duration.ofSeconds(10), Duration.ofSeconds(10)))
                    .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(ns).config())
                    .amqpUri(TestServers.amqpUri())
                    .timings(MasterTimings.DEFAULTS)
                    .listener((event, detail) -> {
                        if (event == MasterEvent.LEADERSHIP_ACQUIRED) {
                            leading.countDown();
                        }
                    })
                    .build()) {
                master.start();
                leading.await();
                double toLeading = (System.nanoTime() - start) / 1e9;
                // Idle means steady: the JIT compilers run for the first ten-odd seconds of any JVM (measured: C1
                // and C2 took more CPU than all of Rota's threads in a window that began 2 s after leading).
                Thread.sleep(Long.getLong("rota.bench.idleWarmupMillis", 20_000));
                System.gc();
                long heap = heapAfterGc();
                OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                ThreadCpu perThread = new ThreadCpu();
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                Thread.sleep(30_000);
                long idleCpuNanos = os.getProcessCpuTime() - cpu0;
                long idleWallNanos = System.nanoTime() - wall0;
                double idleCpu = 100.0 * idleCpuNanos / idleWallNanos;

                long changeStart = System.nanoTime();
                String changed = "idle-" + Math.min(4242, idleJobs);
                sql(pg, ns, "UPDATE job SET cron = '0 0 0 1 1 ?' WHERE name = '" + changed + "'");
                while (count(pg, ns, "SELECT count(*) FROM job WHERE name = '" + changed + "' AND next_fire_at IS NOT NULL") == 0) {
                    Thread.sleep(5);
                }
                double changeMs = (System.nanoTime() - changeStart) / 1e6;

                System.out.println();
                System.out.printf("| %,d cron jobs, none due | value |%n|---|---|%n", idleJobs);
                System.out.printf("| master start to leading (election included) | %.2f s |%n", toLeading);
                System.out.printf("| heap after a full collection (-Xmx %.0f MiB) | %.1f MiB |%n",
                        Runtime.getRuntime().maxMemory() / 1048576.0, heap / 1048576.0);
                System.out.printf("| process CPU over 30 s with no fire due | %.2f %% of one core |%n", idleCpu);
                System.out.printf("| one changed job planned (UPDATE to cursor set) | %.0f ms |%n", changeMs);
                perThread.print(16, idleCpuNanos, idleWallNanos);
                explain(pg, ns);
                if (minuteJobs == 0) {
                    return;
                }

                sql(pg, ns, "DELETE FROM job");
                // A million dead job rows made settling the next 100,000 take 131 s instead of 23 s: the
                // figure below is the fire rate, not the aftermath of the idle phase's bulk delete.
                sql(pg, ns, "VACUUM ANALYZE job");
                long insert = System.nanoTime();
                sql(pg, ns, "INSERT INTO job (name, cron, task_type) SELECT 'minute-' || g, (g % 60) || ' * * * * ?', 'bench'"
                        + " FROM generate_series(1, " + minuteJobs + ") g");
                while (count(pg, ns, "SELECT count(*) FROM job WHERE next_fire_at IS NULL") > 0) {
                    Thread.sleep(100);
                }
                double settle = (System.nanoTime() - insert) / 1e9;
                // Stands in for workers that keep up: a queue no one consumes grows by 1,667 messages a
                // second, and a quorum queue that deep throttles its publisher (and wedged the broker once).
                TaskDrain drain = new TaskDrain(new dev.rota.model.Topology(ns).taskQueue("bench"));
                String from = value(pg, ns, "SELECT (now() + interval '10 seconds')::text");
                java.time.Instant fromInstant = java.time.Instant.now().plusSeconds(10);
                Thread.sleep(fireSeconds * 1_000L + 10_000);
                String to = value(pg, ns, "SELECT (now() - interval '5 seconds')::text");
                java.time.Instant toInstant = java.time.Instant.now().minusSeconds(5);
                long drained = drain.close();
                System.gc();
                long heapFiring = heapAfterGc();
                try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                    st.execute("SET search_path TO " + ns);
                    ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE dispatched_at IS NOT NULL),"
                            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM dispatched_at - scheduled_at) * 1000),"
                            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM dispatched_at - scheduled_at) * 1000),"
                            + " max(extract(epoch FROM dispatched_at - scheduled_at) * 1000),"
                            + " count(*) FILTER (WHERE dispatched_at < scheduled_at),"
                            + " count(*) FILTER (WHERE published)"
                            + " FROM run WHERE scheduled_at >= '" + from + "' AND scheduled_at < '" + to + "'");
                    rs.next();
                    long expected = count(pg, ns, "SELECT coalesce(sum(j.c), 0)::bigint FROM generate_series(date_trunc('second', '"
                            + from + "'::timestamptz) + interval '1 second', '" + to + "'::timestamptz - interval '1 microsecond',"
                            + " interval '1 second') s JOIN (SELECT substring(name from 8)::int % 60 AS sec, count(*) AS c"
                            + " FROM job GROUP BY 1) j ON j.sec = extract(second FROM s)::int");
                    System.out.println();
                    System.out.printf("| %,d every-minute jobs (%,d fires/s) | value |%n|---|---|%n", minuteJobs, minuteJobs / 60);
                    System.out.printf("| cursors of the inserted jobs computed | %.1f s |%n", settle);
                    System.out.printf("| fires due in the window / recorded / dispatched / confirmed | %,d / %,d / %,d / %,d |%n",
                            expected, rs.getLong(1), rs.getLong(2), rs.getLong(7));
                    System.out.printf("| dispatch lateness p50 / p99 / max | %.0f / %.0f / %.0f ms |%n",
                            rs.getDouble(3), rs.getDouble(4), rs.getDouble(5));
                    System.out.printf("| dispatched early (database clock) | %d |%n", rs.getLong(6));
                    // The recorded dispatch time of a run claimed ahead is its due time: the publish itself is
                    // timed where a worker would see it, at the drain (this JVM's clock, the database's host).
                    long[] lateness = drain.latenessMillis(fromInstant, toInstant);
                    System.out.printf("| task message arrival at the drain, minus scheduled time: p50 / p99 / max | %s (%,d messages) |%n",
                            lateness.length == 0 ? "none arrived" : Stats.percentile(lateness, 0.5) + " / "
                                    + Stats.percentile(lateness, 0.99) + " / " + Stats.percentile(lateness, 1.0) + " ms",
                            lateness.length);
                    System.out.printf("| task messages that arrived before their scheduled time | %d |%n",
                            java.util.Arrays.stream(lateness).filter(l -> l < 0).count());
                    System.out.printf("| task messages consumed by the drain (whole run) | %,d |%n", drained);
                    System.out.printf("| heap after a full collection while firing | %.1f MiB |%n", heapFiring / 1048576.0);
                }
            }
        } finally {
            TestServers.dropSchema(ns);
            RabbitCleanup.deleteNamespace(ns, List.of("bench"));
        }
    }

    private static void explain(TestServers.Postgres pg, String ns) throws Exception {
        String[] queries = {
            "SELECT id FROM job WHERE enabled AND next_fire_at IS NOT NULL AND next_fire_at <= now() + interval '5 seconds'"
                    + " ORDER BY next_fire_at LIMIT 2000 FOR NO KEY UPDATE SKIP LOCKED",
            "SELECT id FROM job WHERE planned_seq IS DISTINCT FROM change_seq ORDER BY change_seq LIMIT 2000",
            "SELECT r.id FROM run r LEFT JOIN job j ON j.id = r.job_id WHERE r.state = 'SCHEDULED' AND r.due_at <= now()"
                    + " ORDER BY r.due_at LIMIT 500 FOR UPDATE OF r SKIP LOCKED"};
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + ns);
            for (String q : queries) {
                System.out.println();
                System.out.println("EXPLAIN ANALYZE " + q);
                ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) " + q);
                while (rs.next()) {
                    System.out.println("    " + rs.getString(1));
                }
            }
        }
    }

    private static void sql(TestServers.Postgres pg, String ns, String sql) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + ns);
            st.execute(sql);
        }
    }

    private static String value(TestServers.Postgres pg, String ns, String sql) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + ns);
            ResultSet rs = st.executeQuery(sql);
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(TestServers.Postgres pg, String ns, String sql) throws Exception {
        return Long.parseLong(value(pg, ns, sql));
    }

    private static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    /**
     * Consumes and acks the task queue as fast as the broker delivers, counting the messages and noting,
     * for each, its scheduled time and when it arrived.
     */
    private static final class TaskDrain {
        private final com.rabbitmq.client.Connection connection;
        private final java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();
        private final dev.rota.model.MessageCodec codec = new dev.rota.model.MessageCodec();
        /** (scheduled, arrived) epoch milliseconds, one pair per message. */
        private final java.util.List<long[]> arrivals = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        TaskDrain(String queue) throws Exception {
            com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
            f.setUri(TestServers.amqpUri());
            connection = f.newConnection("scale-benchmark-drain");
            for (long until = System.nanoTime() + 30_000_000_000L; ; Thread.sleep(200)) {
                com.rabbitmq.client.Channel channel = connection.createChannel();
                try {
                    channel.basicQos(2_000);
                    channel.basicConsume(queue, false, (tag, d) -> {
                        long arrived = System.currentTimeMillis();
                        consumed.incrementAndGet();
                        try {
                            arrivals.add(new long[] {codec.decodeTask(d.getBody()).scheduledAt().toEpochMilli(), arrived});
                        } catch (dev.rota.model.MalformedMessageException e) {
                            throw new IllegalStateException(e);
                        }
                        channel.basicAck(d.getEnvelope().getDeliveryTag(), false);
                    }, tag -> { });
                    return;
                } catch (java.io.IOException e) {
                    if (System.nanoTime() > until) {
                        throw e;
                    }
                }
            }
        }

        long close() throws Exception {
            connection.close();
            return consumed.get();
        }

        /** Arrival minus scheduled time of the messages scheduled in [from, to). */
        long[] latenessMillis(java.time.Instant from, java.time.Instant to) {
            synchronized (arrivals) {
                return arrivals.stream().filter(a -> a[0] >= from.toEpochMilli() && a[0] < to.toEpochMilli())
                        .mapToLong(a -> a[1] - a[0]).toArray();
            }
        }
    }
}
