package dev.rota.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.admin.JobDraft;
import dev.rota.admin.RunDetail;
import dev.rota.admin.TaskDraft;
import dev.rota.db.ApiToken;
import dev.rota.db.AttemptView;
import dev.rota.db.AuditEvent;
import dev.rota.db.JobDefinition;
import dev.rota.db.RunEventView;
import dev.rota.db.RunView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The API's JSON shapes. They are the API's contract (described in openapi.json), kept apart from the
 * database records so those may change without breaking clients. Durations are ISO-8601 ({@code PT30S}),
 * instants ISO-8601 UTC, payloads and results embedded JSON.
 */
final class Dtos {
    private Dtos() {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Job(long id, String team, String name, String cron, String timeZone, String taskType,
            @JsonRawValue String payload, boolean enabled, String misfirePolicy, int misfireLimit,
            String concurrencyPolicy, int maxAttempts, Duration retryInitial, double retryMultiplier, Duration retryMax,
            Duration timeout, Duration startingDeadline, String scheduleError, Instant createdAt, Instant updatedAt,
            long version) {

        static Job of(JobDefinition j) {
            return new Job(j.id(), j.team(), j.name(), j.cron(), j.timeZone(), j.taskType(), j.payload(), j.enabled(),
                    j.misfirePolicy().name(), j.misfireLimit(), j.concurrencyPolicy().name(),
                    j.retryPolicy().maxAttempts(), j.retryPolicy().initialDelay(), j.retryPolicy().multiplier(),
                    j.retryPolicy().maxDelay(), j.timeout(), j.startingDeadline(), j.scheduleError(), j.createdAt(),
                    j.updatedAt(), j.version());
        }
    }

    /** A job as written by a client; null fields take their defaults. */
    record JobBody(String team, String name, String cron, String timeZone, String taskType, JsonNode payload,
            Boolean enabled, String misfirePolicy, Integer misfireLimit, String concurrencyPolicy, Integer maxAttempts,
            Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout,
            Duration startingDeadline) {

        JobDraft draft() {
            return new JobDraft(team, name, cron, timeZone, taskType, payload == null ? null : payload.toString(),
                    enabled, misfirePolicy, misfireLimit, concurrencyPolicy, maxAttempts, retryInitial,
                    retryMultiplier, retryMax, timeout, startingDeadline);
        }
    }

    record TaskBody(String team, String taskType, JsonNode payload, Instant runAt, String idempotencyKey,
            Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout,
            Duration startingDeadline) {

        TaskDraft draft(String headerKey) {
            return new TaskDraft(team, taskType, payload == null ? null : payload.toString(), runAt,
                    idempotencyKey != null ? idempotencyKey : headerKey, maxAttempts, retryInitial, retryMultiplier,
                    retryMax, timeout, startingDeadline);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Run(long id, Long jobId, String jobName, String team, String taskType, @JsonRawValue String payload,
            Instant scheduledAt, Instant dueAt, String state, int attempt, int failures, int maxAttempts,
            Duration timeout, Duration startingDeadline, String idempotencyKey, Long epoch, String workerId,
            Instant dispatchedAt, Instant startedAt, Instant finishedAt, @JsonRawValue String result, String error,
            String traceparent) {

        static Run of(RunView r) {
            return new Run(r.id(), r.jobId(), r.jobName(), r.team(), r.taskType(), r.payload(), r.scheduledAt(),
                    r.dueAt(), r.state().name(), r.attempt(), r.failures(), r.retryPolicy().maxAttempts(), r.timeout(),
                    r.startingDeadline(), r.idempotencyKey(), r.epoch(), r.workerId(), r.dispatchedAt(), r.startedAt(), r.finishedAt(),
                    r.result(), r.error(), r.traceparent());
        }
    }

    record Attempt(int attempt, long epoch, String workerId, String outcome, Instant dispatchedAt, Instant startedAt,
            Instant finishedAt, String error, String log) {
        static Attempt of(AttemptView a) {
            return new Attempt(a.attempt(), a.epoch(), a.workerId(), a.outcome(), a.dispatchedAt(), a.startedAt(),
                    a.finishedAt(), a.error(), a.log());
        }
    }

    record Event(long id, int attempt, String kind, String workerId, String detail, Instant at) {
        static Event of(RunEventView e) {
            return new Event(e.id(), e.attempt(), e.kind(), e.workerId(), e.detail(), e.createdAt());
        }
    }

    record Step(Instant at, String what, String detail) {
    }

    record RunDetailJson(Run run, String triggeredBy, List<Attempt> attempts, List<Event> events,
            List<Step> timeline) {
        static RunDetailJson of(RunDetail d) {
            return new RunDetailJson(Run.of(d.run()), d.triggeredBy(), d.attempts().stream().map(Attempt::of).toList(),
                    d.events().stream().map(Event::of).toList(),
                    d.timeline().stream().map(s -> new Step(s.at(), s.what(), s.detail())).toList());
        }
    }

    record PageJson<T>(List<T> items, String next) {
    }

    record Audit(long id, String actor, String action, String target, String team, @JsonRawValue String before,
            @JsonRawValue String after, Instant at) {
        static Audit of(AuditEvent e) {
            return new Audit(e.id(), e.actor(), e.action(), e.target(), e.team(), e.before(), e.after(), e.at());
        }
    }

    record Token(long id, String name, String team, String role, Instant createdAt, Instant revokedAt) {
        static Token of(ApiToken t) {
            return new Token(t.id(), t.name(), t.team(), t.role().toLowerCase(), t.createdAt(), t.revokedAt());
        }
    }

    record TokenBody(String name, String team, String role) {
    }

    record CreatedTokenJson(Token token, String secret) {
    }

    record Me(String name, String role, String team) {
    }

    record Preview(String timeZone, List<String> times) {
    }

    record Bulk(long matched, boolean dryRun, List<Long> changed, List<String> skipped) {
    }

    record Failover(String askedToStepDown) {
    }

    record Master(String id, String address, String version, Instant startedAt, boolean leader) {
    }

    /** A registered worker; {@code inFlight} and {@code lastHeartbeat} from the run table (its RUNNING runs). */
    record Worker(String id, String host, List<String> taskTypes, int capacity, String version, Instant startedAt,
            long inFlight, Instant lastHeartbeat) {
    }

    record Queue(String taskType, long due, long queued, long running, int workerCapacity) {
    }

    record Cluster(String leaderId, long epoch, String leaseHolder, List<Master> masters, List<Worker> workers,
            List<Queue> queues) {
    }

    record Held(String kind, long id, String source, String reason, String body, int bodyBytes, Long runId,
            String runState, Instant at) {
        static Held of(dev.rota.admin.HeldMessage m) {
            return new Held(m.kind().name(), m.id(), m.source(), m.reason(), m.body(), m.bodyBytes(), m.runId(),
                    m.runState(), m.at());
        }
    }

    record FireBucket(Instant minute, long fires, long started, Double p50LatenessMs, Double p99LatenessMs) {
    }

    record FireStats(Instant from, Instant to, List<FireBucket> buckets) {
        static FireStats of(dev.rota.admin.FireStats s) {
            return new FireStats(s.from(), s.to(), s.buckets().stream().map(b -> new FireBucket(b.minute(), b.fires(),
                    b.started(), b.p50LatenessMs(), b.p99LatenessMs())).toList());
        }
    }
    record SkipReason(String reason, long count, Instant lastAt, String example) {
    }

    record JobStats(long jobId, long runs, long started, long skipped, Instant from, Instant to, Double p50LatenessMs,
            Double p99LatenessMs, Double maxLatenessMs, List<SkipReason> skips) {
        static JobStats of(long jobId, dev.rota.db.JobRunStats s) {
            return new JobStats(jobId, s.runs(), s.started(), s.skipped(), s.from(), s.to(), s.p50LatenessMs(),
                    s.p99LatenessMs(), s.maxLatenessMs(), s.skips().stream().map(k -> new SkipReason(k.reason(),
                            k.count(), k.lastAt(), k.example())).toList());
        }
    }
}
