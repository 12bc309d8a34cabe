package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deliveries the database makes with each event, and the sender's claim and record. */
class AlertsTest extends DatabaseTest {
    private static final String SECRET = "0123456789abcdef-secret";
    private static final AuditEntry AUDIT = new AuditEntry("test", "alert.create", "alert-rule", null);

    private long epoch;
    private Alerts alerts;

    @BeforeEach
    void becomeLeader() {
        sql("TRUNCATE alert_rule, alert_delivery, alert_attempt RESTART IDENTITY CASCADE");
        epoch = lease.acquire("master-a");
        alerts = db.alerts();
    }

    private AlertRule rule(String team, String jobName, Set<AlertKind> kinds) {
        return alerts.createRule(new AlertRuleSpec(team, jobName, kinds, "http://127.0.0.1:1/hook", SECRET, null, null), AUDIT);
    }

    private RunView running(String team, String name) {
        JobDefinition j = job(JobSpec.of(name, "0 * * * * ?", "report").withTeam(team));
        RunView run = fire(epoch, j, runs.now().minusSeconds(1));
        return apply(epoch, result(run, "worker-1", ResultStatus.STARTED, null)).run();
    }

    private List<Map<String, Object>> deliveries() {
        return rows("SELECT rule_id, event_key, kind, payload::text AS payload FROM alert_delivery ORDER BY rule_id, id");
    }

    @Test
    void aFailedRunMakesOneDeliveryPerMatchingRuleEvenWhenItsResultArrivesTwice() {
        AlertRule mine = rule("billing", null, Set.of(AlertKind.RUN_FAILED));
        AlertRule everyTeam = rule(null, null, Set.of(AlertKind.RUN_FAILED, AlertKind.RUN_DEAD));
        AlertRule thisJob = rule("billing", "invoices", Set.of(AlertKind.RUN_FAILED));
        AlertRule otherTeam = rule("search", null, Set.of(AlertKind.RUN_FAILED));
        AlertRule otherJob = rule("billing", "ledger", Set.of(AlertKind.RUN_FAILED));
        AlertRule otherKind = rule("billing", null, Set.of(AlertKind.RUN_TIMED_OUT));
        RunView run = running("billing", "invoices");

        var failed = result(run, "worker-1", ResultStatus.FAILED, "disk full");
        assertThat(apply(epoch, failed).run().state()).isEqualTo(RunState.FAILED);
        assertThat(apply(epoch, failed).kind()).isNotEqualTo(Runs.ResultKind.APPLIED);

        List<Map<String, Object>> d = deliveries();
        assertThat(d).extracting(r -> r.get("rule_id")).containsExactly(mine.id(), everyTeam.id(), thisJob.id());
        assertThat(d).extracting(r -> r.get("event_key")).containsOnly("RUN_FAILED:" + run.id() + ":1");
        assertThat((String) d.get(0).get("payload")).contains("\"jobName\": \"invoices\"", "\"error\": \"disk full\"",
                "\"state\": \"FAILED\"", "\"team\": \"billing\"");
        assertThat(List.of(otherTeam.id(), otherJob.id(), otherKind.id())).doesNotContain(
                d.stream().map(r -> (Long) r.get("rule_id")).toArray(Long[]::new));

        sql("UPDATE run SET error = 'edited' WHERE id = ?", run.id());
        sql("UPDATE run SET state = 'RUNNING' WHERE id = ?", run.id());
        sql("UPDATE run SET state = 'FAILED' WHERE id = ?", run.id());
        assertThat(deliveries()).as("the same attempt failing again by hand is the same event").hasSize(3);
    }

