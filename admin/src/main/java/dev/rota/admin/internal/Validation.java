package dev.rota.admin.internal;

import dev.rota.admin.Admin;
import dev.rota.admin.InvalidInputException;
import dev.rota.admin.JobDraft;
import dev.rota.admin.TaskDraft;
import dev.rota.db.JobSpec;
import dev.rota.db.TaskSubmission;
import dev.rota.master.CronSchedule;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.Names;
import dev.rota.model.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns operator input into the database's specs, or throws {@link InvalidInputException} naming the
 * field (as the API spells it) and the rule or limit.
 */
public final class Validation {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_TEXT_LENGTH = 200;
    static final int MAX_ATTEMPTS = 1000;

    private final int maxPayloadBytes;
    private final MessageCodec codec = new MessageCodec();

    public Validation(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public JobSpec job(JobDraft d) {
        String name = required("name", d.name());
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("name", "name must be 1 to " + MAX_NAME_LENGTH + " characters, was "
                    + name.length());
        }
        String team = name("team", d.team() == null ? JobSpec.DEFAULT_TEAM : d.team());
        String taskType = name("taskType", required("taskType", d.taskType()));
        String zone = d.timeZone() == null ? JobSpec.DEFAULT_TIME_ZONE : d.timeZone();
        schedule(required("cron", d.cron()), zone);
        int misfireLimit = d.misfireLimit() == null ? JobSpec.DEFAULT_MISFIRE_LIMIT : d.misfireLimit();
        if (misfireLimit < 1 || misfireLimit > JobSpec.MAX_MISFIRE_LIMIT) {
            throw new InvalidInputException("misfireLimit", "misfireLimit of job '" + name + "' must be between 1 and "
                    + JobSpec.MAX_MISFIRE_LIMIT + ", was " + misfireLimit);
        }
        return JobSpec.of(name, d.cron(), taskType)
                .withTeam(team)
                .withTimeZone(zone)
                .withPayload(payload(d.payload()))
                .withEnabled(d.enabled() == null || d.enabled())
                .withMisfire(d.misfirePolicy() == null ? MisfirePolicy.FIRE_ONCE
                        : constant("misfirePolicy", MisfirePolicy.class, d.misfirePolicy()), misfireLimit)
                .withConcurrency(d.concurrencyPolicy() == null ? ConcurrencyPolicy.ALLOW
                        : constant("concurrencyPolicy", ConcurrencyPolicy.class, d.concurrencyPolicy()))
                .withRetry(retry(d.maxAttempts(), d.retryInitial(), d.retryMultiplier(), d.retryMax()))
                .withTimeout(timeout(d.timeout()))
                .withStartingDeadline(startingDeadline(d.startingDeadline()));
    }

    public TaskSubmission task(TaskDraft t, Instant now) {
        String taskType = name("taskType", required("taskType", t.taskType()));
        String team = name("team", t.team() == null ? JobSpec.DEFAULT_TEAM : t.team());
        String key = t.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > MAX_TEXT_LENGTH)) {
            throw new InvalidInputException("idempotencyKey", "idempotencyKey must be 1 to " + MAX_TEXT_LENGTH
                    + " characters, was " + key.length());
        }
        return new TaskSubmission(team, taskType, payload(t.payload()), t.runAt() == null ? now : t.runAt(), key,
                retry(t.maxAttempts(), t.retryInitial(), t.retryMultiplier(), t.retryMax()), timeout(t.timeout()),
                startingDeadline(t.startingDeadline()),
                TaskSubmission.isTraceparent(t.traceparent()) ? t.traceparent() : null);
    }

    /** @throws InvalidInputException on field {@code startingDeadline} */
    static Duration startingDeadline(Duration deadline) {
        if (deadline != null && (deadline.isNegative() || deadline.toMillis() < 1)) {
            throw new InvalidInputException("startingDeadline", "startingDeadline must be at least 1 ms, was " + deadline);
        }
        return deadline;
    }

    /** @throws InvalidInputException on field {@code timeZone} or {@code cron} */
    static CronSchedule schedule(String cron, String timeZone) {
        try {
            ZoneId.of(required("timeZone", timeZone));
        } catch (DateTimeException e) {
            throw new InvalidInputException("timeZone", "unknown time zone '" + timeZone + "'"
                    + " (use a region id such as Europe/Paris, or UTC)");
        }
        try {
            return CronSchedule.parse(required("cron", cron), timeZone);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cron", e.getMessage());
        }
    }

    String payload(String payload) {
        if (payload == null) {
            return "{}";
        }
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxPayloadBytes) {
            throw new InvalidInputException("payload", "payload is " + bytes + " bytes of JSON; the limit is "
                    + maxPayloadBytes + " bytes (" + maxPayloadBytes / 1024 + " KiB)");
        }
        if (payload.isBlank()) {
            throw new InvalidInputException("payload", "payload is empty: give a JSON value such as {}");
        }
        try {
            codec.readTree(payload);
        } catch (MalformedMessageException e) {
            String where = e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    && j.getLocation() != null
                    ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : "";
            throw new InvalidInputException("payload", "payload is " + e.getMessage().replaceAll("\\s+", " ") + where);
        }
        return payload;
    }

    static RetryPolicy retry(Integer maxAttempts, Duration initial, Double multiplier, Duration max) {
        int attempts = maxAttempts == null ? 1 : maxAttempts;
        if (attempts < 1) {
            throw new InvalidInputException("maxAttempts", "maxAttempts must be at least 1, was " + attempts);
        }
        if (attempts > MAX_ATTEMPTS) {
            throw new InvalidInputException("maxAttempts", "maxAttempts must be at most " + MAX_ATTEMPTS + ", was "
                    + attempts);
        }
        Duration first = initial == null ? RetryPolicy.DEFAULT_INITIAL_DELAY : initial;
        if (first.isNegative()) {
            throw new InvalidInputException("retryInitial", "retryInitial must not be negative, was " + first);
        }
        double factor = multiplier == null ? RetryPolicy.DEFAULT_MULTIPLIER : multiplier;
        if (!(factor >= 1.0) || factor > 100.0) {
            throw new InvalidInputException("retryMultiplier", "retryMultiplier must be 1 to 100, was " + factor);
        }
        Duration longest = max == null ? RetryPolicy.DEFAULT_MAX_DELAY : max;
        if (longest.isNegative()) {
            throw new InvalidInputException("retryMax", "retryMax must not be negative, was " + longest);
        }
        return RetryPolicy.maxAttempts(attempts).backoff(first, factor).maxDelay(longest);
    }

    static Duration timeout(Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidInputException("timeout", "timeout must be positive, was " + timeout);
        }
        return timeout;
    }

    static String name(String field, String value) {
        if (!Names.isValid(value)) {
            String label = field.equals("taskType") ? "task type" : field;
            throw new InvalidInputException(field, label + " '" + value + "' is invalid: use 1 to 63 letters,"
                    + " digits, '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    static String required(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }

    static String text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT_LENGTH) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_TEXT_LENGTH + " characters, was "
                    + value.length());
        }
        return value == null || value.isEmpty() ? null : value;
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return Admin.DEFAULT_PAGE_SIZE;
        }
        if (limit < 1 || limit > Admin.MAX_PAGE_SIZE) {
            throw new InvalidInputException("limit", "limit must be 1 to " + Admin.MAX_PAGE_SIZE + ", was " + limit);
        }
        return limit;
    }

    static <E extends Enum<E>> E constant(String field, Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, field + " '" + value + "' is not one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
