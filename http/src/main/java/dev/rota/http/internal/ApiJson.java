package dev.rota.http.internal;

import static dev.rota.http.internal.HttpAdmin.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rota.admin.BulkResult;
import dev.rota.admin.ClusterView;
import dev.rota.admin.JobDraft;
import dev.rota.admin.RunDetail;
import dev.rota.admin.TaskDraft;
import dev.rota.db.ApiToken;
import dev.rota.admin.FireStats;
import dev.rota.admin.HeldMessage;
import dev.rota.db.AttemptView;
import dev.rota.db.ClusterLoad;
import dev.rota.db.AuditEvent;
import dev.rota.db.JobDefinition;
import dev.rota.db.RunEventView;
import dev.rota.db.RunView;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The client side of the API's JSON: documents back into the admin layer's records, and drafts out. */
final class ApiJson {
    private ApiJson() {
    }

    static JobDefinition job(JsonNode n) {
        return new JobDefinition(n.get("id").asLong(), text(n, "team"), text(n, "name"), text(n, "cron"),
                text(n, "timeZone"), text(n, "taskType"), raw(n, "payload"), n.get("enabled").asBoolean(),
                MisfirePolicy.valueOf(text(n, "misfirePolicy")), n.get("misfireLimit").asInt(),
                ConcurrencyPolicy.valueOf(text(n, "concurrencyPolicy")),
                new RetryPolicy(n.get("maxAttempts").asInt(), duration(n, "retryInitial"),
                        n.get("retryMultiplier").asDouble(), duration(n, "retryMax")),
                duration(n, "timeout"), text(n, "scheduleError"), null, instant(n, "createdAt"),
                instant(n, "updatedAt"), n.get("version").asLong(), duration(n, "startingDeadline"));
    }

    static RunView run(JsonNode n) {
        return new RunView(n.get("id").asLong(), longOrNull(n, "jobId"), text(n, "jobName"), text(n, "team"),
                text(n, "taskType"), raw(n, "payload"), instant(n, "scheduledAt"), instant(n, "dueAt"),
                RunState.valueOf(text(n, "state")), n.get("attempt").asInt(), n.get("failures").asInt(),
                RetryPolicy.maxAttempts(Math.max(1, n.get("maxAttempts").asInt())), duration(n, "timeout"),
                text(n, "idempotencyKey"), longOrNull(n, "epoch"), false, text(n, "workerId"),
                instant(n, "dispatchedAt"), instant(n, "startedAt"), instant(n, "finishedAt"), raw(n, "result"),
                text(n, "error"), duration(n, "startingDeadline"), text(n, "traceparent"));
    }

    static RunDetail detail(JsonNode n) {
        RunView run = run(n.get("run"));
        List<AttemptView> attempts = new ArrayList<>();
        n.get("attempts").forEach(a -> attempts.add(new AttemptView(run.id(), a.get("attempt").asInt(),
                a.get("epoch").asLong(), text(a, "workerId"), text(a, "outcome"), instant(a, "dispatchedAt"),
                instant(a, "startedAt"), instant(a, "finishedAt"), text(a, "error"), text(a, "log"))));
        List<RunEventView> events = new ArrayList<>();
        n.get("events").forEach(e -> events.add(new RunEventView(e.get("id").asLong(), run.id(),
                e.get("attempt").asInt(), text(e, "kind"), text(e, "workerId"), text(e, "detail"), instant(e, "at"))));
        List<RunDetail.Step> steps = new ArrayList<>();
        n.get("timeline").forEach(s -> steps.add(new RunDetail.Step(instant(s, "at"), text(s, "what"),
                text(s, "detail"))));
        return new RunDetail(run, text(n, "triggeredBy"), attempts, events, steps);
    }

    static BulkResult bulk(JsonNode n) {
        List<Long> changed = new ArrayList<>();
        n.get("changed").forEach(c -> changed.add(c.asLong()));
        List<String> skipped = new ArrayList<>();
        n.get("skipped").forEach(s -> skipped.add(s.asText()));
        return new BulkResult(n.get("matched").asLong(), n.get("dryRun").asBoolean(), changed, skipped);
    }

    static ClusterView cluster(JsonNode n) {
        List<MasterInfo> masters = new ArrayList<>();
        n.get("masters").forEach(m -> masters.add(new MasterInfo(text(m, "id"), text(m, "address"),
                text(m, "version"), instant(m, "startedAt"))));
        List<WorkerInfo> workers = new ArrayList<>();
        List<ClusterLoad.WorkerLoad> loads = new ArrayList<>();
        n.get("workers").forEach(w -> {
            Set<String> types = new HashSet<>();
            w.get("taskTypes").forEach(t -> types.add(t.asText()));
            workers.add(new WorkerInfo(text(w, "id"), text(w, "host"), types, w.get("capacity").asInt(),
                    text(w, "version"), instant(w, "startedAt")));
            if (w.path("inFlight").asLong() > 0) {
                loads.add(new ClusterLoad.WorkerLoad(text(w, "id"), w.get("inFlight").asLong(),
                        instant(w, "lastHeartbeat")));
            }
        });
        List<ClusterLoad.QueueDepth> queues = new ArrayList<>();
        n.path("queues").forEach(q -> queues.add(new ClusterLoad.QueueDepth(text(q, "taskType"), q.path("due").asLong(),
                q.path("queued").asLong(), q.path("running").asLong())));
        return new ClusterView(text(n, "leaderId"), n.get("epoch").asLong(), text(n, "leaseHolder"), masters, workers,
                queues, loads);
    }

