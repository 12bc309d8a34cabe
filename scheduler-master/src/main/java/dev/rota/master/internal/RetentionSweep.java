package dev.rota.master.internal;

import dev.rota.db.Runs;
import dev.rota.db.Schedules;
import dev.rota.master.SchedulingConfig;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps history within bounds: walks the finished runs oldest first and deletes, one short transaction per
 * batch, those finished longer ago than the retention (with their attempts and events), keeping the newest
 * runs of each job. Batches are spaced out so that the sweep never competes with dispatch for long.
 * {@link #step} is one batch, stepped by hand in tests with an explicit database time.
 */
final class RetentionSweep implements Loop.Iteration {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    /** Pause between two batches of one sweep. */
    static final Duration BATCH_PAUSE = Duration.ofMillis(200);

    private final Schedules schedules;
    private final Runs runs;
    private final long epoch;
    private final SchedulingConfig config;
    private Schedules.PurgeMark mark;
    private Instant cutoff;
    private long sweptRuns;

    RetentionSweep(Schedules schedules, Runs runs, long epoch, SchedulingConfig config) {
        this.schedules = schedules;
        this.runs = runs;
        this.epoch = epoch;
        this.config = config;
    }

    /**
     * One batch of the current sweep, or the first of a new one.
     *
     * @param now the database clock: a new sweep deletes what finished before {@code now - keepFinishedFor}
     * @return whether the sweep goes on
     */
    boolean step(Instant now) {
        if (mark == null) {
            cutoff = now.minus(config.keepFinishedFor());
            sweptRuns = 0;
        }
        Schedules.Purge p = schedules.purgeFinished(epoch, cutoff, config.keepRunsPerJob(), config.retentionBatch(), mark);
        mark = p.next();
        sweptRuns += p.runs();
        if (mark == null && sweptRuns > 0) {
            log.info("retention: deleted {} runs finished before {}", sweptRuns, cutoff);
        }
        return mark != null;
    }

    @Override
    public void runOnce() throws InterruptedException {
        boolean more = step(mark == null ? runs.now() : cutoff);
        Thread.sleep((more ? BATCH_PAUSE : config.retentionInterval()).toMillis());
    }
}
