package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.JOB;
import static dev.rota.db.internal.jooq.Tables.RUN;

import dev.rota.db.RunView;
import dev.rota.db.Runs;
import dev.rota.db.TaskSubmission;
import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.ResultMessage;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The {@code run} table through jOOQ: the dispatch path. Results are applied by {@link ResultApplier}. */
public final class JooqRuns implements Runs {
    /** Dispatches beyond max_attempts that a run may spend on lost workers before it is declared DEAD. */
    static final int LOST_ATTEMPT_ALLOWANCE = 5;

    /**
     * A broker worker that declared it cannot heartbeat while a handler runs (one thread, as PHP) is never
     * judged silent mid-task: broker redelivery and the task's timeout bound its tasks instead.
     */
    private static final Condition HEARTBEATS_WHILE_RUNNING = DSL.condition("NOT EXISTS (SELECT 1 FROM broker_worker b"
            + " WHERE b.id = run.worker_id AND NOT b.heartbeats_while_running)");

    private final DSLContext dsl;
    private final ResultApplier results;

    public JooqRuns(DSLContext dsl) {
        this(dsl, () -> ThreadLocalRandom.current().nextDouble());
    }

    JooqRuns(DSLContext dsl, DoubleSupplier jitter) {
        this.dsl = dsl;
        this.results = new ResultApplier(jitter);
    }

    /**
     * Cancels an in-flight run that the REPLACE policy replaces by the fire at {@code replacedBy}, through
     * RunState's transition table, closing its attempt.
     */
    private static RunRecord cancelReplaced(DSLContext tx, RunRecord r, OffsetDateTime now, Instant replacedBy) {
        RunState from = RunState.valueOf(r.getState());
        from.transitionTo(RunState.CANCELLED);
        RunRecord c = tx.update(RUN)
                .set(RUN.STATE, RunState.CANCELLED.name())
                .set(RUN.FINISHED_AT, now)
                .set(RUN.ERROR, "cancelled by concurrency policy REPLACE: replaced by the fire at " + replacedBy)
                .where(RUN.ID.eq(r.getId()), RUN.STATE.eq(from.name()))
                .returning().fetchOne();
        Transitions.requireOne(c, r.getId(), from, RunState.CANCELLED);
        Transitions.closeAttempt(tx, c.getId(), c.getAttempt(), "CANCELLED", null, now, c.getError());
        return c;
    }


