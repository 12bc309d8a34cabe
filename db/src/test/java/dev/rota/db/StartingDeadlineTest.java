package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.db.Runs.ResultKind;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import dev.rota.model.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A run not started by due_at plus its starting deadline is SKIPPED with the reason, never run late. */
class StartingDeadlineTest extends DatabaseTest {
    private long epoch;

    @BeforeEach
    void becomeLeader() {
        epoch = lease.acquire("master-a");
    }

    private RunView submit(Duration deadline) {
        return runs.submit(TaskSubmission.of("report", "{}", runs.now().minusMillis(10)).withStartingDeadline(deadline));
    }

    @Test
    void aSubmittedTaskCarriesItsDeadline() {
        RunView run = submit(Duration.ofSeconds(30));
        assertThat(run.startingDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(run.startBy()).isEqualTo(run.dueAt().plusSeconds(30));
        assertThat(runs.submitAll(List.of(TaskSubmission.of("report", "{}", runs.now())
                .withStartingDeadline(Duration.ofMinutes(1)))).get(0).startingDeadline()).isEqualTo(Duration.ofMinutes(1));
        assertThat(submit(null).startBy()).isNull();
    }

    @Test
    void aJobsFiresCarryItsDeadline() {
        JobDefinition job = jobs.create(JobSpec.of("deadlined", "0 * * * * ?", "report")
                .withStartingDeadline(Duration.ofSeconds(20)));
        RunView run = fire(epoch, job, runs.now().minusSeconds(1));
        assertThat(run.startingDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(run.startBy()).isEqualTo(run.dueAt().plusSeconds(20));
    }

    @Test
    void aScheduledRunPastItsDeadlineIsSkippedWithTheReason() {
        RunView late = submit(Duration.ofSeconds(30));
        RunView inTime = submit(Duration.ofSeconds(30));
        RunView noDeadline = submit(null);
        age(late.id(), Duration.ofSeconds(31));
        age(noDeadline.id(), Duration.ofHours(5));

        List<RunView> skipped = runs.skipPastStartingDeadline(epoch, 100);

        assertThat(skipped).extracting(RunView::id).containsExactly(late.id());
        RunView r = run(late.id());
        assertThat(r.state()).isEqualTo(RunState.SKIPPED);
        assertThat(r.error()).contains("starting deadline").contains("SCHEDULED");
        assertThat(r.finishedAt()).isNotNull();
        assertThat(run(inTime.id()).state()).isEqualTo(RunState.SCHEDULED);
        assertThat(run(noDeadline.id()).state()).isEqualTo(RunState.SCHEDULED);
        assertThat(runs.claimDue(epoch, 10)).extracting(RunView::id).containsExactlyInAnyOrder(inTime.id(), noDeadline.id());
    }

    @Test
    void anUnpublishedQueuedRunIsSkippedButAPublishedOneIsLeftToTheWorker() {
        RunView unpublished = submit(Duration.ofSeconds(30));
        RunView published = submit(Duration.ofSeconds(30));
        List<RunView> claimed = runs.claimDue(epoch, 10);
        assertThat(claimed).hasSize(2);
        runs.markPublished(List.of(new Runs.AttemptRef(published.id(), 1)));
        age(unpublished.id(), Duration.ofMinutes(1));
        age(published.id(), Duration.ofMinutes(1));

        assertThat(runs.skipPastStartingDeadline(epoch, 100)).extracting(RunView::id).containsExactly(unpublished.id());
        assertThat(run(unpublished.id()).state()).isEqualTo(RunState.SKIPPED);
        assertThat(value("SELECT outcome FROM run_attempt WHERE run_id = ? AND attempt = 1", unpublished.id()))
                .isEqualTo("SKIPPED");
        assertThat(run(published.id()).state()).isEqualTo(RunState.QUEUED);
    }

    @Test
    void aWorkersSkippedReportEndsTheRunSkipped() {
        submit(Duration.ofSeconds(30));
        RunView queued = runs.claimDue(epoch, 10).get(0);

        Runs.ResultOutcome o = apply(epoch, result(queued, "w1", ResultStatus.SKIPPED, "received 5 ms after its deadline"));

        assertThat(o.kind()).isEqualTo(ResultKind.APPLIED);
        assertThat(o.run().state()).isEqualTo(RunState.SKIPPED);
        assertThat(o.run().error()).contains("skipped by worker w1").contains("after its deadline");
        assertThat(o.run().startedAt()).as("a skipped task never started").isNull();
        assertThat(value("SELECT outcome FROM run_attempt WHERE run_id = ? AND attempt = 1", queued.id())).isEqualTo("SKIPPED");
    }

    @Test
    void aFinalResultWithoutStartedRecordsTheStartItCarries() {
        submit(null);
        RunView queued = runs.claimDue(epoch, 10).get(0);
        Instant startedAt = runs.now().minusMillis(250);
        ResultMessage done = new ResultMessage(TaskMessage.CURRENT_VERSION, queued.id(), 1, "w1", ResultStatus.SUCCEEDED,
                runs.now(), null, null, startedAt);

        RunView after = apply(epoch, done).run();

        assertThat(after.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(after.startedAt()).isEqualTo(startedAt);
        assertThat(count("SELECT deliveries FROM run WHERE id = ?", queued.id())).isEqualTo(1);
        assertThat(value("SELECT started_at FROM run_attempt WHERE run_id = ? AND attempt = 1", queued.id())).isNotNull();
    }
}
