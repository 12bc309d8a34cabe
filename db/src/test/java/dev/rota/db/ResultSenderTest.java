package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.db.Runs.ResultKind;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A result counts only when it comes from the broker identity that started the attempt. */
class ResultSenderTest extends DatabaseTest {
    private long epoch;

    @BeforeEach
    void becomeLeader() {
        epoch = lease.acquire("master-a");
    }

    private RunView dispatched(String name) {
        RunView run = fire(epoch, job(name), runs.now().minusSeconds(1));
        assertThat(run.state()).isEqualTo(RunState.QUEUED);
        return run;
    }

    private List<Map<String, Object>> events(long runId) {
        return rows("SELECT kind, detail FROM run_event WHERE run_id = ? ORDER BY id", runId);
    }

    @Test
    void theStartingIdentityIsRecordedAndItsResultCounts() {
        RunView run = dispatched("bound");
        apply(epoch, result(run, "w1", ResultStatus.STARTED, null).withSender("rota-worker-1"));
        assertThat(value("SELECT started_by FROM run_attempt WHERE run_id = ?", run.id())).isEqualTo("rota-worker-1");

        Runs.ResultOutcome done = apply(epoch, result(run, "w1", ResultStatus.SUCCEEDED, null).withSender("rota-worker-1"));

        assertThat(done.kind()).isEqualTo(ResultKind.APPLIED);
        assertThat(run(run.id()).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(events(run.id())).isEmpty();
    }

    @Test
    void aResultFromAnotherIdentityIsRecordedAsForgedAndChangesNothing() {
        RunView run = dispatched("forged");
        apply(epoch, result(run, "w1", ResultStatus.STARTED, null).withSender("rota-worker-1"));
        RunView before = run(run.id());

        for (ResultStatus status : List.of(ResultStatus.SUCCEEDED, ResultStatus.FAILED, ResultStatus.HEARTBEAT,
                ResultStatus.STARTED, ResultStatus.CANCELLED)) {
            Runs.ResultOutcome o = apply(epoch, result(run, "w1", status, "boom").withSender("evil"));
            assertThat(o.kind()).as(status.name()).isEqualTo(ResultKind.FORGED);
        }
        Runs.ResultOutcome unsigned = apply(epoch, result(run, "w1", ResultStatus.SUCCEEDED, null));
        assertThat(unsigned.kind()).isEqualTo(ResultKind.FORGED);

        RunView after = run(run.id());
        assertThat(after.state()).isEqualTo(RunState.RUNNING);
        assertThat(after.workerId()).isEqualTo(before.workerId());
        assertThat(value("SELECT outcome FROM run_attempt WHERE run_id = ?", run.id())).isNull();
        assertThat(events(run.id())).hasSize(6).allSatisfy(e -> assertThat(e.get("kind")).isEqualTo("FORGED_RESULT"));
        assertThat(events(run.id()).get(0).get("detail").toString())
                .contains("'evil'", "claiming worker w1", "started by 'rota-worker-1'");

        assertThat(apply(epoch, result(run, "w1", ResultStatus.SUCCEEDED, null).withSender("rota-worker-1")).kind())
                .isEqualTo(ResultKind.APPLIED);
        assertThat(run(run.id()).state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void anOpenClusterWithoutUserIdsWorksAsBefore() {
        RunView run = dispatched("open");
        apply(epoch, result(run, "w1", ResultStatus.STARTED, null));
        assertThat(apply(epoch, result(run, "w2", ResultStatus.SUCCEEDED, null)).kind()).isEqualTo(ResultKind.APPLIED);
        assertThat(run(run.id()).state()).isEqualTo(RunState.SUCCEEDED);
    }
}
