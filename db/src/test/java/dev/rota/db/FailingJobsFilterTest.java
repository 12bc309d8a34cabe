package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The jobs list's "failing" filter: a job whose latest finished run ended FAILED, TIMED_OUT or DEAD. */
class FailingJobsFilterTest extends DatabaseTest {

    private void run(JobDefinition job, String state, int minutesAgo) {
        Instant at = Instant.now().minusSeconds(60L * minutesAgo);
        sql("INSERT INTO run (job_id, job_name, task_type, state, scheduled_at) VALUES (?, ?, 'report', ?, ?::timestamptz)",
                job.id(), job.name(), state, at.toString());
    }

    private java.util.List<String> names(Boolean failing) {
        return db.admin().jobs(new JobFilter(null, null, null, null, null, null, 100, failing)).stream()
                .map(JobDefinition::name).toList();
    }

    @Test
    void onlyTheLatestFinishedRunDecides() {
        JobDefinition failed = job("failed");
        run(failed, "SUCCEEDED", 10);
        run(failed, "FAILED", 5);
        JobDefinition recovered = job("recovered");
        run(recovered, "DEAD", 10);
        run(recovered, "SUCCEEDED", 5);
        JobDefinition timedOutThenRetrying = job("timed-out");
        run(timedOutThenRetrying, "TIMED_OUT", 10);
        run(timedOutThenRetrying, "SCHEDULED", 1);
        JobDefinition cancelled = job("cancelled");
        run(cancelled, "FAILED", 10);
        run(cancelled, "CANCELLED", 5);
        job("never-ran");

        assertThat(names(true)).containsExactly("failed", "timed-out");
        assertThat(names(false)).containsExactly("cancelled", "never-ran", "recovered");
        assertThat(names(null)).hasSize(5);
    }
}
