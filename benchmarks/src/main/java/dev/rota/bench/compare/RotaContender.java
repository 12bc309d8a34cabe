package dev.rota.bench.compare;

import dev.rota.db.JobSpec;
import dev.rota.db.RotaDatabase;
import dev.rota.db.TaskSubmission;
import dev.rota.master.Master;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.ZoneOffset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Rota end to end: a real {@link Master} (default settings) and a real worker (default settings) in this
 * JVM, through ZooKeeper, PostgreSQL and RabbitMQ. The handler of task type {@code bench} records its start.
 */
public final class RotaContender implements Contender {
    public static final String TASK_TYPE = "bench";
    public static final String CRON_EVERY_SECOND = "* * * * * ?";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Executions executions;
    private final String zkConnect;
    private final String namespace = TestServers.uniqueName("cmprota");
    private RotaDatabase db;
    private Master master;
    private Worker worker;

    public RotaContender(Executions executions, String zkConnect) {
        this.executions = executions;
        this.zkConnect = zkConnect;
    }

    @Override
    public String name() {
        return "Rota";
    }

    /** Migrates a fresh schema and defines {@code cronJobs} every-second jobs in it. */
    static RotaDatabase prepare(String namespace, int cronJobs) {
        TestServers.Postgres pg = TestServers.postgres();
        RotaDatabase db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(namespace).build();
        db.migrate();
        for (int i = 0; i < cronJobs; i++) {
            db.jobs().create(JobSpec.of("cron-" + i, CRON_EVERY_SECOND, TASK_TYPE));
        }
        return db;
    }

    /** A worker with default settings whose only handler records its start. */
    static Worker worker(String zkConnect, String namespace, Executions executions) {
        return new WorkerBuilder().zkConnect(zkConnect).namespace(namespace).discoverHandlers(false)
                .capacity(Integer.getInteger("rota.bench.capacity", dev.rota.worker.WorkerConfig.DEFAULT_CAPACITY))
                .prefetch(Integer.getInteger("rota.bench.prefetch", dev.rota.worker.WorkerConfig.defaultPrefetch(
                        Integer.getInteger("rota.bench.capacity", dev.rota.worker.WorkerConfig.DEFAULT_CAPACITY))))
                .handler(TASK_TYPE, ctx -> {
                    executions.started(ctx.jobName() != null ? ctx.jobName() : Long.toString(ctx.runId()),
                            ctx.scheduledAt().toEpochMilli());
                    return null;
                }).build();
    }

    @Override
    public void start(int cronJobs) throws Exception {
        db = prepare(namespace, cronJobs);
        TestServers.Postgres pg = TestServers.postgres();
        master = Master.builder().masterId("bench-master")
                .registry(new RegistryConfig(zkConnect, namespace, RegistryConfig.DEFAULT_SESSION_TIMEOUT,
                        RegistryConfig.DEFAULT_CONNECTION_TIMEOUT))
                .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(namespace).config())
                .amqpUri(TestServers.amqpUri())
                .build();
        master.start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!master.isLeader()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Rota master did not lead within " + READY_TIMEOUT);
            }
            Thread.sleep(20);
        }
        worker = worker(zkConnect, namespace, executions);
        worker.start();
    }

    @Override
    public void submitOne(String id, Instant due) {
        db.runs().submit(TaskSubmission.of(TASK_TYPE, "{}", due));
    }

    @Override
    public void submitBulk(int n, String prefix, Instant due) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO run (task_type, payload, scheduled_at) "
                        + "SELECT ?, '{}'::jsonb, ? FROM generate_series(1, ?)")) {
            ps.setString(1, TASK_TYPE);
            ps.setObject(2, due.atOffset(ZoneOffset.UTC));
            ps.setInt(3, n);
            ps.executeUpdate();
        }
    }

    /** {@code Runs.submitAll}: one transaction. */
    @Override
    public void submitBatch(int n, String prefix, Instant due) {
        List<TaskSubmission> batch = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(TaskSubmission.of(TASK_TYPE, "{}", due));
        }
        db.runs().submitAll(batch);
    }

    @Override
    public void close() {
        Cleanup.quietly(worker);
        Cleanup.quietly(master);
        Cleanup.quietly(db);
        Cleanup.quietly(() -> TestServers.dropSchema(namespace));
        Cleanup.quietly(() -> RabbitCleanup.deleteNamespace(namespace, List.of(TASK_TYPE)));
    }
}
