package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.db.Schedules.Change;
import dev.rota.db.Schedules.Decision;
import dev.rota.db.Schedules.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job cursor, the change feed, set-based planning and its fence, against real PostgreSQL. */
class SchedulesTest extends DatabaseTest {
    static final Duration LOOKAHEAD = Duration.ofSeconds(5);

    Schedules schedules() {
        return db.schedules();
    }

    /** Settles every pending change with the given cursor (or the job's scheduleFrom rounded up when null). */
    void settleAll(long epoch, Instant cursor) {
        List<Settlement> s = new ArrayList<>();
        for (Change c : schedules().changes(1000)) {
            s.add(new Settlement(c.job().id(), c.changeSeq(), cursor, null));
        }
        schedules().settle(epoch, s);
    }

    /** Records exactly {@code times} for every due job, and moves its cursor to {@code next}. */
    Schedules.Page plan(long epoch, List<Instant> times, Instant next) {
        return schedules().planDue(epoch, LOOKAHEAD, 100, (c, now, horizon) -> new Decision(times, next, 0));
    }

    @Test
    void aJobInsertedWithPlainSqlIsAChangeUntilSettledAndOnlyDefinitionChangesComeBack() {
        long epoch = lease.acquire("m1");
        sql("INSERT INTO job (name, cron, task_type) VALUES ('plain', '0 * * * * ?', 'report')");
        List<Change> changes = schedules().changes(10);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.job().name()).isEqualTo("plain");
            assertThat(c.lastFire()).isNull();
        });
        Instant cursor = runs.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);

        assertThat(schedules().settle(epoch, List.of(new Settlement(changes.get(0).job().id(),
                changes.get(0).changeSeq(), cursor, null)))).isEqualTo(1);
        assertThat(schedules().changes(10)).isEmpty();
        assertThat(value("SELECT next_fire_at FROM job")).isNotNull();

        sql("UPDATE job SET schedule_error = 'noted by the leader'");
        assertThat(schedules().changes(10)).as("the leader's own notes are not changes").isEmpty();

        sql("UPDATE job SET payload = '{\"n\": 2}'");
        assertThat(schedules().changes(10)).singleElement()
                .satisfies(c -> assertThat(c.changeSeq()).isGreaterThan(changes.get(0).changeSeq()));
        assertThat(value("SELECT next_fire_at FROM job")).as("a change drops the cursor").isNull();
    }

    @Test
    void aSettlementOfAJobThatChangedAgainIsLeftForTheNextPass() {
        long epoch = lease.acquire("m1");
        JobDefinition j = job("twice");
        Change first = schedules().changes(10).get(0);
        jobs.setEnabled("default", "twice", false);

        assertThat(schedules().settle(epoch, List.of(new Settlement(j.id(), first.changeSeq(), runs.now(), null)))).isZero();
        assertThat(schedules().changes(10)).singleElement().satisfies(c -> assertThat(c.job().enabled()).isFalse());
    }

    @Test
    void planningRecordsScheduledFiresDueAtTheirTimeAndAdvancesTheCursorOnce() {
        long epoch = lease.acquire("m1");
        JobDefinition j = job(JobSpec.of("soon", "* * * * * ?", "report").withPayload("{\"k\": 1}")
                .withTimeout(Duration.ofSeconds(9)));
        Instant t = runs.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        settleAll(epoch, t);

        Schedules.Page page = plan(epoch, List.of(t, t.plusSeconds(1)), t.plusSeconds(60));

        assertThat(page.jobs()).isEqualTo(1);
        assertThat(page.inserted()).isEqualTo(2);
        assertThat(page.more()).isFalse();
        assertThat(rows("SELECT state, attempt, job_id, job_name, payload::text AS p, timeout_ms, epoch,"
                + " scheduled_at = due_at AS on_time FROM run ORDER BY scheduled_at")).hasSize(2).allSatisfy(r -> {
                    assertThat(r.get("state")).isEqualTo("SCHEDULED");
                    assertThat(r.get("attempt")).isEqualTo(0);
                    assertThat(r.get("job_id")).isEqualTo(j.id());
                    assertThat(r.get("job_name")).isEqualTo("soon");
                    assertThat(r.get("p")).isEqualTo("{\"k\": 1}");
                    assertThat(r.get("timeout_ms")).isEqualTo(9000L);
                    assertThat(r.get("epoch")).isNull();
                    assertThat(r.get("on_time")).isEqualTo(true);
                });
        assertThat(runs.nextDueAt()).contains(t);
        assertThat(runs.claimDue(epoch, 10)).as("nothing is dispatched before its time").isEmpty();
        assertThat(plan(epoch, List.of(t), t.plusSeconds(60)).jobs()).as("the cursor is past the horizon now").isZero();

        sql("UPDATE job SET next_fire_at = ?::timestamptz", t.toString());
        assertThat(plan(epoch, List.of(t, t.plusSeconds(1)), t.plusSeconds(2)).inserted())
                .as("a fire recorded before is not recorded again").isZero();
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(2);
    }

    @Test
    void aFencedPlanWritesNothing() {
        long old = lease.acquire("m1");
        job("fenced");
        Instant t = runs.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        settleAll(old, t);
        job("changed-since");
        lease.acquire("m2");
        String before = snapshot();

        assertThatThrownBy(() -> plan(old, List.of(t), t.plusSeconds(60))).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> settleAll(old, t)).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> schedules().takeDeletions(old, 10)).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> schedules().purgeFinished(old, runs.now(), 0, 10, null)).isInstanceOf(FencedException.class);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aChangeOrADeleteRemovesTheFiresRecordedAheadButNotWhatWasDispatched() {
        long epoch = lease.acquire("m1");
        JobDefinition j = job("ahead");
        Instant now = runs.now().truncatedTo(ChronoUnit.SECONDS);
        settleAll(epoch, now.minusSeconds(1));
        plan(epoch, List.of(now.minusSeconds(1), now.plusSeconds(3), now.plusSeconds(4)), now.plusSeconds(5));
        RunView dispatched = runs.claimDue(epoch, 10).get(0);

        sql("UPDATE job SET cron = '0 0 * * * ?'");
        assertThat(rows("SELECT id FROM run")).as("the future fires went with the old definition")
                .extracting(r -> r.get("id")).containsExactly(dispatched.id());

        sql("UPDATE job SET next_fire_at = ?::timestamptz", now.plusSeconds(3).toString());
        plan(epoch, List.of(now.plusSeconds(3)), now.plusSeconds(60));
        assertThat(jobs.delete("default", "ahead")).isTrue();
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(1);
        assertThat(schedules().takeDeletions(epoch, 10)).containsExactly(new Schedules.Deletion(j.id(), "default", "ahead"));
        assertThat(schedules().takeDeletions(epoch, 10)).as("reported once").isEmpty();
    }

    @Test
    void retentionDeletesOldFinishedRunsInBatchesButKeepsTheNewestOfEachJob() {
        long epoch = lease.acquire("m1");
        JobDefinition j = job("history");
        Instant base = runs.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        sql("INSERT INTO run (job_id, job_name, task_type, scheduled_at, due_at, state, attempt, finished_at)"
                + " SELECT ?, 'history', 'report', ?::timestamptz + g * interval '1 minute', ?::timestamptz + g * interval '1 minute',"
                + " 'SUCCEEDED', 1, ?::timestamptz + g * interval '1 minute' FROM generate_series(1, 30) g",
                j.id(), base.toString(), base.toString(), base.toString());
        sql("INSERT INTO run (task_type, scheduled_at, due_at, state, attempt, finished_at)"
                + " SELECT 'report', ?::timestamptz, ?::timestamptz, 'FAILED', 1, ?::timestamptz FROM generate_series(1, 7)",
                base.toString(), base.toString(), base.toString());
        sql("INSERT INTO run_attempt (run_id, attempt, epoch, dispatched_at) SELECT id, 1, 1, now() FROM run");
        sql("INSERT INTO run_event (run_id, attempt, kind) SELECT id, 1, 'STALE_RESULT' FROM run");
        RunView recent = runs.submit(TaskSubmission.of("report", "{}", runs.now()));
        sql("UPDATE run SET state = 'SUCCEEDED', finished_at = now() WHERE id = ?", recent.id());

        Instant cutoff = runs.now().minus(Duration.ofDays(7));
        int batches = 0;
        Schedules.PurgeMark mark = null;
        int deleted = 0;
        do {
            Schedules.Purge p = schedules().purgeFinished(epoch, cutoff, 10, 4, mark);
            deleted += p.runs();
            mark = p.next();
            batches++;
        } while (mark != null);

        assertThat(batches).as("37 old finished runs in batches of 4").isEqualTo(10);
        assertThat(deleted).isEqualTo(20 + 7);
        assertThat(count("SELECT count(*) FROM run WHERE job_id = ?", j.id())).as("the newest 10 of the job").isEqualTo(10);
        assertThat(value("SELECT min(scheduled_at) = ?::timestamptz + interval '21 minutes' FROM run WHERE job_id = ?",
                base.toString(), j.id())).isEqualTo(true);
        assertThat(runs.find(recent.id())).as("finished within the retention").isPresent();
        assertThat(count("SELECT count(*) FROM run_attempt")).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM run_event")).isEqualTo(10);
    }
}
