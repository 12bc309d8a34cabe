package dev.rota.master.internal;

import dev.rota.db.JobDefinition;
import dev.rota.db.Schedules;
import dev.rota.db.Schedules.Change;
import dev.rota.db.Schedules.Cursor;
import dev.rota.db.Schedules.Decision;
import dev.rota.db.Schedules.Settlement;
import dev.rota.master.CronSchedule;
import dev.rota.master.InvalidScheduleException;
import dev.rota.master.MasterEvent;
import dev.rota.master.MasterListener;
import dev.rota.master.SchedulingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's scheduler: each pass (1) reports deleted jobs, (2) computes the cursor of every job whose
 * definition changed (plain SQL included), reading only the changed rows, and (3) records the fires due
 * within the lookahead as SCHEDULED runs and advances their cursors, one fenced transaction per page. The
 * dispatcher then claims each run at its due instant by the database clock, so nothing fires early and a
 * fire recorded ahead costs only its publish when due. Nothing per job is held in memory. Called from one
 * thread at a time; {@link #runOnce} is one pass, stepped by hand in tests.
 *
 * <p>Misfires: a time is missed when it is older than the misfire threshold and, in addition, older than
 * the start of this term. Times that fall due while this leader leads are fired late, never dropped (as a
 * Quartz trigger that ignores misfires would); the job's misfire policy decides only about times owed from
 * before the term (a crash, a failover) or from before a change of the job.
 */
final class SchedulePlanner {
    private static final Logger log = LoggerFactory.getLogger(SchedulePlanner.class);

    private final Schedules schedules;
    private final long epoch;
    private final SchedulingConfig config;
    private final Duration misfireThreshold;
    private final MasterListener events;
    private final Runnable firesRecorded;
    private Instant termStart;
    private boolean changesLeft;
    private boolean plansLeft;
    private boolean inheritedPlansReturned;

    /**
     * @param firesRecorded called after a page recorded fires (wakes the dispatcher); must not block
     */
    SchedulePlanner(Schedules schedules, long epoch, SchedulingConfig config, Duration misfireThreshold,
            MasterListener events, Runnable firesRecorded) {
        this.schedules = schedules;
        this.epoch = epoch;
        this.config = config;
        this.misfireThreshold = misfireThreshold;
        this.events = events;
        this.firesRecorded = firesRecorded;
    }

    /**
     * Sets when this term began by the database clock; by default the first pass's time. For tests that
     * step a term that began earlier.
     */
    void termStartedAt(Instant start) {
        this.termStart = start;
    }

    /**
     * What one pass did.
     *
     * @param changesLeft changed jobs or due jobs remained when the pass's time ran out: pass again at once
     * @param idleFor     how long the planner has nothing to do unless a job changes: until the next cursor
     *                    enters the lookahead, at most the configured longest wait
     */
    record Pass(int deletions, int changes, int planned, int fires, int inserted, boolean changesLeft,
            Duration idleFor) {
    }

    /**
     * How long a planner may sleep after a pass that left nothing to do, unless a change wakes it: until the
     * earliest cursor enters the lookahead, at most {@code maxWait}. A cursor already within the lookahead (its
     * job was held by another transaction) is looked at again after {@code retry}. No I/O.
     *
     * @param now        the database clock of the pass's last page
     * @param nextCursor the earliest cursor of any enabled job, or null when none
     */
    static Duration idleFor(Instant now, Instant nextCursor, Duration lookahead, Duration retry, Duration maxWait) {
        if (nextCursor == null) {
            return maxWait;
        }
        Duration untilDue = Duration.between(now, nextCursor.minus(lookahead));
        Duration wait = untilDue.isNegative() || untilDue.isZero() ? retry : untilDue;
        return wait.compareTo(maxWait) < 0 ? wait : maxWait;
    }

    /** One pass; returns at once when nothing is due or changed. */
    Pass runOnce() {
        if (!inheritedPlansReturned) {
            // Before the first plan (and before the dispatcher starts): fires an earlier leader recorded
            // ahead that are now missed go back to their misfire policy instead of being dispatched late.
            termStart = schedules.returnMissedPlans(epoch, termStart, misfireThreshold);
            inheritedPlansReturned = true;
        }
        int deletions = reportDeletions();
        int changes = settleChanges();
        int planned = 0;
        int fires = 0;
        int inserted = 0;
        Schedules.Page page;
        // Bounded too: a leader short of time still settles changes between its planning pages.
        long planUntil = System.nanoTime() + config.planInterval().toNanos();
        do {
            page = schedules.planDue(epoch, config.lookahead(), config.pageSize(), this::decide);
            planned += page.jobs();
            fires += page.fires();
            inserted += page.inserted();
            if (page.inserted() > 0) {
                firesRecorded.run();
            }
            for (Map.Entry<String, Long> e : page.skipped().entrySet()) {
                log.info("job {}: {} or more missed fire(s) not fired by its misfire policy", e.getKey(), e.getValue());
                String team = e.getKey().substring(0, Math.max(0, e.getKey().indexOf('/')));
                String job = e.getKey().substring(e.getKey().indexOf('/') + 1);
                events.on(MasterEvent.MISFIRES_SKIPPED, job + " " + e.getValue(),
                        new dev.rota.master.EventFacts.Misfires(team, job, e.getValue()));
            }
        } while (page.more() && System.nanoTime() < planUntil && !Thread.currentThread().isInterrupted());
        plansLeft = page.more();
        Duration idle = idleFor(page.now(), page.nextCursor(), config.lookahead(), config.planInterval(),
                config.maxPlanWait());
        return new Pass(deletions, changes, planned, fires, inserted, changesLeft || plansLeft, idle);
    }

    private Decision decide(Cursor c, Instant now, Instant horizon) {
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(c.cron(), c.timeZone());
        } catch (InvalidScheduleException e) {
            // Validated when its cursor was set; a rule that changed since (time zone data) stops it here.
            log.warn("job {}/{} cannot be planned: {}", c.team(), c.name(), e.getMessage());
            return new Decision(List.of(), null, 0);
        }
        Instant start = termStart == null || now.isBefore(termStart) ? now : termStart;
        MisfirePlanner.Plan plan = MisfirePlanner.plan(c.misfirePolicy(), c.misfireLimit(), schedule, c.nextFireAt(),
                start.minus(misfireThreshold), horizon);
        return new Decision(plan.fires(), plan.next(), plan.skipped());
    }

    private int reportDeletions() {
        int total = 0;
        List<Schedules.Deletion> deleted;
        do {
            deleted = schedules.takeDeletions(epoch, config.pageSize());
            for (Schedules.Deletion d : deleted) {
                log.debug("unscheduled job {}/{} ({}): deleted", d.team(), d.name(), d.jobId());
                events.on(MasterEvent.JOB_UNSCHEDULED, d.jobId() + " deleted");
            }
            total += deleted.size();
        } while (deleted.size() == config.pageSize());
        if (total > 0) {
            log.info("unscheduled {} deleted job(s)", total);
        }
        return total;
    }

    /**
     * Settles changed jobs page by page, for at most one planning interval per pass, so that a flood of new
     * jobs (a bulk insert) never holds up the fires of the jobs already planned.
     */
    private int settleChanges() {
        long until = System.nanoTime() + config.planInterval().toNanos();
        int total = 0;
        List<Change> changes;
        do {
            changes = schedules.changes(config.pageSize());
            List<Settlement> settlements = new ArrayList<>(changes.size());
            for (Change c : changes) {
                settlements.add(settle(c));
            }
            schedules.settle(epoch, settlements);
            total += changes.size();
        } while (changes.size() == config.pageSize() && System.nanoTime() < until
                && !Thread.currentThread().isInterrupted());
        if (total > 0) {
            log.info("planned {} changed job(s)", total);
        }
        changesLeft = changes.size() == config.pageSize();
        return total;
    }

    private Settlement settle(Change change) {
        JobDefinition job = change.job();
        if (!job.enabled()) {
            log.debug("unscheduled job {}/{} ({}): disabled", job.team(), job.name(), job.id());
            events.on(MasterEvent.JOB_UNSCHEDULED, job.id() + " disabled");
            return new Settlement(job.id(), change.changeSeq(), null, job.scheduleError());
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(job.cron(), job.timeZone());
        } catch (InvalidScheduleException e) {
            log.warn("job {}/{} cannot be scheduled: {}", job.team(), job.name(), e.getMessage());
            events.on(MasterEvent.JOB_INVALID, job.name() + ": " + e.getMessage());
            return new Settlement(job.id(), change.changeSeq(), null, e.getMessage());
        }
        Instant cursor = MisfirePlanner.cursor(job, schedule, change.lastFire());
        log.debug("scheduled job {}/{} v{} '{}' {} -> {}, next fire {}", job.team(), job.name(), job.version(),
                job.cron(), job.timeZone(), job.taskType(), cursor);
        events.on(MasterEvent.JOB_SCHEDULED, job.name());
        return new Settlement(job.id(), change.changeSeq(), cursor, null);
    }
}
