package dev.rota.db;

import dev.rota.model.MisfirePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The leader's schedule, kept in the {@code job} rows: each enabled, valid job carries its cursor
 * ({@code next_fire_at}, the first cron time not yet recorded as a run), and a change counter tells which
 * definitions changed since the leader last computed their cursor. The leader's memory then follows the
 * fires due in the next few seconds, not the jobs defined. The cron rules themselves are the caller's
 * (a {@link Planner}); this store only reads and writes. Every method taking an {@code epoch} is one
 * transaction fenced like {@link Runs}' writers ({@link FencedException}).
 */
public interface Schedules {

    /**
     * A job whose definition changed (inserted, updated with SQL or the API) since its cursor was computed.
     *
     * @param changeSeq the change being answered: {@link #settle} applies only if the job did not change again
     * @param lastFire  the latest scheduled time of any run of the job, or null
     */
    record Change(JobDefinition job, long changeSeq, Instant lastFire) {
    }

    /**
     * The leader's verdict on a {@link Change}.
     *
     * @param nextFireAt    the new cursor, or null when the job is not to fire (disabled, invalid, never again)
     * @param scheduleError why the job cannot be scheduled, or null
     */
    record Settlement(long jobId, long changeSeq, Instant nextFireAt, String scheduleError) {
    }

    /** A deleted job, reported once. */
    record Deletion(long jobId, String team, String name) {
    }

    /** An enabled job whose cursor falls within the planning horizon. */
    record Cursor(long jobId, String team, String name, String cron, String timeZone, MisfirePolicy misfirePolicy,
            int misfireLimit, Instant nextFireAt) {
    }

    /**
     * What to record for one {@link Cursor}.
     *
     * @param fires      the scheduled times to record as runs, oldest first
     * @param nextFireAt the new cursor (the first cron time after everything decided), or null when the job
     *                   never fires again
     * @param skipped    owed times that the misfire policy does not fire
     */
    record Decision(List<Instant> fires, Instant nextFireAt, long skipped) {
        public Decision {
            fires = List.copyOf(fires);
        }
    }

    /**
     * Decides a job's fires from its durable cursor; called inside the planning transaction, so it must
     * be quick and pure.
     */
    @FunctionalInterface
    interface Planner {
        /**
         * @param horizon plan every time up to this instant (the database clock plus the lookahead)
         * @param now     the database clock
         */
        Decision decide(Cursor cursor, Instant now, Instant horizon);
    }

    /**
     * @param jobs     jobs planned (their cursor advanced)
     * @param fires    fires decided
     * @param inserted runs inserted (less than {@code fires} when some were recorded before)
     * @param skipped  per job name, owed times the misfire policy did not fire (only jobs that skipped)
     * @param now      the database clock of the transaction
     * @param more     whether more jobs may be due within the horizon (the page was full)
     * @param nextCursor the earliest cursor of any enabled job once this page is planned (null when none): the
     *                 next page is due when it enters the lookahead, unless a job changes first
     */
    record Page(int jobs, int fires, int inserted, java.util.Map<String, Long> skipped, Instant now, boolean more,
            Instant nextCursor) {
    }

    /** Up to {@code limit} changed jobs, oldest change first (an index scan over the changed rows only). */
    List<Change> changes(int limit);

    /**
     * Records the cursors (and schedule errors) of changed jobs; a job that changed again meanwhile is
     * left for the next pass. Fenced.
     *
     * @return how many settled
     */
    int settle(long epoch, List<Settlement> settlements);

    /** Reports and forgets up to {@code limit} job deletions, oldest first. Fenced. */
    List<Deletion> takeDeletions(long epoch, int limit);

    /**
     * One planning page, in one transaction: locks up to {@code limit} enabled jobs whose cursor is at or
     * before the database clock plus {@code lookahead} (skipping jobs another transaction holds), asks the
     * planner for each job's fires, inserts them as SCHEDULED runs due at their scheduled time (a fire
     * recorded before is left alone), and advances each cursor. Nothing is dispatched here:
     * {@link Runs#claimDue} dispatches each run at its due instant by the database clock. Fenced.
     */
    Page planDue(long epoch, Duration lookahead, int limit, Planner planner);

    /**
     * Gives the fires a new term inherits too late back to their jobs' misfire policy. Fires recorded
     * ahead by an earlier leader (SCHEDULED, never dispatched) of enabled SKIP and FIRE_ONCE jobs, due
     * before {@code termStart} minus {@code threshold}, are deleted, and each job's cursor moves back to the
     * earliest of them: the next {@link #planDue} then counts them among the missed times, which the policy
     * skips or folds into one catch-up, as if they had never been recorded. FIRE_ALL jobs keep theirs.
     * Fenced.
     *
     * @param termStart when the term began by the database clock, or null for now
     * @return the term start used
     */
    Instant returnMissedPlans(long epoch, Instant termStart, Duration threshold);

    /**
     * Deletes up to {@code batch} finished runs (with their attempts and events) that finished before
     * {@code finishedBefore}, oldest first, keeping the newest {@code keepPerJob} runs of every job. One short
     * transaction. Fenced.
     *
     * @param after where the previous batch of this sweep stopped, or null to start from the oldest
     * @return what was deleted and where the next batch starts (null {@code next} when the sweep is done)
     */
    Purge purgeFinished(long epoch, Instant finishedBefore, int keepPerJob, int batch, PurgeMark after);

    /** A position in the walk over finished runs, oldest first. */
    record PurgeMark(Instant finishedAt, long runId) {
    }

    record Purge(int runs, int events, PurgeMark next) {
    }
}
