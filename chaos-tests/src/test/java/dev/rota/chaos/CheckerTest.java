package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.chaos.ChaosReport.Allowances;
import dev.rota.chaos.ClusterRecord.Attempt;
import dev.rota.chaos.ClusterRecord.Execution;
import dev.rota.chaos.ClusterRecord.Job;
import dev.rota.chaos.ClusterRecord.Run;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checker judged on synthetic rows, no cluster: each check must fail on the record that breaks it,
 * and a clean record must pass. Every record has one FIRE_ALL job firing every second from {@link #T0}
 * for 20 s under epoch 1, dispatched 50 ms and executed 100 ms after each cron time.
 */
class CheckerTest {
    static final Instant T0 = Instant.parse("2026-11-29T04:00:00Z");
    static final Instant UNTIL = T0.plusSeconds(20);
    static final String EVERY_SECOND = Workload.EVERY_SECOND;

    /** A record under construction; fires are consistent (run, attempt, execution) unless changed after. */
    static final class Rows {
        final List<Job> jobs = new ArrayList<>();
        final List<Run> runs = new ArrayList<>();
        final List<Attempt> attempts = new ArrayList<>();
        final List<Execution> executions = new ArrayList<>();
        final Map<String, Long> skips = new HashMap<>();
        long nextRun = 1;

        Job job(long id, String name, String cron, String policy) {
            Job j = new Job(id, name, cron, "UTC", policy, T0, true);
            jobs.add(j);
            return j;
        }

        /** Fires of {@code job} at every second in (from, to], by {@code epoch}, {@code lateMs} late. */
        Rows fires(Job job, long fromSecond, long toSecond, long epoch, long lateMs) {
            for (long s = fromSecond + 1; s <= toSecond; s++) {
                fire(job, T0.plusSeconds(s), epoch, lateMs);
            }
            return this;
        }

        Run fire(Job job, Instant t, long epoch, long lateMs) {
            Run r = new Run(nextRun++, job.id(), RecordHandlerProvider.TASK_TYPE, t, "SUCCEEDED", 1, "w1",
                    t.plusMillis(lateMs + 200));
            runs.add(r);
            attempts.add(new Attempt(r.id(), 1, epoch, "w1", "SUCCEEDED", t.plusMillis(lateMs)));
            executions.add(new Execution(r.id(), 1, "w1", job.name(), t, t.plusMillis(lateMs + 50),
                    t.plusMillis(lateMs + 100)));
            return r;
        }

        ClusterRecord build() {
            return new ClusterRecord(jobs, runs, attempts, executions, Map.of(), 1, skips);
        }
    }

    static Rows healthy() {
        Rows rows = new Rows();
        rows.fires(rows.job(1, "tick", EVERY_SECOND, "FIRE_ALL"), 0, 22, 1, 50);
        return rows;
    }

    static ChaosReport judge(ClusterRecord rec) {
        return new Checker(null, new FaultTimeline(Clock.fixed(T0, ZoneOffset.UTC))).judge("unit", rec, UNTIL);
    }

    @Test
    void aCleanRecordPasses() {
        ChaosReport report = judge(healthy().build());
        report.assertInvariants();
        assertThat(report.figure("expectedFires")).isEqualTo(20);
        assertThat(report.figure("executions")).isEqualTo(22);
    }

    @Test
    void aReportWithNoFireOwedFails() {
        ChaosReport report = judge(new Rows().build());
        assertThat(report.figure("expectedFires")).isZero();
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("none means nothing was checked");
    }

    @Test
    void aLostFireAllFireFails() {
        Rows rows = healthy();
        rows.runs.removeIf(r -> r.scheduledAt().equals(T0.plusSeconds(7)));
        ChaosReport report = judge(rows.build());
        assertThat(report.lostFires()).isEqualTo(1);
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("tick@" + T0.plusSeconds(7));
    }

    @Test
    void anExecutionDoubledWithinOneAttemptFailsUnlessTheScenarioAllowsIt() {
        Rows rows = healthy();
        Execution e = rows.executions.get(3);
        rows.executions.add(new Execution(e.runId(), e.attempt(), "w2", e.jobName(), e.scheduledAt(),
                e.startedAt().plusMillis(10), e.finishedAt().plusMillis(10)));
        ChaosReport report = judge(rows.build());
        assertThat(report.offendingRuns("attemptsExecutedMoreThanOnce")).containsExactly(e.runId());
        assertThat(report.offendingRuns("runsExecutedMoreThanOnce")).containsExactly(e.runId());
        assertThat(report.duplicateFires()).isEqualTo(1);
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("attemptsExecutedMoreThanOnce")
                .hasMessageContaining("duplicateFires");
        report.assertInvariants(Allowances.NONE.runningAgain(Set.of(e.runId())));
    }

    @Test
    void oneFireRunUnderTwoRunsIsADuplicateFireAlthoughEachRunRanOnce() {
        Rows rows = healthy();
        Job tick = rows.jobs.get(0);
        rows.fire(tick, T0.plusSeconds(5), 1, 80);
        ChaosReport report = judge(rows.build());
        assertThat(report.duplicateFires()).isEqualTo(1);
        assertThat(report.figure("runsExecutedMoreThanOnce")).isZero();
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("tick@" + T0.plusSeconds(5) + " executed 2x");
    }

    @Test
    void anEarlyDispatchFailsByTheDatabaseClockAndAnEarlyHandlerStartByTheWorkers() {
        Rows rows = healthy();
        Attempt a = rows.attempts.get(2);
        rows.attempts.set(2, new Attempt(a.runId(), 1, 1, "w1", "SUCCEEDED", rows.runs.get(2).scheduledAt().minusMillis(1)));
        Execution e = rows.executions.get(4);
        rows.executions.set(4, new Execution(e.runId(), 1, "w1", e.jobName(), e.scheduledAt(),
                e.scheduledAt().minusMillis(5), e.finishedAt()));
        ChaosReport report = judge(rows.build());
        assertThat(report.offendingRuns("earlyDispatches")).containsExactly(a.runId());
        assertThat(report.offendingRuns("earlyHandlerStarts")).containsExactly(e.runId());
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("earlyDispatches")
                .hasMessageContaining("earlyHandlerStarts");
    }

    @Test
    void aFireAtATimeTheCronNeverProducesFails() {
        Rows rows = healthy();
        rows.fire(rows.jobs.get(0), T0.plusMillis(5_500), 1, 10);
        ChaosReport report = judge(rows.build());
        assertThat(report.figure("offScheduleFires")).isEqualTo(1);
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("offScheduleFires");
    }

    @Test
    void aCronTheCheckerCannotParseIsAnErrorNotAJobThatOwesNothing() {
        Rows rows = healthy();
        rows.job(2, "broken", "every second please", "FIRE_ALL");
        ChaosReport report = judge(rows.build());
        assertThat(report.figure("unparseableCrons")).isEqualTo(1);
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("broken: 'every second please'");
    }

    @Test
    void aRunEndedWithoutExecutingFailsUnlessTheScenarioExpectsIt() {
        Rows rows = healthy();
        Run dead = new Run(100, null, RecordHandlerProvider.TASK_TYPE, T0.plusSeconds(3), "DEAD", 5, null,
                T0.plusSeconds(9));
        rows.runs.add(dead);
        rows.attempts.add(new Attempt(100, 5, 1, "w2", "LOST", T0.plusSeconds(4)));
        ChaosReport report = judge(rows.build());
        assertThat(report.offendingRuns("runsEndedBadly")).containsExactly(100L);
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("100 record DEAD attempt 5 after 0 execution");
        report.assertInvariants(Allowances.NONE.endingBadly(Set.of(100L)));
    }

    @Test
    void aSuccessRecordedBeforeItsHandlerFinishedFails() {
        Rows rows = healthy();
        Run r = rows.runs.get(6);
        rows.runs.set(6, new Run(r.id(), r.jobId(), r.taskType(), r.scheduledAt(), "SUCCEEDED", 1, "evil",
                r.scheduledAt().plusMillis(60)));
        ChaosReport report = judge(rows.build());
        assertThat(report.offendingRuns("successWithoutCompletedHandler")).containsExactly(r.id());
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("successWithoutCompletedHandler");
    }

    @Test
    void runsAfterTheCutOffAreJudgedButMayStillBeInFlight() {
        Rows rows = healthy();
        Run late = rows.runs.get(21);
        assertThat(late.scheduledAt()).isAfter(UNTIL);
        rows.executions.add(new Execution(late.id(), 1, "w2", "tick", late.scheduledAt(),
                late.scheduledAt().plusMillis(70), late.scheduledAt().plusMillis(90)));
        rows.runs.add(new Run(200, null, RecordHandlerProvider.TASK_TYPE, UNTIL.plusMillis(500), "RUNNING", 1, "w1", null));
        ChaosReport report = judge(rows.build());
        assertThat(report.offendingRuns("attemptsExecutedMoreThanOnce")).containsExactly(late.id());
        assertThat(report.figure("unfinishedRuns")).isZero();
        assertThat(report.figure("inFlightAfterCutoff")).isEqualTo(1);
    }

    @Test
    void anUnfinishedRunBeforeTheCutOffFails() {
        Rows rows = healthy();
        rows.runs.add(new Run(300, null, RecordHandlerProvider.TASK_TYPE, T0.plusSeconds(2), "QUEUED", 1, null, null));
        assertThatThrownBy(judge(rows.build())::assertInvariants).hasMessageContaining("300 QUEUED");
    }

    /** Epoch 1 dispatches up to second 8; epoch 2 takes over at second 14 and fires what its policy owes. */
    static Rows handover(String policy) {
        Rows rows = new Rows();
        Job all = rows.job(1, "all", EVERY_SECOND, "FIRE_ALL");
        Job job = rows.job(2, "p", EVERY_SECOND, policy);
        rows.fires(all, 0, 8, 1, 50).fires(job, 0, 8, 1, 50);
        for (long s = 9; s <= 14; s++) {
            rows.fire(all, T0.plusSeconds(s), 2, (14 - s) * 1000 + 100);
        }
        return rows;
    }

    @Test
    void fireOnceOwesExactlyOneCatchUpPerHandover() {
        Rows rows = handover("FIRE_ONCE");
        Job p = rows.jobs.get(1);
        rows.fire(p, T0.plusSeconds(13), 2, 1_100);
        rows.fires(p, 13, 22, 2, 50);
        rows.fires(rows.jobs.get(0), 14, 22, 2, 50);
        rows.skips.put("p", 4L);
        ChaosReport report = judge(rows.build());
        report.assertInvariants();
        assertThat(report.perJob("missedByPolicy", "p")).isEqualTo(4);
        assertThat(report.perJob("fireOnceCatchUps", "p")).isEqualTo(1);
    }

    @Test
    void aMissingFireOnceCatchUpFails() {
        Rows rows = handover("FIRE_ONCE");
        Job p = rows.jobs.get(1);
        rows.fires(p, 13, 22, 2, 50);
        rows.fires(rows.jobs.get(0), 14, 22, 2, 50);
        rows.skips.put("p", 5L);
        ChaosReport report = judge(rows.build());
        assertThat(report.figure("misfirePolicyViolations")).isEqualTo(1);
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("not the catch-up FIRE_ONCE owes");
    }

    @Test
    void aFireOnceOrSkipFireMissedWhileALeaderWasDispatchingIsLost() {
        Rows rows = healthy();
        Job p = rows.job(2, "p", EVERY_SECOND, "FIRE_ONCE");
        rows.fires(p, 0, 22, 1, 50);
        rows.runs.removeIf(r -> r.jobId() == 2 && r.scheduledAt().equals(T0.plusSeconds(10)));
        rows.skips.put("p", 1L);
        ChaosReport report = judge(rows.build());
        assertThat(report.lostFires()).isEqualTo(1);
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("p@" + T0.plusSeconds(10) + " (no handover then)");
    }

    @Test
    void skipOwesNothingInAHandoverButMustMatchWhatTheLeaderReportedSkipping() {
        Rows rows = handover("SKIP");
        rows.fires(rows.jobs.get(1), 13, 22, 2, 50);
        rows.fires(rows.jobs.get(0), 14, 22, 2, 50);
        rows.skips.put("p", 5L);
        judge(rows.build()).assertInvariants();

        rows.skips.put("p", 2L);
        ChaosReport report = judge(rows.build());
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("leaders reported skipping 2 fire(s), the record misses 5");
    }

    /**
     * Epoch 1 recorded the job's fires at seconds 9-11 ahead and died; epoch 2, which began at second 14,
     * dispatched them late. No time is missing for them, so only the term's start shows they were missed
     * times: SKIP may fire none, FIRE_ONCE one (its catch-up). The honest records pass.
     */
    @Test
    void firesMissedBeforeATermBeganAndDispatchedByItAreHeldToThePolicy() {
        FaultTimeline timeline = new FaultTimeline(Clock.fixed(T0, ZoneOffset.UTC));
        for (String policy : List.of("SKIP", "FIRE_ONCE")) {
            Rows late = handover(policy);
            Job p = late.jobs.get(1);
            for (long s = 9; s <= 11; s++) {
                late.fire(p, T0.plusSeconds(s), 2, (14 - s) * 1000 + 200);
            }
            late.fires(p, 12, 22, 2, 50).fires(late.jobs.get(0), 14, 22, 2, 50);
            late.skips.put("p", 1L);
            if ("SKIP".equals(policy)) {
                assertThat(new Checker(null, timeline).judge("unit", late.build(), UNTIL).figure("misfirePolicyViolations"))
                        .as("without the term's start the checker is blind to them").isZero();
            }
            FaultTimeline seen = new FaultTimeline(Clock.fixed(T0, ZoneOffset.UTC));
            seen.takeover(T0.plusSeconds(14), "m2", 2);
            ChaosReport report = new Checker(null, seen).judge("unit", late.build(), UNTIL);
            assertThatThrownBy(report::assertInvariants).as(policy)
                    .hasMessageContaining("first dispatched 3 fire(s) missed before it")
                    .hasMessageContaining("the policy allows " + ("SKIP".equals(policy) ? 0 : 1));

            Rows honest = handover(policy);
            if ("FIRE_ONCE".equals(policy)) {
                honest.fire(honest.jobs.get(1), T0.plusSeconds(12), 2, 2_200);
                honest.skips.put("p", 3L);
            } else {
                honest.skips.put("p", 4L);
            }
            honest.fires(honest.jobs.get(1), 12, 22, 2, 50).fires(honest.jobs.get(0), 14, 22, 2, 50);
            new Checker(null, seen).judge("unit", honest.build(), UNTIL).assertInvariants();
        }
    }

    @Test
    void aHandoverThatNeverResumesTheScheduleFails() {
        Rows rows = handover("SKIP");
        rows.fires(rows.jobs.get(0), 14, 22, 2, 50);
        rows.skips.put("p", 5L);
        ChaosReport report = judge(rows.build());
        assertThatThrownBy(report::assertInvariants).hasMessageContaining("the schedule did not resume");
    }

    @Test
    void handoverWindowsRunFromAnEpochsLastDispatchToTheNextOnesFirst() {
        Rows rows = handover("FIRE_ALL");
        List<FireJudge.Window> windows = FireJudge.handovers(rows.build().attempts());
        assertThat(windows).singleElement().satisfies(w -> {
            assertThat(w.from()).isEqualTo(T0.plusSeconds(8).plusMillis(50).minus(FireJudge.HANDOVER_SLACK));
            assertThat(w.to()).isEqualTo(T0.plusSeconds(14).plusMillis(100).plus(FireJudge.HANDOVER_SLACK));
        });
        assertThat(Duration.between(windows.get(0).from(), windows.get(0).to())).isPositive();
    }
}
