package dev.rota.master.internal;

import dev.rota.master.CronSchedule;
import dev.rota.db.JobDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which scheduled times a job still owes when a leader (re)schedules it: those after its last
 * recorded fire (or after {@code scheduleFrom}, when later) up to now. Times within the misfire
 * threshold of now are on time and always fired; older ones were missed and are thinned by the job's
 * misfire policy. Pure: computed from the database's record, never from memory.
 */
public final class MisfirePlanner {
    /** More on-time fires than this in one threshold window means the threshold is absurd for the cron. */
    private static final int ON_TIME_LIMIT = 10_000;

    private MisfirePlanner() {
    }

    /**
     * @param lastFire  the latest recorded fire of the job, or null
     * @param now       the database clock
     * @param threshold how late a fire may be and still count as on time
     */
    public static Plan plan(JobDefinition job, CronSchedule schedule, Instant lastFire, Instant now, Duration threshold) {
        Instant from = job.scheduleFrom();
        if (lastFire != null && lastFire.isAfter(from)) {
            from = lastFire;
        }
        Instant cutoff = now.minus(threshold);
        List<Instant> fires = new ArrayList<>();
        long skipped = 0;
        if (cutoff.isAfter(from)) {
            CronSchedule.Window missed = switch (job.misfirePolicy()) {
                case FIRE_ONCE, SKIP -> schedule.between(from, cutoff, 1);
                case FIRE_ALL -> schedule.between(from, cutoff, job.misfireLimit());
            };
            skipped = missed.dropped();
            if (job.misfirePolicy() == dev.rota.model.MisfirePolicy.SKIP) {
                skipped += missed.times().size();
            } else {
                fires.addAll(missed.times());
            }
        }
        Instant onTimeFrom = cutoff.isAfter(from) ? cutoff : from;
        fires.addAll(schedule.between(onTimeFrom, now, ON_TIME_LIMIT).times());
        return new Plan(fires, skipped);
    }

    /**
     * @param skipped owed times that the policy does not fire; after a very long outage of a frequent job
     *                it is a lower bound (see {@link CronSchedule#between})
     */
    public record Plan(List<Instant> fires, long skipped) {
    }
}