    @Override
    public Claim claim(long epoch, int limit, Duration ahead) {
        if (ahead.isNegative()) {
            throw new IllegalArgumentException("ahead must not be negative, was " + ahead);
        }
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            OffsetDateTime now = now(tx);
            // Selected first, not as "id IN (subquery)": PostgreSQL may rescan such a subquery, and a rescan
            // of LIMIT ... FOR UPDATE SKIP LOCKED skips the rows this statement already updated and returns
            // the next ones, so the update would claim every due run regardless of the limit.
            List<org.jooq.Record> due = tx.resultQuery("SELECT r.id, r.job_id, r.attempt, r.scheduled_at,"
                    + " j.concurrency_policy FROM run r LEFT JOIN job j ON j.id = r.job_id"
                    + " WHERE r.state = 'SCHEDULED' AND r.due_at <= {0} + {2} * interval '1 millisecond'"
                    + " AND (r.due_at <= {0} OR r.attempt > 0 OR coalesce(j.concurrency_policy, 'ALLOW') = 'ALLOW')"
                    + " ORDER BY r.due_at LIMIT {1} FOR UPDATE OF r SKIP LOCKED",
                    DSL.val(now), DSL.val(limit), DSL.val(ahead.toMillis())).fetch();
            if (due.isEmpty()) {
                return new Claim(List.of(), List.of(), List.of());
            }
            List<Long> plain = new ArrayList<>();
            java.util.Map<Long, List<org.jooq.Record>> gated = new java.util.TreeMap<>();
            for (org.jooq.Record r : due) {
                String policy = r.get("concurrency_policy", String.class);
                boolean firstDispatchOfAFire = r.get("attempt", Integer.class) == 0 && r.get("job_id", Long.class) != null;
                if (firstDispatchOfAFire && policy != null && !ConcurrencyPolicy.ALLOW.name().equals(policy)) {
                    gated.computeIfAbsent(r.get("job_id", Long.class), k -> new ArrayList<>()).add(r);
                } else {
                    plain.add(r.get("id", Long.class));
                }
            }
            List<RunView> queued = new ArrayList<>(claimRows(tx, plain, epoch, now));
            if (gated.isEmpty()) {
                return new Claim(queued, List.of(), List.of());
            }
            return new PolicyClaim(tx, epoch, now, queued).apply(gated);
        });
    }

    /**
     * Moves locked SCHEDULED runs to QUEUED at their next attempt and opens the attempts: one statement each.
     * A run claimed before its due time is recorded as dispatched at its due time, when it is published.
     */
    private static List<RunView> claimRows(DSLContext tx, List<Long> ids, long epoch, OffsetDateTime now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<RunRecord> claimed = tx.update(RUN)
                .set(RUN.STATE, RunState.SCHEDULED.transitionTo(RunState.QUEUED).name())
                .set(RUN.ATTEMPT, RUN.ATTEMPT.plus(1))
                .set(RUN.EPOCH, epoch)
                .set(RUN.PUBLISHED, false)
                .set(RUN.DISPATCHED_AT, DSL.greatest(DSL.val(now), RUN.DUE_AT))
                .setNull(RUN.WORKER_ID)
                .setNull(RUN.STARTED_AT)
                .set(RUN.DELIVERIES, 0)
                .setNull(RUN.HEARTBEAT_AT)
                .setNull(RUN.DEADLINE_AT)
                .where(RUN.ID.in(ids), RUN.STATE.eq(RunState.SCHEDULED.name()))
                .returning().fetch();
        if (claimed.size() != ids.size()) {
            throw new IllegalStateException("claimed " + claimed.size() + " of " + ids.size()
                    + " locked due runs: the conditional update must match every locked row");
        }
        Transitions.openAttempts(tx, claimed, epoch, now);
        // RETURNING promises no order: hand the runs over in due order, as they were selected.
        java.util.Map<Long, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
        return claimed.stream().sorted(java.util.Comparator.comparing(r -> position.get(r.getId())))
                .map(Mapping::run).toList();
    }

    /**
     * The concurrency policies of FORBID and REPLACE jobs, applied at a fire's first dispatch. Job rows are
     * locked in id order and without waiting (the claimed run rows are already locked, and a job deletion
     * takes the job first and the runs second), so a claim never waits on a job while holding runs.
     */
    private static final class PolicyClaim {
        private final DSLContext tx;
        private final long epoch;
        private final OffsetDateTime now;
        private final List<RunView> queued;
        private final List<RunView> skipped = new ArrayList<>();
        private final List<RunView> cancelled = new ArrayList<>();

        PolicyClaim(DSLContext tx, long epoch, OffsetDateTime now, List<RunView> queued) {
            this.tx = tx;
            this.epoch = epoch;
            this.now = now;
            this.queued = queued;
        }

        Claim apply(java.util.Map<Long, List<org.jooq.Record>> gated) {
            List<Long> locked = tx.select(JOB.ID).from(JOB).where(JOB.ID.in(gated.keySet())).orderBy(JOB.ID)
                    .forNoKeyUpdate().skipLocked().fetch(JOB.ID);
            for (Long jobId : locked) {
                List<org.jooq.Record> fires = new ArrayList<>(gated.get(jobId));
                fires.sort(java.util.Comparator.comparing(r -> r.get("scheduled_at", OffsetDateTime.class)));
                ConcurrencyPolicy policy = ConcurrencyPolicy.valueOf(fires.get(0).get("concurrency_policy", String.class));
                for (org.jooq.Record fire : fires) {
                    decide(jobId, policy, fire.get("id", Long.class), fire.get("scheduled_at", OffsetDateTime.class));
                }
            }
            return new Claim(queued, skipped, cancelled);
        }

        private void decide(long jobId, ConcurrencyPolicy policy, long runId, OffsetDateTime at) {
            // Every in-flight run of the job, not only older ones: an older fire (a re-run, an owed fire) must
            // not overlap a newer run. A retry waiting in SCHEDULED is in flight; a fire never dispatched is not.
            List<RunRecord> inFlight = tx.selectFrom(RUN)
                    .where(RUN.JOB_ID.eq(jobId), RUN.ID.ne(runId),
                            RUN.STATE.in(names(RunState.QUEUED, RunState.RUNNING))
                                    .or(RUN.STATE.eq(RunState.SCHEDULED.name()).and(RUN.ATTEMPT.gt(0))))
                    .orderBy(RUN.ID)
                    .forUpdate().fetch();
            // Locked in id order like every other writer; considered in time order.
            inFlight.sort(java.util.Comparator.comparing(RunRecord::getScheduledAt));
            RunRecord newer = inFlight.stream().filter(r -> r.getScheduledAt().isAfter(at)).findFirst().orElse(null);
            String skip = null;
            if (!inFlight.isEmpty() && policy == ConcurrencyPolicy.FORBID) {
                skip = "skipped by concurrency policy FORBID: run " + inFlight.get(0).getId() + " is still "
                        + inFlight.get(0).getState();
            } else if (newer != null) {
                skip = "skipped by concurrency policy REPLACE: run " + newer.getId() + " of the later fire at "
                        + newer.getScheduledAt().toInstant() + " is already " + newer.getState();
            }
            if (skip != null) {
                RunRecord s = tx.update(RUN)
                        .set(RUN.STATE, RunState.SCHEDULED.transitionTo(RunState.SKIPPED).name())
                        .set(RUN.FINISHED_AT, now)
                        .set(RUN.ERROR, skip)
                        .where(RUN.ID.eq(runId), RUN.STATE.eq(RunState.SCHEDULED.name()))
                        .returning().fetchOne();
                skipped.add(Mapping.run(Transitions.requireOne(s, runId, RunState.SCHEDULED, RunState.SKIPPED)));
                return;
            }
            for (RunRecord r : inFlight) {
                RunRecord c = cancelReplaced(tx, r, now, at.toInstant());
                // One claimed earlier in this batch was never published: it is cancelled, not queued.
                queued.removeIf(q -> q.id() == c.getId());
                cancelled.add(Mapping.run(c));
            }
            queued.addAll(claimRows(tx, List.of(runId), epoch, now));
        }
    }

    @Override
    public Optional<Instant> nextDueAt() {
        return Optional.ofNullable(dsl.select(DSL.min(RUN.DUE_AT)).from(RUN)
                .where(RUN.STATE.eq(RunState.SCHEDULED.name())).fetchOne(0, OffsetDateTime.class)).map(Mapping::instant);
    }

    /** Attempts marked per statement: large batches are split so that no statement grows without bound. */
    static final int MARK_PUBLISHED_CHUNK = 5_000;

    @Override
    public List<AttemptRef> markPublished(List<AttemptRef> attempts) {
        List<AttemptRef> held = new ArrayList<>();
        for (int from = 0; from < attempts.size(); from += MARK_PUBLISHED_CHUNK) {
            held.addAll(markPublishedChunk(attempts.subList(from, Math.min(attempts.size(), from + MARK_PUBLISHED_CHUNK))));
        }
        return held;
    }

    /**
     * The (id, attempt) pairs travel as two arrays joined through {@code unnest}: a row-value IN list of
     * thousands of pairs made PostgreSQL fail with "stack depth limit exceeded", the confirms were lost,
     * and the outbox published delivered messages again. Rows another transaction holds are skipped, not
     * waited for: the results consumer locks the rows it can at once and waits briefly for the rest, so a
     * marker that waited too could hold rows the results wait for while it waits for theirs, and both stall
     * for the results' whole lock wait. The skipped pairs are returned (the last select sees the statement's
     * snapshot, so the rows just updated are excluded by id). The pairs keep a newer attempt of the same
     * run, whose message may not be out yet, unpublished.
     */
    private List<AttemptRef> markPublishedChunk(List<AttemptRef> attempts) {
        Long[] ids = new Long[attempts.size()];
        Integer[] numbers = new Integer[attempts.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = attempts.get(i).runId();
            numbers[i] = attempts.get(i).attempt();
        }
        return dsl.fetch("WITH confirmed(id, attempt) AS (SELECT * FROM unnest({1}, {2})), "
                + "locked AS (SELECT r.id FROM {0} r JOIN confirmed c ON r.id = c.id AND r.attempt = c.attempt "
                + "WHERE NOT r.published ORDER BY r.id FOR UPDATE OF r SKIP LOCKED), "
                + "marked AS (UPDATE {0} SET published = true FROM locked WHERE {0}.id = locked.id RETURNING {0}.id) "
                + "SELECT c.id, c.attempt FROM confirmed c JOIN {0} r ON r.id = c.id AND r.attempt = c.attempt "
                + "WHERE NOT r.published AND c.id NOT IN (SELECT id FROM marked)",
                RUN, DSL.val(ids), DSL.val(numbers))
                .map(r -> new AttemptRef(r.get(0, Long.class), r.get(1, Integer.class)));
    }

    @Override
    public List<RunView> unpublished(Duration olderThan, int limit) {
        return dsl.selectFrom(RUN)
                .where(RUN.STATE.eq(RunState.QUEUED.name()), RUN.PUBLISHED.isFalse(),
                        RUN.DISPATCHED_AT.lt(now(dsl).minus(olderThan)))
                .orderBy(RUN.DISPATCHED_AT).limit(limit)
                .fetch(Mapping::run);
    }

    @Override
    public List<RunView> unpublishedOfEarlierTerms(long epoch, int limit) {
        return dsl.selectFrom(RUN)
                .where(RUN.STATE.eq(RunState.QUEUED.name()), RUN.PUBLISHED.isFalse(), RUN.EPOCH.lt(epoch))
                .orderBy(RUN.DUE_AT, RUN.ID).limit(limit)
                .fetch(Mapping::run);
    }

    @Override
    public List<ResultOutcome> applyResults(long epoch, List<ResultMessage> messages, Duration deadlineGrace,
            Duration lockWait) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            OffsetDateTime now = now(tx);
            return results.apply(tx, now, messages, deadlineGrace, lockWait);
        });
    }

    @Override
    public boolean anyInFlight() {
        // The partial index run_in_flight_idx holds exactly these rows: one index probe.
        return dsl.fetchExists(dsl.selectOne().from(RUN).where(RUN.STATE.in(RunState.QUEUED.name(), RunState.RUNNING.name())));
    }

    @Override
    public List<RunView> expireOverdue(long epoch, int limit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            OffsetDateTime now = now(tx);
            List<RunRecord> overdue = tx.selectFrom(RUN)
                    .where(RUN.STATE.eq(RunState.RUNNING.name()), RUN.DEADLINE_AT.lt(now))
                    .orderBy(RUN.DEADLINE_AT).limit(limit).forUpdate().skipLocked().fetch();
            return results.timeOut(tx, now, overdue);
        });
    }

    @Override
    public List<RunView> rescheduleLost(long epoch, String workerId, Instant silentSince) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            OffsetDateTime now = now(tx);
            // A redelivered attempt is RabbitMQ's to finish or dead-letter: dispatching it again as well
            // would double a poison message each time it kills a worker.
            Condition which = workerId != null ? RUN.WORKER_ID.eq(workerId).and(RUN.DELIVERIES.le(1))
                    : RUN.HEARTBEAT_AT.lt(Mapping.offset(silentSince)).and(HEARTBEATS_WHILE_RUNNING);
            List<RunRecord> lost = tx.selectFrom(RUN)
                    .where(RUN.STATE.eq(RunState.RUNNING.name()), which)
                    .forUpdate().skipLocked().fetch();
            List<RunView> out = new ArrayList<>();
            for (RunRecord r : lost) {
                String why = "worker " + r.getWorkerId() + (workerId != null ? " left the cluster" : " went silent");
                Transitions.closeAttempt(tx, r.getId(), r.getAttempt(), "LOST", r.getWorkerId(), now, why);
                boolean exhausted = r.getAttempt() >= r.getMaxAttempts() + LOST_ATTEMPT_ALLOWANCE;
                RunState to = RunState.RUNNING.transitionTo(exhausted ? RunState.DEAD : RunState.SCHEDULED);
                RunRecord c = tx.update(RUN)
                        .set(RUN.STATE, to.name())
                        .set(RUN.DUE_AT, now)
                        .set(RUN.ERROR, exhausted ? why + "; lost " + r.getAttempt() + " times, giving up" : why)
                        .set(RUN.FINISHED_AT, exhausted ? now : null)
                        .where(RUN.ID.eq(r.getId()), RUN.STATE.eq(RunState.RUNNING.name()), RUN.ATTEMPT.eq(r.getAttempt()))
                        .returning().fetchOne();
                out.add(Mapping.run(Transitions.requireOne(c, r.getId(), RunState.RUNNING, to)));
            }
            return out;
        });
    }

    @Override
    public List<RunView> markDeadLettered(long epoch, List<AttemptRef> attempts, String reason) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            OffsetDateTime now = now(tx);
            List<RunView> out = new ArrayList<>();
            for (AttemptRef a : attempts) {
                RunRecord c = tx.update(RUN)
                        .set(RUN.STATE, RunState.DEAD.name())
                        .set(RUN.FINISHED_AT, now)
                        .set(RUN.ERROR, reason)
                        .setNull(RUN.DEADLINE_AT)
                        .where(RUN.ID.eq(a.runId()), RUN.ATTEMPT.eq(a.attempt()),
                                RUN.STATE.in(names(RunState.QUEUED, RunState.RUNNING)))
                        .returning().fetchOne();
                if (c != null) {
                    Transitions.closeAttempt(tx, a.runId(), a.attempt(), "FAILED", null, now, reason);
                    out.add(Mapping.run(c));
                }
            }
            return out;
        });
    }

    @Override
    public List<RunView> skipPastStartingDeadline(long epoch, int limit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            OffsetDateTime now = now(tx);
            Condition late = RUN.STARTING_DEADLINE_MS.isNotNull()
                    .and(DSL.field("{0} + {1} * interval '1 millisecond'", OffsetDateTime.class, RUN.DUE_AT,
                            RUN.STARTING_DEADLINE_MS).lt(now))
                    .and(RUN.STATE.eq(RunState.SCHEDULED.name())
                            .or(RUN.STATE.eq(RunState.QUEUED.name()).and(RUN.PUBLISHED.isFalse())));
            List<RunRecord> locked = tx.selectFrom(RUN).where(late).orderBy(RUN.ID).limit(limit)
                    .forUpdate().skipLocked().fetch();
            List<RunView> out = new ArrayList<>(locked.size());
            for (RunRecord r : locked) {
                RunState from = RunState.valueOf(r.getState());
                from.transitionTo(RunState.SKIPPED);
                Instant startBy = r.getDueAt().toInstant().plusMillis(r.getStartingDeadlineMs());
                String why = "skipped: not started by its starting deadline " + startBy + " (due " + r.getDueAt().toInstant()
                        + " + " + Duration.ofMillis(r.getStartingDeadlineMs()) + "); the leader still had it " + from;
                RunRecord c = tx.update(RUN)
                        .set(RUN.STATE, RunState.SKIPPED.name())
                        .set(RUN.FINISHED_AT, now)
                        .set(RUN.ERROR, why)
                        .where(RUN.ID.eq(r.getId()), RUN.STATE.eq(from.name()), RUN.ATTEMPT.eq(r.getAttempt()))
                        .returning().fetchOne();
                Transitions.requireOne(c, r.getId(), from, RunState.SKIPPED);
                if (from == RunState.QUEUED) {
                    Transitions.closeAttempt(tx, r.getId(), r.getAttempt(), "SKIPPED", null, now, why);
                }
                out.add(Mapping.run(c));
            }
            return out;
        });
    }

    @Override
    public java.util.Map<String, TaskTypeActivity> activity(Duration window) {
        var since = DSL.field("clock_timestamp() - {0} * interval '1 millisecond'", OffsetDateTime.class,
                DSL.val(window.toMillis()));
        var queued = DSL.count().filterWhere(RUN.STATE.eq(RunState.QUEUED.name()));
        var started = DSL.count().filterWhere(RUN.STARTED_AT.ge(since));
        java.util.Map<String, TaskTypeActivity> out = new java.util.TreeMap<>();
        // The partial indexes cover QUEUED rows; started rows in the window are recent, found by started_at.
        dsl.select(RUN.TASK_TYPE, queued, started).from(RUN)
                .where(RUN.STATE.eq(RunState.QUEUED.name()).or(RUN.STARTED_AT.ge(since)))
                .groupBy(RUN.TASK_TYPE)
                .forEach(r -> out.put(r.value1(), new TaskTypeActivity(r.value1(), r.value2(), r.value3())));
        return out;
    }

    @Override
    public ActiveCounts activeCounts() {
        java.util.Map<RunState, Long> byState = new java.util.EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) {
            if (!s.isFinal()) {
                byState.put(s, 0L);
            }
        }
        var unpublished = DSL.count().filterWhere(RUN.STATE.eq(RunState.QUEUED.name()).and(RUN.PUBLISHED.isFalse()));
        long[] outbox = {0};
        dsl.select(RUN.STATE, DSL.count(), unpublished).from(RUN)
                .where(RUN.STATE.in(names(byState.keySet().toArray(RunState[]::new))))
                .groupBy(RUN.STATE)
                .forEach(r -> {
                    byState.put(RunState.valueOf(r.value1()), r.value2().longValue());
                    outbox[0] += r.value3();
                });
        return new ActiveCounts(java.util.Collections.unmodifiableMap(byState), outbox[0]);
    }

    @Override
    public Optional<Instant> lastFireTime(long jobId) {
        return Optional.ofNullable(dsl.select(DSL.max(RUN.SCHEDULED_AT)).from(RUN).where(RUN.JOB_ID.eq(jobId))
                .fetchOne(0, OffsetDateTime.class)).map(Mapping::instant);
    }

    @Override
    public RunView submit(TaskSubmission s) {
        RunRecord r = dsl.insertInto(RUN)
                .set(RUN.TEAM, s.team())
                .set(RUN.TASK_TYPE, s.taskType())
                .set(RUN.PAYLOAD, Mapping.jsonb(s.payload()))
                .set(RUN.SCHEDULED_AT, Mapping.offset(s.runAt()))
                .set(RUN.DUE_AT, Mapping.offset(s.runAt()))
                .set(RUN.STATE, RunState.SCHEDULED.name())
                .set(RUN.MAX_ATTEMPTS, s.retryPolicy().maxAttempts())
                .set(RUN.RETRY_INITIAL_MS, s.retryPolicy().initialDelay().toMillis())
                .set(RUN.RETRY_MULTIPLIER, s.retryPolicy().multiplier())
                .set(RUN.RETRY_MAX_MS, s.retryPolicy().maxDelay().toMillis())
                .set(RUN.TIMEOUT_MS, Mapping.millis(s.timeout()))
                .set(RUN.IDEMPOTENCY_KEY, s.idempotencyKey())
                .set(RUN.STARTING_DEADLINE_MS, Mapping.millis(s.startingDeadline()))
                .set(RUN.TRACEPARENT, s.traceparent())
                .onConflict(RUN.IDEMPOTENCY_KEY).doNothing()
                .returning().fetchOne();
        if (r == null) {
            r = dsl.selectFrom(RUN).where(RUN.IDEMPOTENCY_KEY.eq(s.idempotencyKey())).fetchSingle();
        }
        return Mapping.run(r);
    }

    /** Submissions per INSERT statement in {@link #submitAll}: keeps each statement's bind count bounded. */
    static final int SUBMIT_CHUNK = 1_000;

    @Override
    public List<RunView> submitAll(List<TaskSubmission> submissions) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<RunView> out = new ArrayList<>(submissions.size());
            for (int from = 0; from < submissions.size(); from += SUBMIT_CHUNK) {
                out.addAll(submitChunk(tx, submissions.subList(from, Math.min(submissions.size(), from + SUBMIT_CHUNK))));
            }
            return out;
        });
    }

    private static List<RunView> submitChunk(DSLContext tx, List<TaskSubmission> chunk) {
        var insert = tx.insertInto(RUN, RUN.TEAM, RUN.TASK_TYPE, RUN.PAYLOAD, RUN.SCHEDULED_AT, RUN.DUE_AT, RUN.STATE,
                RUN.MAX_ATTEMPTS, RUN.RETRY_INITIAL_MS, RUN.RETRY_MULTIPLIER, RUN.RETRY_MAX_MS, RUN.TIMEOUT_MS,
                RUN.IDEMPOTENCY_KEY, RUN.STARTING_DEADLINE_MS, RUN.TRACEPARENT);
        for (TaskSubmission s : chunk) {
            insert = insert.values(s.team(), s.taskType(), Mapping.jsonb(s.payload()), Mapping.offset(s.runAt()),
                    Mapping.offset(s.runAt()), RunState.SCHEDULED.name(), s.retryPolicy().maxAttempts(),
                    s.retryPolicy().initialDelay().toMillis(), s.retryPolicy().multiplier(),
                    s.retryPolicy().maxDelay().toMillis(), Mapping.millis(s.timeout()), s.idempotencyKey(),
                    Mapping.millis(s.startingDeadline()), s.traceparent());
        }
        java.util.Map<String, RunRecord> byKey = new java.util.HashMap<>();
        List<RunRecord> inserted = insert.onConflict(RUN.IDEMPOTENCY_KEY).doNothing().returning().fetch();
        // RETURNING gives the inserted rows in no promised order: keyless rows are matched by position
        // among the keyless submissions, ordered by id (identity values are assigned in insert order).
        List<RunRecord> keyless = new ArrayList<>();
        for (RunRecord r : inserted) {
            if (r.getIdempotencyKey() == null) {
                keyless.add(r);
            } else {
                byKey.put(r.getIdempotencyKey(), r);
            }
        }
        keyless.sort(java.util.Comparator.comparing(RunRecord::getId));
        List<String> missing = chunk.stream().map(TaskSubmission::idempotencyKey)
                .filter(k -> k != null && !byKey.containsKey(k)).distinct().toList();
        if (!missing.isEmpty()) {
            tx.selectFrom(RUN).where(RUN.IDEMPOTENCY_KEY.in(missing)).fetch().forEach(r -> byKey.put(r.getIdempotencyKey(), r));
        }
        List<RunView> out = new ArrayList<>(chunk.size());
        int next = 0;
        for (TaskSubmission s : chunk) {
            out.add(Mapping.run(s.idempotencyKey() == null ? keyless.get(next++) : byKey.get(s.idempotencyKey())));
        }
        return out;
    }

    @Override
    public RunView rerun(long runId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            RunRecord r = tx.selectFrom(RUN).where(RUN.ID.eq(runId)).forUpdate().fetchOptional()
                    .orElseThrow(() -> new IllegalArgumentException("no run with id " + runId));
            RunState from = RunState.valueOf(r.getState());
            if (!from.isRerunnable()) {
                throw new dev.rota.model.IllegalRunTransitionException(from, RunState.SCHEDULED);
            }
            RunRecord c = tx.update(RUN)
                    .set(RUN.STATE, RunState.SCHEDULED.name())
                    .set(RUN.DUE_AT, now(tx))
                    .set(RUN.FAILURES, 0)
                    .setNull(RUN.FINISHED_AT)
                    .set(RUN.ERROR, "re-run by an operator after " + from + (r.getError() == null ? "" : ": " + r.getError()))
                    .where(RUN.ID.eq(runId), RUN.STATE.eq(from.name()))
                    .returning().fetchOne();
            return Mapping.run(Transitions.requireOne(c, runId, from, RunState.SCHEDULED));
        });
    }

    @Override
    public Optional<RunView> cancel(long runId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            OffsetDateTime now = now(tx);
            RunRecord c = tx.update(RUN)
                    .set(RUN.STATE, RunState.CANCELLED.name())
                    .set(RUN.FINISHED_AT, now)
                    .set(RUN.ERROR, "cancelled by an operator")
                    .where(RUN.ID.eq(runId), RUN.STATE.in(names(RunState.SCHEDULED, RunState.QUEUED, RunState.RUNNING)))
                    .returning().fetchOne();
            if (c == null) {
                return Optional.<RunView>empty();
            }
            if (c.getAttempt() > 0) {
                Transitions.closeAttempt(tx, runId, c.getAttempt(), "CANCELLED", c.getWorkerId(), now, c.getError());
            }
            return Optional.of(Mapping.run(c));
        });
    }

    @Override
    public Optional<RunView> find(long id) {
        return dsl.selectFrom(RUN).where(RUN.ID.eq(id)).fetchOptional().map(Mapping::run);
    }

    @Override
    public List<RunView> recent(String team, String jobName, int limit) {
        Condition c = DSL.trueCondition();
        if (team != null) {
            c = c.and(RUN.TEAM.eq(team));
        }
        if (jobName != null) {
            c = c.and(RUN.JOB_NAME.eq(jobName));
        }
        return dsl.selectFrom(RUN).where(c).orderBy(RUN.ID.desc()).limit(limit).fetch(Mapping::run);
    }

    @Override
    public Instant now() {
        return now(dsl).toInstant();
    }

    static OffsetDateTime now(DSLContext ctx) {
        return ctx.select(DSL.field("clock_timestamp()", OffsetDateTime.class)).fetchSingle().value1();
    }

    static List<String> names(RunState... states) {
        return java.util.Arrays.stream(states).map(Enum::name).toList();
    }
}
