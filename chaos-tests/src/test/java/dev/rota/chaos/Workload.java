package dev.rota.chaos;

import java.util.List;

/**
 * What the scenarios ask the cluster to do, written with plain SQL as an operator or another service
 * would: cron jobs (every second by default, with the {@code record} handler) and bursts of one-off
 * tasks.
 */
public final class Workload {
    public static final String EVERY_SECOND = "* * * * * ?";

    private final ChaosDatabase db;

    Workload(ChaosDatabase db) {
        this.db = db;
    }

    /** A {@code record} job firing every second whose misses are all owed (FIRE_ALL): none may be lost. */
    public long everySecond(String name) {
        return cronJob(name, EVERY_SECOND, "FIRE_ALL", RecordHandlerProvider.TASK_TYPE, "{}");
    }

    /** @return the job id */
    public long cronJob(String name, String cron, String misfirePolicy, String taskType, String payloadJson) {
        return db.query("INSERT INTO job (name, cron, task_type, payload, misfire_policy) VALUES (?, ?, ?, ?::jsonb, ?)"
                + " RETURNING id", rs -> rs.getLong(1), name, cron, taskType, payloadJson, misfirePolicy).get(0);
    }

    /** Disables every job (fires stop within the leader's reconcile interval). */
    public void disableAllJobs() {
        db.update("UPDATE job SET enabled = false");
    }

    /**
     * Inserts {@code count} one-off tasks due now.
     *
     * @return their run ids
     */
    public List<Long> burst(int count, String taskType, String payloadJson) {
        return db.query("INSERT INTO run (task_type, payload, scheduled_at) SELECT ?, ?::jsonb, clock_timestamp()"
                + " FROM generate_series(1, ?) RETURNING id", rs -> rs.getLong(1), taskType, payloadJson, count);
    }
}
