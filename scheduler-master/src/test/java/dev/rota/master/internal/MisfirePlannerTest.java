package dev.rota.master.internal;

import dev.rota.master.CronSchedule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.db.JobDefinition;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MisfirePlannerTest {
    private static final CronSchedule EVERY_MINUTE = CronSchedule.parse("0 * * * * ?", "UTC");
    private static final Duration THRESHOLD = Duration.ofMinutes(1);
    private static final Instant CREATED = Instant.parse("2024-05-01T08:00:00.123Z");

    static JobDefinition job(MisfirePolicy policy, int limit, Instant scheduleFrom) {
        return new JobDefinition(1, "default", "job", "0 * * * * ?", "UTC", "report", "{}", true, policy, limit,
                ConcurrencyPolicy.ALLOW, RetryPolicy.NONE, null, null, scheduleFrom, CREATED, CREATED, 1);
    }

    private static Instant t(String hhmmss) {
        return Instant.parse("2024-05-01T" + hhmmss + "Z");
    }

    private static List<Instant> minutes(String fromHhmm, String toHhmm) {
        List<Instant> out = new ArrayList<>();
        for (Instant i = t(fromHhmm + ":00"); !i.isAfter(t(toHhmm + ":00")); i = i.plusSeconds(60)) {
            out.add(i);
        }
        return out;
    }

    private static MisfirePlanner.Plan plan(MisfirePolicy policy, int limit, Instant lastFire, Instant now) {
        return MisfirePlanner.plan(job(policy, limit, CREATED), EVERY_MINUTE, lastFire, now, THRESHOLD);
    }

    @Test
    void nothingOwedRightAfterTheLastFire() {
        MisfirePlanner.Plan p = plan(MisfirePolicy.FIRE_ONCE, 100, t("10:00:00"), t("10:00:30"));
        assertThat(p.fires()).isEmpty();
        assertThat(p.skipped()).isZero();
    }

    @Test
    void aFireWithinTheThresholdIsOnTimeUnderEveryPolicy() {
        for (MisfirePolicy policy : MisfirePolicy.values()) {
            MisfirePlanner.Plan p = plan(policy, 100, t("10:00:00"), t("10:01:45"));
            assertThat(p.fires()).as(policy.name()).containsExactly(t("10:01:00"));
            assertThat(p.skipped()).as(policy.name()).isZero();
        }
    }

    @Test
    void theLastFireIsNeverPlannedAgainAndTheFutureNeverPlanned() {
        MisfirePlanner.Plan p = plan(MisfirePolicy.FIRE_ALL, 100, t("10:00:00"), t("10:02:00"));
        assertThat(p.fires()).containsExactly(t("10:01:00"), t("10:02:00"));
        assertThat(p.fires()).doesNotContain(t("10:00:00"), t("10:03:00"));
    }

    /** Last fire 09:00, now 10:00:30: 09:01 to 09:59 (59 times) were missed, 10:00 is on time. */
    @Test
    void fireOnceFiresTheLatestMissedTimeAndTheOnTimeOne() {
        MisfirePlanner.Plan p = plan(MisfirePolicy.FIRE_ONCE, 100, t("09:00:00"), t("10:00:30"));
        assertThat(p.fires()).containsExactly(t("09:59:00"), t("10:00:00"));
        assertThat(p.skipped()).isEqualTo(58);
    }

    @Test
    void fireAllFiresEveryMissedTimeUpToTheLimit() {
        MisfirePlanner.Plan all = plan(MisfirePolicy.FIRE_ALL, 100, t("09:00:00"), t("10:00:30"));
        assertThat(all.fires()).isEqualTo(minutes("09:01", "10:00"));
        assertThat(all.skipped()).isZero();

        MisfirePlanner.Plan capped = plan(MisfirePolicy.FIRE_ALL, 5, t("09:00:00"), t("10:00:30"));
        List<Instant> expected = new ArrayList<>(minutes("09:55", "09:59"));
        expected.add(t("10:00:00"));
        assertThat(capped.fires()).as("the newest missed times, then the on-time one").isEqualTo(expected);
        assertThat(capped.skipped()).isEqualTo(54);
    }

    @Test
    void skipFiresOnlyTheOnTimeOne() {
        MisfirePlanner.Plan p = plan(MisfirePolicy.SKIP, 100, t("09:00:00"), t("10:00:30"));
        assertThat(p.fires()).containsExactly(t("10:00:00"));
        assertThat(p.skipped()).isEqualTo(59);
    }

    @Test
    void withoutAFireTheScheduleStartsAtScheduleFrom() {
        Instant from = t("09:50:10");
        MisfirePlanner.Plan p = MisfirePlanner.plan(job(MisfirePolicy.FIRE_ALL, 100, from), EVERY_MINUTE, null,
                t("10:00:30"), THRESHOLD);
        assertThat(p.fires()).isEqualTo(minutes("09:51", "10:00"));
    }

    @Test
    void aScheduleFromLaterThanTheLastFireWins() {
        // Disabled after the 09:00 fire, re-enabled at 09:50:10: the times in between are not owed.
        MisfirePlanner.Plan p = MisfirePlanner.plan(job(MisfirePolicy.FIRE_ALL, 100, t("09:50:10")), EVERY_MINUTE,
                t("09:00:00"), t("10:00:30"), THRESHOLD);
        assertThat(p.fires()).isEqualTo(minutes("09:51", "10:00"));
        assertThat(p.skipped()).isZero();
    }

    @Test
    void aLastFireLaterThanScheduleFromWins() {
        MisfirePlanner.Plan p = MisfirePlanner.plan(job(MisfirePolicy.FIRE_ALL, 100, t("09:00:00")), EVERY_MINUTE,
                t("09:58:00"), t("10:00:30"), THRESHOLD);
        assertThat(p.fires()).containsExactly(t("09:59:00"), t("10:00:00"));
    }

    @Test
    void aNewJobOwesNothingBeforeItsFirstTime() {
        Instant from = t("10:00:05");
        MisfirePlanner.Plan p = MisfirePlanner.plan(job(MisfirePolicy.FIRE_ALL, 100, from), EVERY_MINUTE, null,
                t("10:00:40"), THRESHOLD);
        assertThat(p.fires()).isEmpty();
        assertThat(p.skipped()).isZero();
    }

    @Test
    void aLongerThresholdTreatsMoreTimesAsOnTime() {
        MisfirePlanner.Plan p = MisfirePlanner.plan(job(MisfirePolicy.SKIP, 100, CREATED), EVERY_MINUTE, t("09:00:00"),
                t("10:00:30"), Duration.ofMinutes(5));
        assertThat(p.fires()).isEqualTo(minutes("09:56", "10:00"));
        assertThat(p.skipped()).isEqualTo(55);
    }
}
