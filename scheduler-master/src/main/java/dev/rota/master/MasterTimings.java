package dev.rota.master;

import java.time.Duration;

/**
 * The master's intervals and grace periods. Tests shorten them; defaults suit production.
 *
 * @param resultLockWait    how long applying a result waits for a run's row that another transaction holds; a
 *                          result still blocked is set aside and retried, so one held row holds up no other result
 * @param duePollInterval   how often the leader looks for due delayed tasks and retries that no announcement
 *                          woke it for (the database announces each run made due, so this is a safety net)
 * @param republishAfter    how long a dispatched message may stay unconfirmed before the outbox republishes it
 * @param confirmTimeout    how long the dispatcher waits for broker confirms of one batch
 * @param deadlineGrace     added to a job's timeout before the leader declares a silent run TIMED_OUT
 * @param workerLostGrace   how long after a worker leaves ZooKeeper its runs are rescheduled
 * @param workerSilence     a running attempt without heartbeat for this long is rescheduled
 * @param misfireThreshold  how late a fire may be and still count as on time rather than missed
 * @param sweepInterval     how often timeouts and lost workers are checked
 * @param dispatchAhead     how long before their due time the leader claims due runs in the database, so that
 *                          at the due time only the publish is left; zero claims them only once due. Fires of
 *                          jobs with a concurrency policy other than ALLOW are always claimed once due
 * @param maxIdleInterval   how far the leader's loops that keep finding nothing (the sweep, the late-fire check,
 *                          the event outbox, the alert sender, the settings keeper) back off from their own
 *                          interval; the first pass that finds something brings a loop back to it. A timed-out run
 *                          or a starting deadline is then noticed up to this late while the leader is idle; lost
 *                          workers are not (a worker leaving brings the sweep back to its interval)
 */
public record MasterTimings(
        Duration resultLockWait,
        Duration duePollInterval,
        Duration republishAfter,
        Duration confirmTimeout,
        Duration deadlineGrace,
        Duration workerLostGrace,
        Duration workerSilence,
        Duration misfireThreshold,
        Duration sweepInterval,
        Duration dispatchAhead,
        Duration maxIdleInterval) {

    /** Runs claimed ahead are published at their due time; more than this would be a schedule, not a claim. */
    public static final Duration MAX_DISPATCH_AHEAD = Duration.ofSeconds(5);
    private static final Duration DEFAULTS_DISPATCH_AHEAD = Duration.ofMillis(250);
    private static final Duration DEFAULTS_MAX_IDLE_INTERVAL = Duration.ofSeconds(5);

    public static final MasterTimings DEFAULTS = new MasterTimings(Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), DEFAULTS_DISPATCH_AHEAD,
            DEFAULTS_MAX_IDLE_INTERVAL);

    public MasterTimings {
        positive("resultLockWait", resultLockWait);
        positive("duePollInterval", duePollInterval);
        positive("republishAfter", republishAfter);
        positive("confirmTimeout", confirmTimeout);
        positive("deadlineGrace", deadlineGrace);
        positive("workerLostGrace", workerLostGrace);
        positive("workerSilence", workerSilence);
        positive("misfireThreshold", misfireThreshold);
        positive("sweepInterval", sweepInterval);
        if (dispatchAhead == null || dispatchAhead.isNegative() || dispatchAhead.compareTo(MAX_DISPATCH_AHEAD) > 0) {
            throw new IllegalArgumentException("dispatchAhead must be between 0 and " + MAX_DISPATCH_AHEAD + ", was "
                    + dispatchAhead);
        }
        positive("maxIdleInterval", maxIdleInterval);
    }

    /** The timings of a master before {@code dispatchAhead} and {@code maxIdleInterval} existed: their defaults. */
    public MasterTimings(Duration resultLockWait, Duration duePollInterval, Duration republishAfter,
            Duration confirmTimeout, Duration deadlineGrace, Duration workerLostGrace, Duration workerSilence,
            Duration misfireThreshold, Duration sweepInterval) {
        this(resultLockWait, duePollInterval, republishAfter, confirmTimeout, deadlineGrace, workerLostGrace,
                workerSilence, misfireThreshold, sweepInterval, DEFAULTS_DISPATCH_AHEAD, DEFAULTS_MAX_IDLE_INTERVAL);
    }

    /** These timings with another {@code dispatchAhead}. */
    public MasterTimings withDispatchAhead(Duration d) {
        return new MasterTimings(resultLockWait, duePollInterval, republishAfter, confirmTimeout, deadlineGrace,
                workerLostGrace, workerSilence, misfireThreshold, sweepInterval, d, maxIdleInterval);
    }

    static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** These timings with another {@code duePollInterval}. */
    public MasterTimings withDuePollInterval(Duration d) {
        return new MasterTimings(resultLockWait, d, republishAfter, confirmTimeout, deadlineGrace, workerLostGrace,
                workerSilence, misfireThreshold, sweepInterval, dispatchAhead, maxIdleInterval);
    }

    /** These timings with another {@code republishAfter}. */
    public MasterTimings withRepublishAfter(Duration d) {
        return new MasterTimings(resultLockWait, duePollInterval, d, confirmTimeout, deadlineGrace, workerLostGrace,
                workerSilence, misfireThreshold, sweepInterval, dispatchAhead, maxIdleInterval);
    }

    /** Short intervals for tests and the demo: everything reacts within about a second. */
    public static MasterTimings fast() {
        return new MasterTimings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofMillis(300)).withMaxIdleInterval(Duration.ofSeconds(1));
    }

    /** These timings with another {@code maxIdleInterval}. */
    public MasterTimings withMaxIdleInterval(Duration d) {
        return new MasterTimings(resultLockWait, duePollInterval, republishAfter, confirmTimeout, deadlineGrace,
                workerLostGrace, workerSilence, misfireThreshold, sweepInterval, dispatchAhead, d);
    }
}
