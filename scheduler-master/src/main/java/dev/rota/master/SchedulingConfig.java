package dev.rota.master;

import java.time.Duration;

/**
 * How the leader plans cron fires from the database and keeps history within bounds.
 *
 * @param planInterval     how long one planning pass may spend settling changes or planning before it lets the
 *                         other half run, and how soon the planner looks again at a due job it could not plan
 *                         (held by another transaction)
 * @param lookahead        fires due within this are recorded ahead as SCHEDULED runs, dispatched when due
 * @param pageSize         most jobs read or planned in one transaction
 * @param maxHeapUse       the fraction of the maximum heap still in use after a collection beyond which the
 *                         leader cannot hold its schedule and steps down
 * @param keepFinishedFor  finished runs (with attempts and events) are deleted once finished longer ago than this
 * @param keepRunsPerJob   ... except the newest this many runs of each job, whatever their age
 * @param retentionInterval how often a retention sweep starts
 * @param retentionBatch   most runs deleted in one short transaction
 * @param maxPlanWait      the longest an idle planner waits before it looks again: it wakes at once when the
 *                         database announces a changed, new or deleted job (V16), and when the next cursor enters
 *                         the lookahead, so this bounds only how late a change is seen whose announcement was lost
 */
public record SchedulingConfig(Duration planInterval, Duration lookahead, int pageSize, double maxHeapUse,
        Duration keepFinishedFor, int keepRunsPerJob, Duration retentionInterval, int retentionBatch,
        Duration maxPlanWait) {

    public static final Duration DEFAULT_PLAN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LOOKAHEAD = Duration.ofSeconds(5);
    public static final int DEFAULT_PAGE_SIZE = 2_000;
    public static final double DEFAULT_MAX_HEAP_USE = 0.9;
    public static final Duration DEFAULT_KEEP_FINISHED_FOR = Duration.ofDays(7);
    public static final int DEFAULT_KEEP_RUNS_PER_JOB = 100;
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_RETENTION_BATCH = 1_000;
    public static final Duration DEFAULT_MAX_PLAN_WAIT = Duration.ofSeconds(5);
    /** The largest page: a page's fires travel as arrays in one statement. */
    public static final int MAX_PAGE_SIZE = 50_000;

    public static final SchedulingConfig DEFAULTS = new SchedulingConfig(DEFAULT_PLAN_INTERVAL, DEFAULT_LOOKAHEAD,
            DEFAULT_PAGE_SIZE, DEFAULT_MAX_HEAP_USE, DEFAULT_KEEP_FINISHED_FOR, DEFAULT_KEEP_RUNS_PER_JOB,
            DEFAULT_RETENTION_INTERVAL, DEFAULT_RETENTION_BATCH, DEFAULT_MAX_PLAN_WAIT);

    public SchedulingConfig {
        MasterTimings.positive("planInterval", planInterval);
        MasterTimings.positive("lookahead", lookahead);
        MasterTimings.positive("keepFinishedFor", keepFinishedFor);
        MasterTimings.positive("retentionInterval", retentionInterval);
        MasterTimings.positive("maxPlanWait", maxPlanWait);
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        if (!(maxHeapUse > 0 && maxHeapUse <= 1)) {
            throw new IllegalArgumentException("maxHeapUse must be a fraction in (0, 1], was " + maxHeapUse);
        }
        if (keepRunsPerJob < 0) {
            throw new IllegalArgumentException("keepRunsPerJob must be at least 0, was " + keepRunsPerJob);
        }
        if (retentionBatch < 1 || retentionBatch > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("retentionBatch must be between 1 and " + MAX_PAGE_SIZE + ", was "
                    + retentionBatch);
        }
    }

    public SchedulingConfig withPlanInterval(Duration planInterval) {
        return new SchedulingConfig(planInterval, lookahead, pageSize, maxHeapUse, keepFinishedFor, keepRunsPerJob,
                retentionInterval, retentionBatch, maxPlanWait);
    }

    public SchedulingConfig withLookahead(Duration lookahead) {
        return new SchedulingConfig(planInterval, lookahead, pageSize, maxHeapUse, keepFinishedFor, keepRunsPerJob,
                retentionInterval, retentionBatch, maxPlanWait);
    }

    public SchedulingConfig withPageSize(int pageSize) {
        return new SchedulingConfig(planInterval, lookahead, pageSize, maxHeapUse, keepFinishedFor, keepRunsPerJob,
                retentionInterval, retentionBatch, maxPlanWait);
    }

    public SchedulingConfig withMaxHeapUse(double maxHeapUse) {
        return new SchedulingConfig(planInterval, lookahead, pageSize, maxHeapUse, keepFinishedFor, keepRunsPerJob,
                retentionInterval, retentionBatch, maxPlanWait);
    }

    public SchedulingConfig withRetention(Duration keepFinishedFor, int keepRunsPerJob) {
        return new SchedulingConfig(planInterval, lookahead, pageSize, maxHeapUse, keepFinishedFor, keepRunsPerJob,
                retentionInterval, retentionBatch, maxPlanWait);
    }

    public SchedulingConfig withMaxPlanWait(Duration maxPlanWait) {
        return new SchedulingConfig(planInterval, lookahead, pageSize, maxHeapUse, keepFinishedFor, keepRunsPerJob,
                retentionInterval, retentionBatch, maxPlanWait);
    }
}
