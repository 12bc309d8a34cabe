package dev.rota.master.internal;

import dev.rota.db.JobDefinition;
import dev.rota.master.CronSchedule;
import dev.rota.model.MisfirePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which scheduled times a job owes, from its durable cursor (the first cron time not yet recorded as
 * a run) up to a horizon. Times older than the misfire cutoff were missed and are thinned by the job's misfire
 * policy; later ones (late but on time, due now, or due within the horizon) are all fired. Pure: computed from
 * the database's record and clock, never from memory.
 */
public final class MisfirePlanner {
    /** More on-time fires than this in one window means the threshold is absurd for the cron. */
    private static final int ON_TIME_LIMIT = 10_000;

    private MisfirePlanner() {
    }

    /**
     * The cursor of a job whose definition changed: the first time after its last recorded fire, or after
     * {@code scheduleFrom} when later (insert, schedule change, re-enable). Null when it never fires again.
     *
     * @param lastFire the latest recorded fire of the job, or null
     */
    public static Instant cursor(JobDefinition job, CronSchedule schedule, Instant lastFire) {
        Instant from = job.scheduleFrom();
        if (lastFire != null && lastFire.isAfter(from)) {
            from = lastFire;
        }
        return schedule.nextAfter(from);
    }

    /**
     * @param cursor  the first time not yet recorded (a cron time); every owed time is at or after it
     * @param cutoff  times before this were missed (the database clock minus the misfire threshold, or earlier)
     * @param horizon the last instant planned now: later times are left to the next plan
     */
    public static Plan plan(MisfirePolicy policy, int misfireLimit, CronSchedule schedule, Instant cursor, Instant cutoff,
            Instant horizon) {
        // Cron times are whole seconds: every time at or after the cursor is after this instant.
        Instant from = cursor.minusMillis(1);
        List<Instant> fires = new ArrayList<>();
        long skipped = 0;
        if (cutoff.isAfter(from)) {
            CronSchedule.Window missed = switch (policy) {
                case FIRE_ONCE, SKIP -> schedule.between(from, cutoff, 1);
                case FIRE_ALL -> schedule.between(from, cutoff, misfireLimit);
            };
            skipped = missed.dropped();
            if (policy == MisfirePolicy.SKIP) {
                skipped += missed.times().size();
            } else {
                fires.addAll(missed.times());
            }
        }
        Instant onTimeFrom = cutoff.isAfter(from) ? cutoff : from;
        fires.addAll(schedule.between(onTimeFrom, horizon, ON_TIME_LIMIT).times());
        Instant next = schedule.nextAfter(horizon.isAfter(from) ? horizon : from);
        return new Plan(fires, skipped, next);
    }

    /** The classic plan at a takeover: owed times from the last fire up to now, nothing ahead. */
    public static Plan plan(JobDefinition job, CronSchedule schedule, Instant lastFire, Instant now, Duration threshold) {
        Instant cursor = cursor(job, schedule, lastFire);
        if (cursor == null) {
            return new Plan(List.of(), 0, null);
        }
        return plan(job.misfirePolicy(), job.misfireLimit(), schedule, cursor, now.minus(threshold), now);
    }

    /**
     * @param skipped owed times that the policy does not fire; after a very long outage of a frequent job
     *                it is a lower bound (see {@link CronSchedule#between})
     * @param next    the new cursor: the first time after the horizon, or null when the job never fires again
     */
    public record Plan(List<Instant> fires, long skipped, Instant next) {
    }
}
