package dev.rota.http.internal;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.AlertRuleDraft;
import dev.rota.db.AlertDelivery;
import dev.rota.db.AlertKind;
import dev.rota.db.AlertRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/alerts/rules} and {@code /api/v1/alerts/deliveries}, and their JSON both ways (the server writes
 * it, {@link HttpAdmin} reads it back). Durations are ISO-8601, as everywhere in the API.
 */
final class AlertResources {
    private final Admin admin;
    private final Bodies bodies;

    AlertResources(Admin admin, ObjectMapper json) {
        this.admin = admin;
        this.bodies = new Bodies(json);
    }

    record Rule(long id, String team, String jobName, List<String> kinds, String url, Duration lateAfter,
            Duration leaderlessAfter, boolean enabled, String createdBy, Instant createdAt) {
        static Rule of(AlertRule r) {
            return new Rule(r.id(), r.team(), r.jobName(), r.kinds().stream().sorted().map(Enum::name).toList(), r.url(),
                    r.lateAfter(), r.leaderlessAfter(), r.enabled(), r.createdBy(), r.createdAt());
        }
    }

    record RuleBody(String team, String jobName, List<String> kinds, String url, String secret, Duration lateAfter,
            Duration leaderlessAfter) {
    }

    record CreatedRule(Rule rule, String secret) {
    }

    record Attempt(int attempt, long epoch, Instant startedAt, Instant finishedAt, Integer httpStatus, String error) {
    }

    record Delivery(long id, long ruleId, String eventKey, String kind, @JsonRawValue String payload, String status,
            int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError, Instant createdAt,
            Instant deliveredAt, List<Attempt> attemptLog) {
        static Delivery of(AlertDelivery d) {
            return new Delivery(d.id(), d.ruleId(), d.eventKey(), d.kind().name(), d.payload(), d.status().name(),
                    d.attempts(), d.nextAttemptAt(), d.lastStatus(), d.lastError(), d.createdAt(), d.deliveredAt(),
                    d.attemptLog().stream().map(a -> new Attempt(a.attempt(), a.epoch(), a.startedAt(), a.finishedAt(),
                            a.httpStatus(), a.error())).toList());
        }
    }

    void register(Router r, String base) {
        r.get(base + "/alerts/rules", (who, ctx) -> Response.ok(admin.alertRules(who, Params.query(ctx, "team"))
                .stream().map(Rule::of).toList()));
        r.post(base + "/alerts/rules", (who, ctx) -> {
            RuleBody b = bodies.read(ctx, RuleBody.class);
            var created = admin.createAlertRule(who, new AlertRuleDraft(b.team(), b.jobName(), b.kinds(), b.url(),
                    b.secret(), b.lateAfter(), b.leaderlessAfter()));
            return Response.created(new CreatedRule(Rule.of(created.rule()), created.secret()));
        });
        r.delete(base + "/alerts/rules/{id}", (who, ctx) ->
                Response.ok(Rule.of(admin.deleteAlertRule(who, Params.pathId(ctx, "id")))));
        r.get(base + "/alerts/deliveries", (who, ctx) -> Response.ok(admin.alertDeliveries(who,
                Params.queryLong(ctx, "ruleId"), Params.queryInt(ctx, "limit")).stream().map(Delivery::of).toList()));
    }

    static AlertRule rule(JsonNode n) {
        Set<AlertKind> kinds = EnumSet.noneOf(AlertKind.class);
        n.get("kinds").forEach(k -> kinds.add(AlertKind.valueOf(k.asText())));
        String late = HttpAdmin.text(n, "lateAfter");
        String leaderless = HttpAdmin.text(n, "leaderlessAfter");
        String created = HttpAdmin.text(n, "createdAt");
        return new AlertRule(n.get("id").asLong(), HttpAdmin.text(n, "team"), HttpAdmin.text(n, "jobName"), kinds,
                n.get("url").asText(), late == null ? null : Duration.parse(late),
                leaderless == null ? null : Duration.parse(leaderless), n.get("enabled").asBoolean(),
                HttpAdmin.text(n, "createdBy"), created == null ? null : Instant.parse(created));
    }

    static AlertDelivery delivery(JsonNode n) {
        List<AlertDelivery.Attempt> attempts = new ArrayList<>();
        n.get("attemptLog").forEach(a -> attempts.add(new AlertDelivery.Attempt(a.get("attempt").asInt(),
                a.get("epoch").asLong(), instant(a, "startedAt"), instant(a, "finishedAt"), integer(a, "httpStatus"),
                HttpAdmin.text(a, "error"))));
        return new AlertDelivery(n.get("id").asLong(), n.get("ruleId").asLong(), n.get("eventKey").asText(),
                AlertKind.valueOf(n.get("kind").asText()), n.get("payload").toString(),
                AlertDelivery.Status.valueOf(n.get("status").asText()), n.get("attempts").asInt(),
                instant(n, "nextAttemptAt"), integer(n, "lastStatus"), HttpAdmin.text(n, "lastError"),
                instant(n, "createdAt"), instant(n, "deliveredAt"), attempts);
    }

    private static Instant instant(JsonNode n, String field) {
        String v = HttpAdmin.text(n, field);
        return v == null ? null : Instant.parse(v);
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }
}
