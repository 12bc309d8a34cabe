package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick local figure, not a timed test: applies STARTED and SUCCEEDED for 20,000 queued runs in
 * batches of 500 (the master's default batch) and prints results per second. Run with
 * {@code ./mvnw -pl db -am test -Dtest=ResultThroughputCheck -Drota.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "rota.bench", matches = "true")
class ResultThroughputCheck extends DatabaseTest {
    static final int RUNS = 20_000;
    static final int BATCH = 500;

    @Test
    void applies20000RunsResults() {
        long epoch = lease.acquire("bench");
        List<TaskSubmission> submissions = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            submissions.add(TaskSubmission.of("bench", "{}", runs.now().minusSeconds(1)));
        }
        runs.submitAll(submissions);
        List<RunView> queued = new ArrayList<>();
        while (queued.size() < RUNS) {
            queued.addAll(runs.claimDue(epoch, 5_000));
        }
        List<ResultMessage> messages = new ArrayList<>(2 * RUNS);
        for (int from = 0; from < RUNS; from += BATCH / 2) {
            List<RunView> slice = queued.subList(from, Math.min(RUNS, from + BATCH / 2));
            slice.forEach(r -> messages.add(result(r, "w1", ResultStatus.STARTED, null)));
            slice.forEach(r -> messages.add(result(r, "w1", ResultStatus.SUCCEEDED, null)));
        }
        long start = System.nanoTime();
        for (int from = 0; from < messages.size(); from += BATCH) {
            runs.applyResults(epoch, messages.subList(from, Math.min(messages.size(), from + BATCH)), Duration.ofSeconds(5));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT THROUGHPUT: %d results (%d runs) in %.2f s = %.0f results/s, %.0f runs/s%n",
                messages.size(), RUNS, seconds, messages.size() / seconds, RUNS / seconds);
        assertThat(count("SELECT count(*) FROM run WHERE state = ?", RunState.SUCCEEDED.name())).isEqualTo(RUNS);
    }
}
