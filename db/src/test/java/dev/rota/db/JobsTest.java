package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobsTest extends DatabaseTest {

    private JobDefinition insertBySql(String name) {
        assertThat(sql("INSERT INTO job (name, cron, task_type) VALUES (?, '0 0 * * * ?', 'report')", name)).isEqualTo(1);
        return jobs.find("default", name).orElseThrow();
    }

    @Test
    void enabledTaskTypesAreTheDistinctTypesOfEnabledJobsOnly() {
        sql("INSERT INTO job (name, cron, task_type, enabled) SELECT 'r-' || g, '0 0 1 * * ?', 'report', true"
                + " FROM generate_series(1, 500) g");
        sql("INSERT INTO job (name, cron, task_type, enabled) VALUES ('e', '0 0 1 * * ?', 'email', true),"
                + " ('p', '0 0 1 * * ?', 'paused-only', false), ('a', '0 0 1 * * ?', 'archive', true)");

        assertThat(jobs.enabledTaskTypes()).containsExactly("archive", "email", "report");
    }

    @Test
    void plainSqlInsertGetsDefaults() {
        JobDefinition j = insertBySql("by-sql");

        assertThat(j.team()).isEqualTo(JobSpec.DEFAULT_TEAM);
        assertThat(j.timeZone()).isEqualTo("UTC");
        assertThat(j.payload()).isEqualTo("{}");
        assertThat(j.enabled()).isTrue();
        assertThat(j.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE);
        assertThat(j.misfireLimit()).isEqualTo(JobSpec.DEFAULT_MISFIRE_LIMIT);
        assertThat(j.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.ALLOW);
        assertThat(j.retryPolicy()).isEqualTo(RetryPolicy.NONE);
        assertThat(j.timeout()).isNull();
        assertThat(j.scheduleError()).isNull();
        assertThat(j.version()).isEqualTo(1);
        assertThat(j.scheduleFrom()).isNotNull();
        assertThat(j.createdAt()).isNotNull();
        assertThat(j.scheduleFrom()).isEqualTo(j.createdAt());
        assertThat(jobs.versions()).containsEntry(j.id(), 1L);
    }

    @Test
    void plainSqlMustFollowTheNameRules() {
        assertThatThrownBy(() -> sql("INSERT INTO job (name, cron, task_type, team) VALUES ('x', '0 * * * * ?', 'report', 'a.b')"))
                .rootCause().hasMessageContaining("job_team_check");
        assertThatThrownBy(() -> sql("INSERT INTO job (name, cron, task_type) VALUES ('x', '0 * * * * ?', 'bad type')"))
                .rootCause().hasMessageContaining("job_task_type_check");
        assertThatThrownBy(() -> sql("INSERT INTO job (name, cron, task_type, misfire_policy) VALUES ('x', '0 * * * * ?', 'report', 'SOMETIMES')"))
                .rootCause().hasMessageContaining("job_misfire_policy_check");
        assertThat(jobs.list()).isEmpty();
    }

    @Test
    void sqlUpdateOfTheDefinitionBumpsTheVersion() {
        JobDefinition j = insertBySql("bumped");

        assertThat(sql("UPDATE job SET payload = '{\"x\":1}' WHERE id = ?", j.id())).isEqualTo(1);
        JobDefinition after = jobs.find(j.id()).orElseThrow();
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.payload()).isEqualTo("{\"x\": 1}");
        assertThat(after.updatedAt()).isAfter(j.updatedAt());
        assertThat(after.scheduleFrom()).as("a payload change does not move schedule_from").isEqualTo(j.scheduleFrom());

        assertThat(sql("UPDATE job SET cron = '0 30 * * * ?' WHERE id = ?", j.id())).isEqualTo(1);
        JobDefinition recron = jobs.find(j.id()).orElseThrow();
        assertThat(recron.version()).isEqualTo(3);
        assertThat(recron.scheduleFrom()).as("a schedule change moves schedule_from").isAfter(j.scheduleFrom());
        assertThat(jobs.versions()).containsEntry(j.id(), 3L);
    }

    @Test
    void updatingOnlyTheScheduleErrorOrNothingDoesNotBumpTheVersion() {
        JobDefinition j = insertBySql("quiet");

        assertThat(sql("UPDATE job SET schedule_error = 'bad cron' WHERE id = ?", j.id())).isEqualTo(1);
        assertThat(sql("UPDATE job SET cron = cron, payload = payload WHERE id = ?", j.id())).isEqualTo(1);
        JobDefinition after = jobs.find(j.id()).orElseThrow();
        assertThat(after.version()).isEqualTo(1);
        assertThat(after.scheduleError()).isEqualTo("bad cron");
        assertThat(after.updatedAt()).isEqualTo(j.updatedAt());
    }

    @Test
    void reEnablingMovesScheduleFromButDisablingDoesNot() {
        JobDefinition j = job("toggle");
        assertThat(jobs.setEnabled("default", "toggle", false)).isTrue();
        JobDefinition disabled = jobs.find(j.id()).orElseThrow();
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.version()).isEqualTo(2);
        assertThat(disabled.scheduleFrom()).isEqualTo(j.scheduleFrom());

        assertThat(jobs.setEnabled("default", "toggle", true)).isTrue();
        JobDefinition enabled = jobs.find(j.id()).orElseThrow();
        assertThat(enabled.version()).isEqualTo(3);
        assertThat(enabled.scheduleFrom()).isAfter(j.scheduleFrom());

        assertThat(jobs.setEnabled("default", "no-such-job", true)).isFalse();
    }

    @Test
    void createStoresEveryField() {
        JobSpec spec = JobSpec.of("full", "0 15 10 ? * MON-FRI", "email")
                .withTeam("billing")
                .withTimeZone("Europe/Berlin")
                .withPayload("{\"to\": \"ops\"}")
                .withEnabled(false)
                .withMisfire(MisfirePolicy.FIRE_ALL, 7)
                .withConcurrency(ConcurrencyPolicy.REPLACE)
                .withRetry(RetryPolicy.maxAttempts(4).backoff(Duration.ofMillis(250), 3.0).maxDelay(Duration.ofSeconds(9)))
                .withTimeout(Duration.ofSeconds(30));
        JobDefinition j = jobs.create(spec);

        assertThat(j.id()).isPositive();
        assertThat(jobs.find("billing", "full")).contains(j);
        assertThat(jobs.find(j.id())).contains(j);
        assertThat(j.team()).isEqualTo("billing");
        assertThat(j.cron()).isEqualTo("0 15 10 ? * MON-FRI");
        assertThat(j.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(j.taskType()).isEqualTo("email");
        assertThat(j.payload()).isEqualTo("{\"to\": \"ops\"}");
        assertThat(j.enabled()).isFalse();
        assertThat(j.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ALL);
        assertThat(j.misfireLimit()).isEqualTo(7);
        assertThat(j.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.REPLACE);
        assertThat(j.retryPolicy()).isEqualTo(spec.retryPolicy());
        assertThat(j.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(j.version()).isEqualTo(1);
    }

    @Test
    void duplicateNameInATeamIsRejectedButOtherTeamsMayReuseIt() {
        job("dup");
        assertThatThrownBy(() -> job("dup"))
                .isInstanceOf(JobExistsException.class)
                .hasMessage("team 'default' already has a job named 'dup'");
        JobDefinition other = jobs.create(JobSpec.of("dup", "0 * * * * ?", "report").withTeam("other"));
        assertThat(jobs.list()).extracting(JobDefinition::team).containsExactly("default", "other");
        assertThat(other.name()).isEqualTo("dup");
    }

    @Test
    void recordScheduleErrorKeepsTheVersionAndIgnoresAChangedJob() {
        JobDefinition j = job("cron-error");

        jobs.recordScheduleError(j.id(), j.version(), "malformed cron expression 'x'");
        JobDefinition recorded = jobs.find(j.id()).orElseThrow();
        assertThat(recorded.scheduleError()).isEqualTo("malformed cron expression 'x'");
        assertThat(recorded.version()).isEqualTo(j.version());

        jobs.recordScheduleError(j.id(), j.version(), null);
        assertThat(jobs.find(j.id()).orElseThrow().scheduleError()).isNull();

        sql("UPDATE job SET cron = '0 0 * * * ?' WHERE id = ?", j.id());
        jobs.recordScheduleError(j.id(), j.version(), "about an old version");
        JobDefinition changed = jobs.find(j.id()).orElseThrow();
        assertThat(changed.scheduleError()).as("verdict on an old version is ignored").isNull();
        assertThat(changed.version()).isEqualTo(j.version() + 1);
    }

    @Test
    void deleteKeepsTheRuns() {
        JobDefinition j = job("short-lived");
        long epoch = lease.acquire("m1");
        RunView run = fire(epoch, j, runs.now().minusSeconds(1));

        assertThat(jobs.delete("default", "short-lived")).isTrue();
        assertThat(jobs.delete("default", "short-lived")).isFalse();
        assertThat(jobs.find(j.id())).isEmpty();
        assertThat(jobs.versions()).doesNotContainKey(j.id());

        RunView kept = run(run.id());
        assertThat(kept.jobId()).isNull();
        assertThat(kept.jobName()).isEqualTo("short-lived");
        assertThat(kept.state()).isEqualTo(RunState.QUEUED);
    }

    @Test
    void versionsListsEveryJob() {
        JobDefinition a = job("a");
        JobDefinition b = job("b");
        jobs.setEnabled("default", "b", false);
        assertThat(jobs.versions()).containsOnlyKeys(a.id(), b.id()).containsEntry(a.id(), 1L).containsEntry(b.id(), 2L);
        assertThat(jobs.list()).extracting(JobDefinition::name).isEqualTo(List.of("a", "b"));
    }
}
