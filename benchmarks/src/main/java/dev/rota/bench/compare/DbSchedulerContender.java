package dev.rota.bench.compare;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import com.zaxxer.hikari.HikariDataSource;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * db-scheduler in this JVM on its own schema: 20 threads, 100 ms polling, the lock-and-fetch polling
 * strategy ({@code SELECT ... FOR UPDATE SKIP LOCKED}, lower limit 0.5, upper 1.0 of the threads), all
 * other settings default. One-off tasks are instances of the one-time task {@code burst}; every-second
 * jobs are recurring tasks with the cron {@code * * * * * *}.
 */
public final class DbSchedulerContender implements Contender {
    public static final int THREADS = 20;
    public static final Duration POLLING_INTERVAL = Duration.ofMillis(100);
    static final String DDL = """
            CREATE TABLE scheduled_tasks (
              task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,
              execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,
              last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ, consecutive_failures INT,
              last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL, priority SMALLINT,
              PRIMARY KEY (task_name, task_instance));
            CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
            """;

    private final Executions executions;
    private final String schema;
    private final boolean ownsSchema;
    private final String nodeName;
    private HikariDataSource dataSource;
    private Scheduler scheduler;
    private OneTimeTask<Void> burst;

    /** On a fresh schema of its own, created now and dropped on close. */
    public DbSchedulerContender(Executions executions) {
        this(executions, TestServers.uniqueName("cmpdbs"), true, "bench-dbs");
        ScratchDataSource.createSchema(schema, DDL);
    }

    /** On a schema prepared with {@link #DDL} and shared with other nodes (failover); not dropped on close. */
    DbSchedulerContender(Executions executions, String schema, boolean ownsSchema, String nodeName) {
        this.executions = executions;
        this.schema = schema;
        this.ownsSchema = ownsSchema;
        this.nodeName = nodeName;
    }

    @Override
    public String name() {
        return "db-scheduler";
    }

    @Override
    public void start(int cronJobs) {
        dataSource = ScratchDataSource.open(schema, THREADS + 5);
        burst = Tasks.oneTime("burst").execute((instance, ctx) ->
                executions.started(instance.getId(), ctx.getExecution().executionTime.toEpochMilli()));
        List<RecurringTask<Void>> recurring = new ArrayList<>();
        for (int i = 0; i < cronJobs; i++) {
            recurring.add(Tasks.recurring("cron-" + i, Schedules.cron("* * * * * *")).execute((instance, ctx) ->
                    executions.started(instance.getTaskName(), ctx.getExecution().executionTime.toEpochMilli())));
        }
        scheduler = Scheduler.create(dataSource, burst).startTasks(recurring)
                .threads(THREADS).pollingInterval(POLLING_INTERVAL).pollUsingLockAndFetch(0.5, 1.0)
                .schedulerName(new SchedulerName.Fixed(nodeName))
                .build();
        scheduler.start();
    }

    @Override
    public void submitOne(String id, Instant due) {
        scheduler.schedule(burst.instance(id), due);
    }

    @Override
    public void submitBulk(int n, String prefix, Instant due) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO scheduled_tasks "
                        + "(task_name, task_instance, execution_time, picked, version) "
                        + "SELECT 'burst', ? || g, ?, false, 1 FROM generate_series(1, ?) g")) {
            ps.setString(1, prefix);
            ps.setObject(2, due.atOffset(ZoneOffset.UTC));
            ps.setInt(3, n);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            Cleanup.quietly(scheduler::stop);
        }
        Cleanup.quietly(dataSource);
        if (ownsSchema) {
            Cleanup.quietly(() -> TestServers.dropSchema(schema));
        }
    }
}
