package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

    @Test
    void parsesAValidExpression() {
        CronSchedule s = CronSchedule.parse("0 0/15 * * * ?", "UTC");

        assertThat(s.expression()).isEqualTo("0 0/15 * * * ?");
        assertThat(s.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(s.nextAfter(Instant.parse("2024-05-01T10:07:13Z"))).isEqualTo(Instant.parse("2024-05-01T10:15:00Z"));
        assertThat(s.nextAfter(Instant.parse("2024-05-01T10:15:00Z")))
                .as("strictly after").isEqualTo(Instant.parse("2024-05-01T10:30:00Z"));
        assertThat(s.nextAfter(Instant.parse("2024-05-01T10:14:59.999Z"))).isEqualTo(Instant.parse("2024-05-01T10:15:00Z"));
    }

    @Test
    void secondsAndYearFieldsAreQuartzSyntax() {
        CronSchedule everyTenSeconds = CronSchedule.parse("*/10 * * * * ?", "UTC");
        assertThat(everyTenSeconds.nextAfter(Instant.parse("2024-05-01T10:00:01Z"))).isEqualTo(Instant.parse("2024-05-01T10:00:10Z"));

        CronSchedule weekdays = CronSchedule.parse("0 15 10 ? * MON-FRI", "UTC");
        // 2024-05-04 is a Saturday.
        assertThat(weekdays.nextAfter(Instant.parse("2024-05-04T00:00:00Z"))).isEqualTo(Instant.parse("2024-05-06T10:15:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a cron", "0 0 * * *", "", "61 * * * * ?", "0 0 0 ? * 1#", "0 0 12 * * * *"})
    void aMalformedExpressionIsNamedInTheMessage(String cron) {
        assertThatThrownBy(() -> CronSchedule.parse(cron, "UTC"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageStartingWith("malformed cron expression '" + cron + "': ")
                .hasMessageContaining("Quartz syntax");
    }

    @Test
    void unixStyleFiveFieldsAreExplained() {
        assertThatThrownBy(() -> CronSchedule.parse("*/5 * * * *", "UTC"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("'*/5 * * * *'")
                .hasMessageContaining("seconds first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "", "Europe/Berln", "+25:00"})
    void anUnknownZoneIsNamedInTheMessage(String zone) {
        assertThatThrownBy(() -> CronSchedule.parse("0 0 * * * ?", zone))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageStartingWith("unknown time zone '" + zone + "'");
    }

    @Test
    void anExpressionThatNeverFiresAgainIsRejected() {
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 1 1 ? 2001", "UTC"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("cron expression '0 0 0 1 1 ? 2001' never fires again");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 31 2 ?", "UTC"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("never fires again");
    }

    @Test
    void aZoneWithDaylightSavingShiftsTheInstant() {
        CronSchedule nineInBerlin = CronSchedule.parse("0 0 9 * * ?", "Europe/Berlin");

        List<Instant> times = nineInBerlin.between(Instant.parse("2024-03-29T12:00:00Z"),
                Instant.parse("2024-04-01T12:00:00Z"), 10).times();

        // Winter time (UTC+1) until the night of 30 to 31 March 2024, summer time (UTC+2) after.
        assertThat(times).containsExactly(
                Instant.parse("2024-03-30T08:00:00Z"),
                Instant.parse("2024-03-31T07:00:00Z"),
                Instant.parse("2024-04-01T07:00:00Z"));
        assertThat(CronSchedule.parse("0 0 9 * * ?", "UTC").nextAfter(Instant.parse("2024-03-31T00:00:00Z")))
                .isEqualTo(Instant.parse("2024-03-31T09:00:00Z"));
    }

    @Test
    void fixedOffsetZones() {
        CronSchedule s = CronSchedule.parse("0 0 9 * * ?", "+05:30");
        assertThat(s.nextAfter(Instant.parse("2024-01-01T00:00:00Z"))).isEqualTo(Instant.parse("2024-01-01T03:30:00Z"));
        assertThat(CronSchedule.parse("0 0 9 * * ?", "Z").nextAfter(Instant.parse("2024-01-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2024-01-01T09:00:00Z"));
    }

    @Test
    void betweenIsExclusiveInclusiveAndKeepsTheNewestUpToTheLimit() {
        CronSchedule everyMinute = CronSchedule.parse("0 * * * * ?", "UTC");
        Instant after = Instant.parse("2024-05-01T10:00:00Z");
        Instant upTo = Instant.parse("2024-05-01T10:10:00Z");

        CronSchedule.Window all = everyMinute.between(after, upTo, 100);
        assertThat(all.times()).hasSize(10)
                .startsWith(Instant.parse("2024-05-01T10:01:00Z"))
                .endsWith(Instant.parse("2024-05-01T10:10:00Z"))
                .isSorted();
        assertThat(all.dropped()).isZero();

        CronSchedule.Window limited = everyMinute.between(after, upTo, 3);
        assertThat(limited.times()).containsExactly(
                Instant.parse("2024-05-01T10:08:00Z"),
                Instant.parse("2024-05-01T10:09:00Z"),
                Instant.parse("2024-05-01T10:10:00Z"));
        assertThat(limited.dropped()).isEqualTo(7);

        CronSchedule.Window one = everyMinute.between(after, upTo, 1);
        assertThat(one.times()).containsExactly(upTo);
        assertThat(one.dropped()).isEqualTo(9);
    }

    @Test
    void betweenOfAnEmptyWindow() {
        CronSchedule hourly = CronSchedule.parse("0 0 * * * ?", "UTC");
        CronSchedule.Window w = hourly.between(Instant.parse("2024-05-01T10:00:00Z"), Instant.parse("2024-05-01T10:59:59Z"), 5);
        assertThat(w.times()).isEmpty();
        assertThat(w.dropped()).isZero();
        assertThat(hourly.between(Instant.parse("2024-05-01T12:00:00Z"), Instant.parse("2024-05-01T10:00:00Z"), 5).times())
                .as("upTo before after").isEmpty();
    }

    @Test
    void aScheduleEndingInAYearStopsThere() {
        CronSchedule s = CronSchedule.parse("0 0 0 1 1 ? 2098-2099", "UTC");
        assertThat(s.nextAfter(Instant.parse("2099-01-01T00:00:00Z"))).isNull();
        CronSchedule.Window w = s.between(Instant.parse("2097-06-01T00:00:00Z"), Instant.parse("2200-01-01T00:00:00Z"), 10);
        assertThat(w.times()).containsExactly(Instant.parse("2098-01-01T00:00:00Z"), Instant.parse("2099-01-01T00:00:00Z"));
    }

    @Test
    void aMonthOfMissedSecondsIsNotWalkedOneByOne() {
        CronSchedule everySecond = CronSchedule.parse("* * * * * ?", "UTC");
        Instant upTo = Instant.parse("2024-06-01T00:00:00Z");
        long started = System.nanoTime();
        CronSchedule.Window newest = everySecond.between(upTo.minus(java.time.Duration.ofDays(30)), upTo, 3);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(newest.times()).containsExactly(upTo.minusSeconds(2), upTo.minusSeconds(1), upTo);
        assertThat(newest.droppedExact()).isFalse();
        assertThat(newest.dropped()).isPositive();
        System.out.println("newest 3 of 30 days of per-second fire times found in " + millis + " ms");
    }
}
