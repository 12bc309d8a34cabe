package dev.rota.master.internal;

import dev.rota.master.InvalidScheduleException;
import dev.rota.master.CronSchedule;
import dev.rota.db.JobDefinition;
import dev.rota.db.Jobs;
import dev.rota.db.Runs;
import dev.rota.db.Runs.Fire;
import dev.rota.master.MasterEvent;
import dev.rota.master.MasterListener;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leader's Quartz triggers equal to the enabled, valid jobs in the database. Each pass reads
 * every job's version (one cheap query) and reloads only what changed, so plain SQL inserts, updates
 * and deletes are picked up within one interval. When a job is (re)scheduled, the times it still owes
 * since its last recorded fire are planned by {@link MisfirePlanner} and handed to the dispatcher.
 * Called from one thread at a time.
 */
final class JobReconciler {
    private static final Logger log = LoggerFactory.getLogger(JobReconciler.class);

    /** A scheduling target: Quartz in production, a recorder in tests. */
    interface Triggers {
        void schedule(long jobId, CronSchedule schedule, Instant after);

        void unschedule(long jobId);
    }

    private final Jobs jobs;
    private final Runs runs;
    private final Triggers triggers;
    private final Consumer<List<Fire>> dispatch;
    private final Duration misfireThreshold;
    private final MasterListener events;
    private final Map<Long, JobDefinition> active = new ConcurrentHashMap<>();
    private final Map<Long, Long> seenVersions = new HashMap<>();

    JobReconciler(Jobs jobs, Runs runs, Triggers triggers, Consumer<List<Fire>> dispatch, Duration misfireThreshold,
            MasterListener events) {
        this.jobs = jobs;
        this.runs = runs;
        this.triggers = triggers;
        this.dispatch = dispatch;
        this.misfireThreshold = misfireThreshold;
        this.events = events;
    }

    /** The definition a scheduled job fires with, if it is scheduled. Thread-safe. */
    Optional<JobDefinition> activeJob(long jobId) {
        return Optional.ofNullable(active.get(jobId));
    }

    int activeCount() {
        return active.size();
    }

    void runOnce() {
        Map<Long, Long> versions = jobs.versions();
        for (Long id : List.copyOf(seenVersions.keySet())) {
            if (!versions.containsKey(id)) {
                seenVersions.remove(id);
                remove(id, "deleted");
            }
        }
        for (Map.Entry<Long, Long> e : versions.entrySet()) {
            if (!e.getValue().equals(seenVersions.get(e.getKey()))) {
                jobs.find(e.getKey()).ifPresent(job -> {
                    reconcile(job);
                    // Only once done: after a pass that failed half-way (a database error), the job is examined again.
                    seenVersions.put(job.id(), job.version());
                });
            }
        }
    }

    private void reconcile(JobDefinition job) {
        if (!job.enabled()) {
            remove(job.id(), "disabled");
            return;
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(job.cron(), job.timeZone());
        } catch (InvalidScheduleException e) {
            jobs.recordScheduleError(job.id(), job.version(), e.getMessage());
            remove(job.id(), "invalid");
            log.warn("job {}/{} cannot be scheduled: {}", job.team(), job.name(), e.getMessage());
            events.on(MasterEvent.JOB_INVALID, job.name() + ": " + e.getMessage());
            return;
        }
        if (job.scheduleError() != null) {
            jobs.recordScheduleError(job.id(), job.version(), null);
        }
        Instant now = runs.now();
        MisfirePlanner.Plan plan = MisfirePlanner.plan(job, schedule, runs.lastFireTime(job.id()).orElse(null), now,
                misfireThreshold);
        active.put(job.id(), job);
        // Owed fires first: once scheduled, the trigger may hand over later times at once, and a later fire
        // recorded before an earlier one would make the earlier one a skip under FORBID or REPLACE.
        if (!plan.fires().isEmpty()) {
            dispatch.accept(plan.fires().stream().map(t -> new Fire(job, t)).toList());
        }
        triggers.schedule(job.id(), schedule, now);
        if (plan.skipped() > 0) {
            log.info("job {}/{}: {} or more missed fire(s) not fired by misfire policy {}", job.team(), job.name(),
                    plan.skipped(), job.misfirePolicy());
            events.on(MasterEvent.MISFIRES_SKIPPED, job.name() + " " + plan.skipped());
        }
        log.info("scheduled job {}/{} v{} '{}' {} -> {}{}", job.team(), job.name(), job.version(), job.cron(),
                job.timeZone(), job.taskType(), plan.fires().isEmpty() ? "" : " (" + plan.fires().size() + " owed fire(s) now)");
        events.on(MasterEvent.JOB_SCHEDULED, job.name());
    }

    private void remove(long id, String why) {
        if (active.remove(id) != null) {
            triggers.unschedule(id);
            log.info("unscheduled job {} ({})", id, why);
            events.on(MasterEvent.JOB_UNSCHEDULED, id + " " + why);
        }
    }
}
