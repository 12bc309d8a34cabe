package dev.rota.master;

import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The typed facts of a {@link MasterEvent}, for consumers that count and label (metrics) rather than read
 * the free-text detail. Which record comes with which event is said on each record; every other event
 * comes with {@link #NONE}.
 */
public sealed interface EventFacts {
    /** No facts beyond the event itself. */
    EventFacts NONE = new None();

    /** See {@link #NONE}. */
    record None() implements EventFacts {
    }

    /** Why the master moved a run, for {@link Run#cause()}. */
    enum Cause {
        /** The dispatcher claimed it (RUN_QUEUED) or applied a concurrency policy (FIRE_SKIPPED, a REPLACE cancel). */
        DISPATCH,
        /** A worker's result (including RUN_STARTED and a retry after FAILED or TIMED_OUT). */
        RESULT,
        /** Its payload is over the cluster's limit: REJECTED without being sent. */
        PAYLOAD_TOO_LARGE,
        /** Its task message was dead-lettered by RabbitMQ: DEAD. */
        DEAD_LETTERED,
        /** It ran past its deadline with no result: TIMED_OUT or a retry. */
        DEADLINE_PASSED,
        /** It was not started before its starting deadline: SKIPPED. */
        STARTING_DEADLINE,
        /** Its worker left or went silent: a retry or a final state. */
        WORKER_LOST
    }

    /**
     * A run after the master changed it: RUN_QUEUED, RUN_STARTED, RUN_FINISHED, RUN_RESCHEDULED, FIRE_SKIPPED.
     *
     * @param job         the job's name, null for a one-off task
     * @param scheduledAt when it was meant to fire
     * @param startedAt   when its current attempt started, null when not started
     */
    record Run(long runId, int attempt, String team, String job, String taskType, RunState state,
            Instant scheduledAt, Instant startedAt, Cause cause) implements EventFacts {
        public Run {
            Objects.requireNonNull(team, "team");
            Objects.requireNonNull(taskType, "taskType");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * One batch the leader handled: DISPATCH_BATCH (attempts published in one dispatcher iteration) or
     * RESULT_BATCH (results applied in one transaction).
     *
     * @param size how many items the batch held
     * @param took from claiming (or polling) the batch to having handed it on
     */
    record Batch(int size, Duration took) implements EventFacts {
    }

    /** MISFIRES_SKIPPED: owed times of one job that its misfire policy did not fire (at least {@code count}). */
    record Misfires(String team, String job, long count) implements EventFacts {
    }
}
