package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.LEADER_LEASE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.AlertDelivery;
import dev.rota.db.AlertKind;
import dev.rota.db.AlertRule;
import dev.rota.db.AlertRuleSpec;
import dev.rota.db.Alerts;
import dev.rota.db.AuditEntry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Record;

/** {@link Alerts} in plain SQL through jOOQ (the alert tables have no generated classes). */
public final class JooqAlerts implements Alerts {
    private static final String RULE_COLUMNS =
            "id, team, job_name, kinds, url, late_after_ms, leaderless_after_ms, enabled, created_by, created_at";
    private static final String DELIVERY_COLUMNS = "d.id, d.rule_id, d.event_key, d.kind, d.payload::text AS payload,"
            + " d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;

    public JooqAlerts(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public AlertRule createRule(AlertRuleSpec spec, AuditEntry audit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            AlertRule rule = rule(tx.resultQuery("INSERT INTO alert_rule (team, job_name, kinds, url, secret, late_after_ms,"
                    + " leaderless_after_ms, created_by) VALUES (?, ?, ?::text[], ?, ?, ?, ?, ?) RETURNING " + RULE_COLUMNS,
                    spec.team(), spec.jobName(), kinds(spec.kinds()), spec.url(), spec.secret(),
                    Mapping.millis(spec.lateAfter()), Mapping.millis(spec.leaderlessAfter()), audit.actor()).fetchSingle());
            AdminTables.insertAudit(tx, audit, null, json(rule));
            return rule;
        });
    }

    @Override
    public List<AlertRule> rules(Set<String> teams) {
        if (teams == null) {
            return dsl.resultQuery("SELECT " + RULE_COLUMNS + " FROM alert_rule ORDER BY id").fetch(JooqAlerts::rule);
        }
        return dsl.resultQuery("SELECT " + RULE_COLUMNS + " FROM alert_rule WHERE team = ANY (?::text[]) ORDER BY id",
                (Object) teams.toArray(String[]::new)).fetch(JooqAlerts::rule);
    }

    @Override
    public Optional<AlertRule> rule(long id) {
        return dsl.resultQuery("SELECT " + RULE_COLUMNS + " FROM alert_rule WHERE id = ?", id)
                .fetchOptional(JooqAlerts::rule);
    }

    @Override
    public Optional<AlertRule> deleteRule(long id, AuditEntry audit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<AlertRule> deleted = tx.resultQuery("DELETE FROM alert_rule WHERE id = ? RETURNING " + RULE_COLUMNS, id)
                    .fetchOptional(JooqAlerts::rule);
            deleted.ifPresent(r -> AdminTables.insertAudit(tx, audit, json(r), null));
            return deleted;
        });
    }

    @Override
    public List<AlertDelivery> deliveries(Set<String> teams, Long ruleId, int limit) {
        List<Record> rows = dsl.resultQuery("SELECT " + DELIVERY_COLUMNS + " FROM alert_delivery d"
                + " JOIN alert_rule r ON r.id = d.rule_id"
                + " WHERE (?::text[] IS NULL OR r.team = ANY (?::text[])) AND (?::bigint IS NULL OR d.rule_id = ?)"
                + " ORDER BY d.id DESC LIMIT ?",
                teamArray(teams), teamArray(teams), ruleId, ruleId, limit).fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        Long[] ids = rows.stream().map(r -> r.get("id", Long.class)).toArray(Long[]::new);
        Map<Long, List<AlertDelivery.Attempt>> attempts = dsl.resultQuery("SELECT delivery_id, attempt, epoch, started_at,"
                + " finished_at, http_status, error FROM alert_attempt WHERE delivery_id = ANY (?::bigint[])"
                + " ORDER BY delivery_id, attempt", (Object) ids).fetch().stream()
                .collect(Collectors.groupingBy(r -> r.get("delivery_id", Long.class), Collectors.mapping(
                        JooqAlerts::attempt, Collectors.toList())));
        List<AlertDelivery> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            out.add(delivery(r, attempts.getOrDefault(r.get("id", Long.class), List.of())));
        }
        return out;
    }

    @Override
    public int noticeLateFires(long epoch, int limit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            return tx.execute("INSERT INTO alert_delivery (rule_id, event_key, kind, payload)"
                    + " SELECT a.id, 'FIRE_LATE:' || r.id, 'FIRE_LATE', alert_run_payload(r, 'FIRE_LATE')"
                    + "   || jsonb_build_object('lateByMs', (extract(epoch FROM now() - r.scheduled_at) * 1000)::bigint,"
                    + "                         'lateAfterMs', a.late_after_ms)"
                    + " FROM alert_rule a JOIN run r ON (a.team IS NULL OR a.team = r.team)"
                    + "   AND (a.job_name IS NULL OR a.job_name = r.job_name)"
                    + "   AND r.state IN ('SCHEDULED', 'QUEUED') AND r.attempt <= 1"
                    + "   AND r.scheduled_at < now() - a.late_after_ms * INTERVAL '1 millisecond'"
                    + " WHERE a.enabled AND 'FIRE_LATE' = ANY (a.kinds)"
                    + "   AND NOT EXISTS (SELECT 1 FROM alert_delivery d WHERE d.rule_id = a.id"
                    + "                   AND d.event_key = 'FIRE_LATE:' || r.id)"
                    + " ORDER BY r.scheduled_at LIMIT ?"
                    + " ON CONFLICT ON CONSTRAINT alert_delivery_one_per_event DO NOTHING", limit);
        });
    }

    @Override
    public void leaderBeat(long epoch, String leaderId) {
        // One statement in its own transaction, as the beat runs every second on an idle leader: fenced as
        // checkEpoch fences, by the lease row read FOR SHARE (a successor's acquire waits for it, or is seen).
        int beat = dsl.execute("INSERT INTO leader_beat (id, epoch, leader_id, beat_at) SELECT 1, ?, ?, now()"
                + " WHERE EXISTS (SELECT 1 FROM leader_lease WHERE id = 1 AND epoch = ? FOR SHARE)"
                + " ON CONFLICT (id) DO UPDATE SET epoch = EXCLUDED.epoch, leader_id = EXCLUDED.leader_id,"
                + " beat_at = EXCLUDED.beat_at", epoch, leaderId, epoch);
        if (beat != 1) {
            throw new dev.rota.db.FencedException(epoch, dsl.select(LEADER_LEASE.EPOCH).from(LEADER_LEASE)
                    .where(LEADER_LEASE.ID.eq((short) 1)).fetchOptional(LEADER_LEASE.EPOCH).orElse(-1L));
        }
    }

    @Override
    public int noticeLeaderless(String observer) {
        return dsl.execute("INSERT INTO alert_delivery (rule_id, event_key, kind, payload)"
                + " SELECT r.id, 'NO_LEADER:' || b.epoch || ':' || to_char(b.beat_at AT TIME ZONE 'UTC',"
                + "   'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), 'NO_LEADER',"
                + "   jsonb_build_object('kind', 'NO_LEADER', 'occurredAt', now(), 'lastEpoch', b.epoch,"
                + "     'lastLeaderId', b.leader_id, 'lastBeatAt', b.beat_at,"
                + "     'leaderlessForMs', (extract(epoch FROM now() - b.beat_at) * 1000)::bigint,"
                + "     'leaderlessAfterMs', r.leaderless_after_ms, 'noticedBy', ?::text)"
                + " FROM leader_beat b JOIN alert_rule r ON r.enabled AND 'NO_LEADER' = ANY (r.kinds)"
                + "   AND now() - b.beat_at > r.leaderless_after_ms * INTERVAL '1 millisecond'"
                + " ON CONFLICT ON CONSTRAINT alert_delivery_one_per_event DO NOTHING", observer);
    }

    @Override
    public List<Claim> claimLeaderless(int limit, Duration lease) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            long epoch = tx.resultQuery("SELECT epoch FROM leader_lease WHERE id = 1").fetchSingle().get(0, Long.class);
            return claim(tx, epoch, "AND kind = 'NO_LEADER'", limit, lease);
        });
    }

    @Override
    public List<Claim> claimDue(long epoch, int limit, Duration lease) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            return claim(tx, epoch, "", limit, lease);
        });
    }

    private static List<Claim> claim(DSLContext tx, long epoch, String onlyKind, int limit, Duration lease) {
        List<Claim> claims = tx.resultQuery("WITH due AS (SELECT id FROM alert_delivery"
                + "   WHERE status = 'PENDING' AND next_attempt_at <= now() " + onlyKind
                + "   ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " UPDATE alert_delivery d SET attempts = d.attempts + 1,"
                + "   next_attempt_at = now() + ? * INTERVAL '1 millisecond'"
                + " FROM due, alert_rule r WHERE d.id = due.id AND r.id = d.rule_id"
                + " RETURNING d.id, d.attempts, d.rule_id, r.url, r.secret,"
                + "   (d.payload || jsonb_build_object('deliveryId', d.id, 'deliveryAttempt', d.attempts, 'sentAt', now()))::text AS body",
                limit, lease.toMillis()).fetch(r -> new Claim(r.get("id", Long.class), r.get("attempts", Integer.class),
                        r.get("rule_id", Long.class), r.get("url", String.class), r.get("secret", String.class),
                        r.get("body", String.class)));
        for (Claim c : claims) {
            tx.execute("INSERT INTO alert_attempt (delivery_id, attempt, epoch, started_at) VALUES (?, ?, ?, now())",
                    c.deliveryId(), c.attempt(), epoch);
        }
        return claims;
    }

    @Override
    public int purgeFinished(long epoch, Duration olderThan, int limit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            return tx.execute("DELETE FROM alert_delivery WHERE id IN (SELECT id FROM alert_delivery"
                    + " WHERE status <> 'PENDING' AND created_at < now() - ? * INTERVAL '1 millisecond'"
                    + " ORDER BY id LIMIT ?)", olderThan.toMillis(), limit);
        });
    }

    @Override
    public boolean record(Claim claim, Outcome outcome) {
        String status = outcome.delivered() ? "DELIVERED" : outcome.retryIn() == null ? "FAILED" : "PENDING";
        Long retryMillis = outcome.retryIn() == null ? 0L : outcome.retryIn().toMillis();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            // The claim is current while its attempt is unfinished and no later claim was made.
            int finished = tx.execute("UPDATE alert_attempt a SET finished_at = clock_timestamp(), http_status = ?,"
                    + " error = ? WHERE a.delivery_id = ? AND a.attempt = ? AND a.finished_at IS NULL"
                    + " AND EXISTS (SELECT 1 FROM alert_delivery d WHERE d.id = a.delivery_id AND d.attempts = a.attempt"
                    + " AND d.status = 'PENDING')",
                    outcome.httpStatus(), outcome.error(), claim.deliveryId(), claim.attempt());
            if (finished == 0) {
                return false;
            }
            int changed = tx.execute("UPDATE alert_delivery SET status = ?, last_status = ?, last_error = ?,"
                    + " delivered_at = CASE WHEN ? THEN clock_timestamp() END,"
                    + " next_attempt_at = clock_timestamp() + ? * INTERVAL '1 millisecond'"
                    + " WHERE id = ? AND attempts = ? AND status = 'PENDING'",
                    status, outcome.httpStatus(), outcome.error(), outcome.delivered(), retryMillis,
                    claim.deliveryId(), claim.attempt());
            if (changed != 1) {
                throw new IllegalStateException("delivery " + claim.deliveryId() + " attempt " + claim.attempt()
                        + ": recorded " + changed + " rows, expected 1");
            }
            return true;
        });
    }

    private static String[] teamArray(Set<String> teams) {
        return teams == null ? null : teams.toArray(String[]::new);
    }

    private static String kinds(Set<AlertKind> kinds) {
        return kinds.stream().sorted().map(Enum::name).collect(Collectors.joining(",", "{", "}"));
    }

    private static AlertRule rule(Record r) {
        String[] kinds = r.get("kinds", String[].class);
        Set<AlertKind> parsed = EnumSet.noneOf(AlertKind.class);
        Arrays.stream(kinds).map(AlertKind::valueOf).forEach(parsed::add);
        return new AlertRule(r.get("id", Long.class), r.get("team", String.class), r.get("job_name", String.class),
                parsed, r.get("url", String.class), Mapping.millis(r.get("late_after_ms", Long.class)),
                Mapping.millis(r.get("leaderless_after_ms", Long.class)), r.get("enabled", Boolean.class), r.get("created_by", String.class),
                Mapping.instant(r.get("created_at", OffsetDateTime.class)));
    }

    private static AlertDelivery delivery(Record r, List<AlertDelivery.Attempt> attempts) {
        return new AlertDelivery(r.get("id", Long.class), r.get("rule_id", Long.class), r.get("event_key", String.class),
                AlertKind.valueOf(r.get("kind", String.class)), r.get("payload", String.class),
                AlertDelivery.Status.valueOf(r.get("status", String.class)), r.get("attempts", Integer.class),
                Mapping.instant(r.get("next_attempt_at", OffsetDateTime.class)), r.get("last_status", Integer.class),
                r.get("last_error", String.class), Mapping.instant(r.get("created_at", OffsetDateTime.class)),
                Mapping.instant(r.get("delivered_at", OffsetDateTime.class)), attempts);
    }

    private static AlertDelivery.Attempt attempt(Record r) {
        return new AlertDelivery.Attempt(r.get("attempt", Integer.class), r.get("epoch", Long.class),
                Mapping.instant(r.get("started_at", OffsetDateTime.class)),
                Mapping.instant(r.get("finished_at", OffsetDateTime.class)), r.get("http_status", Integer.class),
                r.get("error", String.class));
    }

    /** The rule as its audit row records it: never the secret. */
    private static String json(AlertRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("team", r.team());
        m.put("jobName", r.jobName());
        m.put("kinds", r.kinds().stream().sorted().map(Enum::name).toList());
        m.put("url", r.url());
        m.put("lateAfterMs", Mapping.millis(r.lateAfter()));
        m.put("leaderlessAfterMs", Mapping.millis(r.leaderlessAfter()));
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert rule " + r.id() + " as JSON", e);
        }
    }
}
