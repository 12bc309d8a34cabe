package dev.rota.bench.compare;

import com.zaxxer.hikari.HikariDataSource;
import dev.rota.testsupport.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz 2.3.2 in this JVM with its clustered JDBC job store on its own schema: {@code JobStoreTX} with
 * {@code PostgreSQLDelegate}, {@code isClustered=true}, tables from the jar's {@code tables_postgres.sql},
 * 20 threads, and trigger acquisition in batches of up to 20 (within the lock, as clustered batching
 * requires); everything else default. One-off tasks are jobs with a simple trigger; every-second jobs have
 * the cron trigger {@code * * * * * ?}.
 */
public final class QuartzContender implements Contender {
    public static final int THREADS = 20;
    static final String SCHEDULER_NAME = "bench";

    private final Executions executions;
    private final String schema;
    private final boolean ownsSchema;
    private HikariDataSource dataSource;
    private org.quartz.Scheduler scheduler;

    /** The class stored with each job; never instantiated, the job factory hands out the recording job. */
    public static final class NoopJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
        }
    }

    public QuartzContender(Executions executions) {
        this(executions, TestServers.uniqueName("cmpqtz"), true);
        ScratchDataSource.createSchema(schema, ddl());
    }

    QuartzContender(Executions executions, String schema, boolean ownsSchema) {
        this.executions = executions;
        this.schema = schema;
        this.ownsSchema = ownsSchema;
    }

    static String ddl() {
        try (InputStream in = org.quartz.Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
            if (in == null) {
                throw new IllegalStateException("tables_postgres.sql is not in the Quartz jar");
            }
            // The lock rows exist before the first node starts: otherwise two threads may both insert one, and
            // the loser's transaction fails (Quartz retries, but it costs seconds and logs errors).
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?im)^\\s*commit\\s*;\\s*$", "")
                    + "\nINSERT INTO qrtz_locks (sched_name, lock_name) VALUES ('" + SCHEDULER_NAME + "', 'TRIGGER_ACCESS'), ('"
                    + SCHEDULER_NAME + "', 'STATE_ACCESS');\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "Quartz";
    }

    @Override
    public void start(int cronJobs) throws Exception {
        dataSource = ScratchDataSource.open(schema, THREADS + 5);
        String dsName = "bench-" + schema + "-" + System.nanoTime();
        HikariDataSource ds = dataSource;
        DBConnectionManager.getInstance().addConnectionProvider(dsName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return ds.getConnection();
            }

            @Override
            public void shutdown() {
            }

            @Override
            public void initialize() {
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(THREADS));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(THREADS));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.dataSource", dsName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        StdSchedulerFactory factory = new StdSchedulerFactory(p);
        scheduler = factory.getScheduler();
        Job recording = ctx -> executions.started(ctx.getJobDetail().getKey().getName(), ctx.getScheduledFireTime().getTime());
        scheduler.setJobFactory((bundle, s) -> recording);
        Map<JobDetail, Set<? extends Trigger>> jobs = new LinkedHashMap<>();
        for (int i = 0; i < cronJobs; i++) {
            JobKey key = JobKey.jobKey("cron-" + i);
            if (!scheduler.checkExists(key)) {
                jobs.put(JobBuilder.newJob(NoopJob.class).withIdentity(key).build(), Set.of(TriggerBuilder.newTrigger()
                        .withIdentity("cron-" + i).withSchedule(CronScheduleBuilder.cronSchedule("* * * * * ?")).build()));
            }
        }
        if (!jobs.isEmpty()) {
            scheduler.scheduleJobs(jobs, false);
        }
        scheduler.start();
    }

    @Override
    public void submitOne(String id, Instant due) throws SchedulerException {
        scheduler.scheduleJob(JobBuilder.newJob(NoopJob.class).withIdentity(id).build(),
                TriggerBuilder.newTrigger().withIdentity(id).startAt(Date.from(due)).build());
    }

    @Override
    public void submitBulk(int n, String prefix, Instant due) throws SchedulerException {
        Date at = Date.from(due);
        Map<JobDetail, Set<? extends Trigger>> jobs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            jobs.put(JobBuilder.newJob(NoopJob.class).withIdentity(prefix + i).build(),
                    Set.of(TriggerBuilder.newTrigger().withIdentity(prefix + i).startAt(at).build()));
        }
        scheduler.scheduleJobs(jobs, false);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            Cleanup.quietly(() -> scheduler.shutdown(true));
        }
        Cleanup.quietly(dataSource);
        if (ownsSchema) {
            Cleanup.quietly(() -> TestServers.dropSchema(schema));
        }
    }
}
