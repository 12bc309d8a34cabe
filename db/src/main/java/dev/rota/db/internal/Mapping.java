package dev.rota.db.internal;

import dev.rota.db.JobDefinition;
import dev.rota.db.RunView;
import dev.rota.db.internal.jooq.tables.records.JobRecord;
import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.JSONB;

/** Converts between jOOQ records and the public records. */
final class Mapping {
    private Mapping() {
    }

    static JobDefinition job(JobRecord r) {
        return new JobDefinition(r.getId(), r.getTeam(), r.getName(), r.getCron(), r.getTimeZone(), r.getTaskType(),
                json(r.getPayload()), r.getEnabled(), MisfirePolicy.valueOf(r.getMisfirePolicy()), r.getMisfireLimit(),
                ConcurrencyPolicy.valueOf(r.getConcurrencyPolicy()),
                retry(r.getMaxAttempts(), r.getRetryInitialMs(), r.getRetryMultiplier(), r.getRetryMaxMs()),
                millis(r.getTimeoutMs()), r.getScheduleError(), instant(r.getScheduleFrom()), instant(r.getCreatedAt()),
                instant(r.getUpdatedAt()), r.getVersion(), millis(r.getStartingDeadlineMs()));
    }

    static RunView run(RunRecord r) {
        return new RunView(r.getId(), r.getJobId(), r.getJobName(), r.getTeam(), r.getTaskType(), json(r.getPayload()),
                instant(r.getScheduledAt()), instant(r.getDueAt()), RunState.valueOf(r.getState()), r.getAttempt(),
                r.getFailures(), retry(r.getMaxAttempts(), r.getRetryInitialMs(), r.getRetryMultiplier(), r.getRetryMaxMs()),
                millis(r.getTimeoutMs()), r.getIdempotencyKey(), r.getEpoch(), r.getPublished(), r.getWorkerId(),
                instant(r.getDispatchedAt()), instant(r.getStartedAt()), instant(r.getFinishedAt()), json(r.getResult()),
                r.getError(), millis(r.getStartingDeadlineMs()), r.getTraceparent());
    }

    static RetryPolicy retry(int maxAttempts, long initialMs, double multiplier, long maxMs) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(initialMs), multiplier, Duration.ofMillis(maxMs));
    }

    static String json(JSONB value) {
        return value == null ? null : value.data();
    }

    static JSONB jsonb(String value) {
        return value == null ? null : JSONB.valueOf(value);
    }

    static Duration millis(Long ms) {
        return ms == null ? null : Duration.ofMillis(ms);
    }

    static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime offset(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
