package dev.rota.bench;

import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Submits N one-off tasks (default 100,000) due over the next minute with plain SQL, lets one leader
 * dispatch them (no workers: the tasks wait in their queue, so only dispatch is measured), and prints
 * how late each was dispatched by the database clock, and the leader JVM's heap after collections.
 */
public final class DelayedTasksBenchmark {
    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int spreadSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        String ns = TestServers.uniqueName("bench");
        TestServers.Postgres pg = TestServers.postgres();
        try (InProcessZooKeeper zk = new InProcessZooKeeper()) {
            try (Master master = Master.builder().masterId("bench")
                    .registry(new RegistryConfig(zk.connectString(), ns, Duration.ofSeconds(4), Duration.ofSeconds(10)))
                    .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(ns).config())
                    .amqpUri(TestServers.amqpUri())
                    .timings(MasterTimings.DEFAULTS)
                    .build()) {
            master.start();
            while (!master.isLeader()) {
                Thread.sleep(50);
            }
            long insertStart = System.nanoTime();
            try (Connection c = pg.connect(); var st = c.createStatement()) {
                st.execute("SET search_path TO " + ns);
                st.execute("INSERT INTO run (task_type, payload, scheduled_at) SELECT 'bench', ('{\"n\":' || g || '}')::jsonb, "
                        + "clock_timestamp() + interval '5 seconds' + (g * interval '" + (spreadSeconds * 1_000_000L / tasks)
                        + " microseconds') FROM generate_series(1, " + tasks + ") g");
            }
            System.out.printf("inserted %,d delayed tasks due over %d s in %d ms%n", tasks, spreadSeconds,
                    (System.nanoTime() - insertStart) / 1_000_000);
            AtomicLong maxAfterGc = new AtomicLong();
            AtomicLong maxUsed = new AtomicLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(spreadSeconds + 60).toNanos();
            long dispatched = 0;
            while (System.nanoTime() < deadline) {
                Thread.sleep(1_000);
                sampleHeap(maxUsed, maxAfterGc);
                dispatched = count(pg, ns, "SELECT count(*) FROM run WHERE published");
                if (dispatched == tasks) {
                    break;
                }
            }
            System.gc();
            sampleHeap(maxUsed, maxAfterGc);
            try (Connection c = pg.connect(); var st = c.createStatement()) {
                st.execute("SET search_path TO " + ns);
                var rs = st.executeQuery("SELECT "
                        + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM dispatched_at - scheduled_at) * 1000),"
                        + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM dispatched_at - scheduled_at) * 1000),"
                        + "max(extract(epoch FROM dispatched_at - scheduled_at) * 1000),"
                        + "count(*) FILTER (WHERE dispatched_at < scheduled_at),"
                        + "count(*) FILTER (WHERE published) FROM run");
                rs.next();
                System.out.println();
                System.out.println("| figure | value |");
                System.out.println("|---|---|");
                System.out.printf("| tasks dispatched and confirmed | %,d of %,d |%n", rs.getLong(5), tasks);
                System.out.printf("| dispatch lateness p50 | %.0f ms |%n", rs.getDouble(1));
                System.out.printf("| dispatch lateness p99 | %.0f ms |%n", rs.getDouble(2));
                System.out.printf("| dispatch lateness max | %.0f ms |%n", rs.getDouble(3));
                System.out.printf("| dispatched early (before scheduled_at, DB clock) | %d |%n", rs.getLong(4));
                System.out.printf("| leader JVM heap, max used after a collection | %.1f MiB |%n", maxAfterGc.get() / 1048576.0);
                System.out.printf("| leader JVM heap, max used at any sample | %.1f MiB (-Xmx %.0f MiB) |%n",
                        maxUsed.get() / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
            }
            }
        } finally {
            TestServers.dropSchema(ns);
            RabbitCleanup.deleteNamespace(ns, List.of("bench"));
        }
    }

    private static long count(TestServers.Postgres pg, String ns, String sql) throws Exception {
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + ns);
            var rs = st.executeQuery(sql);
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sampleHeap(AtomicLong maxUsed, AtomicLong maxAfterGc) {
        long used = 0;
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
                if (pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
        }
        maxUsed.accumulateAndGet(used, Math::max);
        maxAfterGc.accumulateAndGet(afterGc, Math::max);
    }
}
