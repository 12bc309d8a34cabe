package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.model.ResultStatus;
import dev.rota.model.RunLog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An attempt's log, as any worker may send it: stored with the attempt, cleaned and bounded. */
class RunLogsTest extends DatabaseTest {
    private long epoch;

    @BeforeEach
    void becomeLeader() {
        epoch = lease.acquire("master-a");
    }

    private RunView dispatched(String name) {
        return fire(epoch, job(name), runs.now().minusSeconds(1));
    }

    @Test
    void theLogOfAFinalResultIsStoredWithItsAttemptAndProgressReportsCarryNone() {
        RunView run = dispatched("logged");
        apply(epoch, result(run, "w1", ResultStatus.STARTED, null).withLog("ignored: not a final result"));
        assertThat(db.admin().attempts(run.id()).get(0).log()).isNull();

        apply(epoch, result(run, "w1", ResultStatus.FAILED, "boom").withLog("line one\nline\u0000two\n"));

        List<AttemptView> attempts = db.admin().attempts(run.id());
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).log()).isEqualTo("line one\nline\uFFFDtwo\n");
        apply(epoch, result(run, "w1", ResultStatus.FAILED, "again").withLog("a duplicate changes nothing"));
        assertThat(db.admin().attempts(run.id()).get(0).log()).isEqualTo("line one\nline\uFFFDtwo\n");
    }

    @Test
    void anOversizedLogFromAnyWorkerIsCutAtTheBoundWithTheMarker() {
        RunView run = dispatched("oversized");
        String huge = "0123456789abcdef\n".repeat(10_000);

        apply(epoch, result(run, "php-1", ResultStatus.SUCCEEDED, null).withLog(huge));

        String stored = db.admin().attempts(run.id()).get(0).log();
        assertThat(stored.getBytes(StandardCharsets.UTF_8)).hasSize(RunLog.MAX_BYTES);
        assertThat(stored).startsWith("0123456789abcdef\n").endsWith(RunLog.TRUNCATION_MARKER);
        assertThat(run(run.id()).state()).isEqualTo(dev.rota.model.RunState.SUCCEEDED);
    }

    @Test
    void plainSqlCannotStoreALogOverTheBound() {
        RunView run = dispatched("plain-sql");
        assertThat(sql("UPDATE run_attempt SET log = repeat('x', 65536) WHERE run_id = ?", run.id())).isEqualTo(1);

        assertThatThrownBy(() -> sql("UPDATE run_attempt SET log = repeat('é', 32769) WHERE run_id = ?", run.id()))
                .hasStackTraceContaining("run_attempt_log_check");
    }
}
