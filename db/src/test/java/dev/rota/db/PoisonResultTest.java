package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.Runs.ResultKind;
import dev.rota.db.Runs.ResultOutcome;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import dev.rota.model.TaskMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Text from workers that PostgreSQL cannot store (NUL, lone surrogates) never fails a batch. */
class PoisonResultTest extends DatabaseTest {
    private long epoch;

    @BeforeEach
    void becomeLeader() {
        epoch = lease.acquire("master-a");
    }

    private RunView dispatched(String name) {
        return fire(epoch, job(name), runs.now().minusSeconds(1));
    }

    @Test
    void aNulInAnErrorOrResultDoesNotFailTheBatch() throws Exception {
        RunView good = dispatched("good");
        RunView nulError = dispatched("nul-error");
        RunView nulResult = dispatched("nul-result");
        ResultMessage withNulResult = new ResultMessage(TaskMessage.CURRENT_VERSION, nulResult.id(), 1, "w1",
                ResultStatus.SUCCEEDED, Instant.now(), null,
                new ObjectMapper().readTree("{\"bin\":\"\\u0000\\u0000\\u0000\\u0001\",\"k\\u0000\":[\"\\ud800\"]}"));

        List<ResultOutcome> out = runs.applyResults(epoch, List.of(
                result(good, "w1", ResultStatus.SUCCEEDED, null),
                result(nulError, "w1", ResultStatus.FAILED, "bad\u0000bytes \ud800 here"),
                withNulResult), GRACE);

        assertThat(out).extracting(ResultOutcome::kind).containsOnly(ResultKind.APPLIED);
        assertThat(run(good.id()).state()).isEqualTo(RunState.SUCCEEDED);
        RunView failed = run(nulError.id());
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).isEqualTo("bad\uFFFDbytes \uFFFD here");
        RunView succeeded = run(nulResult.id());
        assertThat(succeeded.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(succeeded.result()).contains("\uFFFD\uFFFD\uFFFD\\u0001").contains("k\uFFFD");
    }
}