    static HeldMessage held(JsonNode n) {
        return new HeldMessage(HeldMessage.Kind.valueOf(text(n, "kind")), n.get("id").asLong(), text(n, "source"),
                text(n, "reason"), text(n, "body"), n.path("bodyBytes").asInt(), longOrNull(n, "runId"),
                text(n, "runState"), instant(n, "at"));
    }

    static FireStats fireStats(JsonNode n) {
        List<ClusterLoad.FireBucket> buckets = new ArrayList<>();
        n.get("buckets").forEach(b -> buckets.add(new ClusterLoad.FireBucket(instant(b, "minute"),
                b.path("fires").asLong(), b.path("started").asLong(), doubleOrNull(b, "p50LatenessMs"),
                doubleOrNull(b, "p99LatenessMs"))));
        return new FireStats(instant(n, "from"), instant(n, "to"), buckets);
    }

    static dev.rota.db.JobRunStats jobStats(JsonNode n) {
        List<dev.rota.db.JobRunStats.SkipReason> skips = new ArrayList<>();
        n.get("skips").forEach(s -> skips.add(new dev.rota.db.JobRunStats.SkipReason(text(s, "reason"),
                s.path("count").asLong(), instant(s, "lastAt"), text(s, "example"))));
        return new dev.rota.db.JobRunStats(n.path("runs").asLong(), n.path("started").asLong(),
                n.path("skipped").asLong(), instant(n, "from"), instant(n, "to"), doubleOrNull(n, "p50LatenessMs"),
                doubleOrNull(n, "p99LatenessMs"), doubleOrNull(n, "maxLatenessMs"), skips);
    }

    private static Double doubleOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    static AuditEvent audit(JsonNode n) {
        return new AuditEvent(n.get("id").asLong(), text(n, "actor"), text(n, "action"), text(n, "target"),
                text(n, "team"), raw(n, "before"), raw(n, "after"), instant(n, "at"));
    }

    static ApiToken token(JsonNode n) {
        return new ApiToken(n.get("id").asLong(), text(n, "name"), text(n, "team"), text(n, "role").toUpperCase(),
                instant(n, "createdAt"), instant(n, "revokedAt"));
    }

    static List<ZonedDateTime> times(JsonNode n) {
        List<ZonedDateTime> out = new ArrayList<>();
        n.get("times").forEach(t -> out.add(ZonedDateTime.parse(t.asText()).withZoneSameInstant(
                java.time.ZoneId.of(text(n, "timeZone")))));
        return out;
    }

    static String draft(ObjectMapper json, JobDraft d) {
        ObjectNode o = json.createObjectNode();
        o.put("team", d.team()).put("name", d.name()).put("cron", d.cron()).put("timeZone", d.timeZone())
                .put("taskType", d.taskType()).put("enabled", d.enabled()).put("misfirePolicy", d.misfirePolicy())
                .put("misfireLimit", d.misfireLimit()).put("concurrencyPolicy", d.concurrencyPolicy())
                .put("maxAttempts", d.maxAttempts()).put("retryMultiplier", d.retryMultiplier());
        putDuration(o, "retryInitial", d.retryInitial());
        putDuration(o, "retryMax", d.retryMax());
        putDuration(o, "timeout", d.timeout());
        putPayload(json, o, d.payload());
        return stripNulls(o).toString();
    }

    static String task(ObjectMapper json, TaskDraft t) {
        ObjectNode o = json.createObjectNode();
        o.put("team", t.team()).put("taskType", t.taskType()).put("idempotencyKey", t.idempotencyKey())
                .put("runAt", t.runAt() == null ? null : t.runAt().toString()).put("maxAttempts", t.maxAttempts())
                .put("retryMultiplier", t.retryMultiplier());
        putDuration(o, "retryInitial", t.retryInitial());
        putDuration(o, "retryMax", t.retryMax());
        putDuration(o, "timeout", t.timeout());
        putPayload(json, o, t.payload());
        return stripNulls(o).toString();
    }

    /** A payload that is not JSON is sent as a string, so the server's validation names it. */
    private static void putPayload(ObjectMapper json, ObjectNode o, String payload) {
        if (payload == null) {
            return;
        }
        try {
            o.set("payload", json.readTree(payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.rota.admin.InvalidInputException("payload", "payload is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static void putDuration(ObjectNode o, String field, Duration d) {
        if (d != null) {
            o.put(field, d.toString());
        }
    }

    private static ObjectNode stripNulls(ObjectNode o) {
        List<String> nulls = new ArrayList<>();
        o.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                nulls.add(e.getKey());
            }
        });
        o.remove(nulls);
        return o;
    }

    private static String raw(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.toString();
    }

    private static Instant instant(JsonNode n, String field) {
        String v = text(n, field);
        return v == null ? null : Instant.parse(v);
    }

    private static Duration duration(JsonNode n, String field) {
        String v = text(n, field);
        return v == null ? null : Duration.parse(v);
    }

    private static Long longOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }
}