    @Test
    void aRerunThatFailsAgainIsANewEvent() {
        rule(null, null, Set.of(AlertKind.RUN_FAILED));
        RunView run = running("billing", "invoices");
        apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "once"));
        sql("UPDATE run SET state = 'RUNNING', attempt = 2 WHERE id = ?", run.id());
        sql("UPDATE run SET state = 'FAILED' WHERE id = ?", run.id());

        assertThat(deliveries()).extracting(r -> r.get("event_key"))
                .containsExactly("RUN_FAILED:" + run.id() + ":1", "RUN_FAILED:" + run.id() + ":2");
    }

    @Test
    void aWorkerLostWithTasksInHandIsOneAlertListingThem() {
        AlertRule all = rule(null, null, Set.of(AlertKind.WORKER_LOST));
        AlertRule search = rule("search", null, Set.of(AlertKind.WORKER_LOST));
        RunView a = running("billing", "a");
        RunView b = running("billing", "b");

        List<RunView> lost = runs.rescheduleLost(epoch, "worker-1", null);

        assertThat(lost).extracting(RunView::id).containsExactlyInAnyOrder(a.id(), b.id());
        List<Map<String, Object>> d = deliveries();
        assertThat(d).hasSize(1);
        assertThat(d.get(0).get("rule_id")).isEqualTo(all.id());
        assertThat(d.get(0).get("kind")).isEqualTo("WORKER_LOST");
        assertThat((String) d.get(0).get("payload")).contains("\"workerId\": \"worker-1\"",
                "\"runId\": " + a.id(), "\"runId\": " + b.id());
        assertThat(search.id()).isNotEqualTo(d.get(0).get("rule_id"));
    }

    @Test
    void skippedAndLateFiresOnEveryPathPlainSqlIncluded() {
        AlertRule r = alerts.createRule(new AlertRuleSpec("billing", null, Set.of(AlertKind.FIRE_SKIPPED,
                AlertKind.FIRE_LATE), "http://127.0.0.1:1/hook", SECRET, Duration.ofSeconds(30), null), AUDIT);
        JobDefinition j = job(JobSpec.of("nightly", "0 * * * * ?", "report").withTeam("billing"));
        RunView onTime = fire(epoch, j, runs.now().minusSeconds(5));
        RunView late = fire(epoch, j, runs.now().minusSeconds(60));
        sql("INSERT INTO run (team, job_name, task_type, state) VALUES ('billing', 'nightly', 'report', 'SKIPPED')");

        apply(epoch, result(onTime, "worker-1", ResultStatus.STARTED, null));
        apply(epoch, result(late, "worker-1", ResultStatus.STARTED, null));

        assertThat(deliveries()).extracting(d -> d.get("kind") + " " + d.get("rule_id"))
                .containsExactlyInAnyOrder("FIRE_SKIPPED " + r.id(), "FIRE_LATE " + r.id());
        assertThat(value("SELECT event_key FROM alert_delivery WHERE kind = 'FIRE_LATE'")).isEqualTo("FIRE_LATE:" + late.id());
    }

    @Test
    void firesAMisfirePolicySkippedAreOneAlertPerJobAndCursorThoughNoRunIsWritten() {
        AlertRule r = rule("billing", null, Set.of(AlertKind.FIRE_SKIPPED));
        JobDefinition j = job(JobSpec.of("hourly", "0 0 * * * ?", "report").withTeam("billing"));
        java.time.Instant owed = runs.now().minusSeconds(3 * 3600);
        List<Schedules.Settlement> settle = new java.util.ArrayList<>();
        for (Schedules.Change c : db.schedules().changes(10)) {
            settle.add(new Schedules.Settlement(c.job().id(), c.changeSeq(), owed, null));
        }
        db.schedules().settle(epoch, settle);
        java.time.Instant next = runs.now().plusSeconds(3600);

        db.schedules().planDue(epoch, Duration.ofSeconds(5), 100,
                (c, now, horizon) -> new Schedules.Decision(List.of(), next, 3));
        db.schedules().planDue(epoch, Duration.ofSeconds(5), 100,
                (c, now, horizon) -> new Schedules.Decision(List.of(), next, 3));

        assertThat(deliveries()).singleElement().satisfies(d -> {
            assertThat(d.get("rule_id")).isEqualTo(r.id());
            assertThat(d.get("event_key")).isEqualTo("FIRE_SKIPPED:misfire:" + j.id() + ":" + owed.toEpochMilli());
            assertThat((String) d.get("payload")).contains("\"skippedFires\": 3", "\"reason\": \"misfire policy\"");
        });
        assertThat(count("SELECT count(*) FROM run WHERE job_id = " + j.id())).isZero();
        assertThat(db.admin().jobRunStats(j.id(), 100).skips()).as("the job's stats name the misfire skips")
                .singleElement().satisfies(k -> {
                    assertThat(k.reason()).isEqualTo("misfire policy");
                    assertThat(k.count()).isEqualTo(3);
                });
    }

    @Test
    void aFireStillWaitingPastTheThresholdIsLateOnceWhetherItStartsLaterOrNot() {
        AlertRule r = alerts.createRule(new AlertRuleSpec("billing", null, Set.of(AlertKind.FIRE_LATE),
                "http://127.0.0.1:1/hook", SECRET, Duration.ofSeconds(30), null), AUDIT);
        JobDefinition j = job(JobSpec.of("stuck", "0 * * * * ?", "report").withTeam("billing"));
        RunView onTime = fire(epoch, j, runs.now().minusSeconds(5));
        RunView stuck = fire(epoch, j, runs.now().minusSeconds(60));

        assertThat(alerts.noticeLateFires(epoch, 100)).isEqualTo(1);
        assertThat(alerts.noticeLateFires(epoch, 100)).as("noticed once").isZero();
        apply(epoch, result(stuck, "worker-1", ResultStatus.STARTED, null));
        apply(epoch, result(onTime, "worker-1", ResultStatus.STARTED, null));

        assertThat(deliveries()).extracting(d -> d.get("event_key") + " " + d.get("rule_id"))
                .containsExactly("FIRE_LATE:" + stuck.id() + " " + r.id());
        assertThat((String) deliveries().get(0).get("payload")).contains("\"state\": \"QUEUED\"");
        assertThatThrownBy(() -> alerts.noticeLateFires(epoch - 1, 100)).isInstanceOf(FencedException.class);
    }

    @Test
    void aClaimCountsTheAttemptAndARecordedFailureWaitsItsBackoff() {
        rule(null, null, Set.of(AlertKind.RUN_FAILED));
        RunView run = running("billing", "invoices");
        apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "boom"));

        List<Alerts.Claim> claims = alerts.claimDue(epoch, 10, Duration.ofSeconds(30));
        assertThat(claims).hasSize(1);
        Alerts.Claim c = claims.get(0);
        assertThat(c.attempt()).isEqualTo(1);
        assertThat(c.secret()).isEqualTo(SECRET);
        assertThat(c.body()).contains("\"deliveryId\": " + c.deliveryId(), "\"deliveryAttempt\": 1",
                "\"attempt\": 1", "\"kind\": \"RUN_FAILED\"");
        assertThat(alerts.claimDue(epoch, 10, Duration.ofSeconds(30))).as("claimed: not due again").isEmpty();

        assertThat(alerts.record(c, Alerts.Outcome.failed(500, "HTTP 500", Duration.ofMinutes(1)))).isTrue();
        assertThat(alerts.record(c, Alerts.Outcome.delivered(200))).as("a claim records once").isFalse();
        assertThat(alerts.claimDue(epoch, 10, Duration.ofSeconds(30))).as("in backoff").isEmpty();

        sql("UPDATE alert_delivery SET next_attempt_at = now() - INTERVAL '1 second'");
        Alerts.Claim second = alerts.claimDue(epoch, 10, Duration.ofSeconds(30)).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.body()).as("the run's attempt is kept").contains("\"deliveryAttempt\": 2", "\"attempt\": 1");
        assertThat(alerts.record(c, Alerts.Outcome.delivered(200))).as("a stale claim changes nothing").isFalse();
        assertThat(alerts.record(second, Alerts.Outcome.delivered(204))).isTrue();

        AlertDelivery d = alerts.deliveries(null, null, 10).get(0);
        assertThat(d.status()).isEqualTo(AlertDelivery.Status.DELIVERED);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.deliveredAt()).isNotNull();
        assertThat(d.attemptLog()).extracting(AlertDelivery.Attempt::httpStatus).containsExactly(500, 204);
        assertThat(alerts.deliveries(Set.of("search"), null, 10)).as("the rule is for every team").isEmpty();
    }

    @Test
    void anOldLeaderCannotClaim() {
        rule(null, null, Set.of(AlertKind.RUN_FAILED));
        RunView run = running("billing", "invoices");
        apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "boom"));
        long newer = lease.acquire("master-b");

        assertThatThrownBy(() -> alerts.claimDue(epoch, 10, Duration.ofSeconds(30))).isInstanceOf(FencedException.class);
        assertThat(alerts.claimDue(newer, 10, Duration.ofSeconds(30))).hasSize(1);
    }

    @Test
    void aGapWithoutLeaderIsOneAlertPerRuleHoweverManyMastersNoticeIt() {
        sql("DELETE FROM leader_beat");
        AlertRule fast = alerts.createRule(new AlertRuleSpec(null, null, Set.of(AlertKind.NO_LEADER),
                "http://127.0.0.1:1/hook", SECRET, null, Duration.ofSeconds(10)), AUDIT);
        AlertRule slow = alerts.createRule(new AlertRuleSpec("billing", null, Set.of(AlertKind.NO_LEADER),
                "http://127.0.0.1:1/hook", SECRET, null, Duration.ofMinutes(10)), AUDIT);
        assertThat(alerts.noticeLeaderless("master-b")).as("no leader ever: nothing to measure").isZero();

        alerts.leaderBeat(epoch, "master-a");
        assertThat(alerts.noticeLeaderless("master-b")).as("a fresh beat").isZero();

        sql("UPDATE leader_beat SET beat_at = beat_at - INTERVAL '30 seconds'");
        assertThat(alerts.noticeLeaderless("master-b")).isEqualTo(1);
        assertThat(alerts.noticeLeaderless("master-c")).as("the same gap, noticed by another master").isZero();
        assertThat(alerts.noticeLeaderless("master-b")).isZero();
        List<Map<String, Object>> d = deliveries();
        assertThat(d).extracting(r -> r.get("rule_id")).containsExactly(fast.id());
        assertThat((String) d.get(0).get("payload")).contains("\"lastLeaderId\": \"master-a\"",
                "\"noticedBy\": \"master-b\"", "\"lastEpoch\": " + epoch);

        long old = epoch;
        epoch = lease.acquire("master-b");
        assertThatThrownBy(() -> alerts.leaderBeat(old, "master-a")).isInstanceOf(FencedException.class);
        alerts.leaderBeat(epoch, "master-b");
        sql("UPDATE leader_beat SET beat_at = beat_at - INTERVAL '30 seconds'");
        assertThat(alerts.noticeLeaderless("master-c")).as("a second gap is a new event").isEqualTo(1);
        assertThat(slow.id()).isNotIn(deliveries().stream().map(r -> r.get("rule_id")).toList());

        rule(null, null, Set.of(AlertKind.RUN_FAILED));
        RunView run = running("billing", "invoices");
        apply(epoch, result(run, "worker-1", ResultStatus.FAILED, "boom"));
        assertThat(alerts.claimLeaderless(10, Duration.ofSeconds(30))).as("without a leader, only NO_LEADER alerts")
                .hasSize(2).allMatch(c -> c.body().contains("\"kind\": \"NO_LEADER\""));
    }

    @Test
    void finishedDeliveriesAreKeptForTheRetentionPeriodAndPendingOnesUntilFinished() {
        rule(null, null, Set.of(AlertKind.RUN_FAILED));
        for (String name : List.of("old-delivered", "old-pending", "new-delivered")) {
            apply(epoch, result(running("billing", name), "worker-1", ResultStatus.FAILED, "boom"));
        }
        sql("UPDATE alert_delivery SET status = 'DELIVERED' WHERE payload->>'jobName' <> 'old-pending'");
        sql("UPDATE alert_delivery SET created_at = now() - INTERVAL '31 days' WHERE payload->>'jobName' LIKE 'old-%'");

        assertThat(alerts.purgeFinished(epoch, Duration.ofDays(30), 100)).isEqualTo(1);
        assertThat(rows("SELECT payload->>'jobName' AS j FROM alert_delivery ORDER BY id")).extracting(r -> r.get("j"))
                .containsExactly("old-pending", "new-delivered");
        assertThatThrownBy(() -> alerts.purgeFinished(epoch - 1, Duration.ofDays(30), 100))
                .isInstanceOf(FencedException.class);
    }

    @Test
    void deletingARuleAuditsItWithoutItsSecret() {
        AlertRule r = rule("billing", "invoices", Set.of(AlertKind.RUN_DEAD));
        assertThat(alerts.rules(Set.of("billing"))).containsExactly(r);
        assertThat(alerts.rules(Set.of("search"))).isEmpty();

        assertThat(alerts.deleteRule(r.id(), new AuditEntry("test", "alert.delete", "alert-rule:" + r.id(), "billing")))
                .contains(r);
        assertThat(alerts.rule(r.id())).isEmpty();
        assertThat(rows("SELECT before::text AS b FROM audit_event WHERE action = 'alert.delete'").get(0).get("b").toString())
                .contains("invoices").doesNotContain(SECRET);
    }
}
