package dev.rota.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import dev.rota.model.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher's group commit, stepped by hand: the broker's confirms are futures this test completes. The
 * flush interval is a minute, so a result that goes out at all within the test went out for a reason other
 * than the timer.
 */
class ResultBatcherTest {
    private static final Duration NEVER = Duration.ofMinutes(1);
    private final MessageCodec codec = new MessageCodec();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();

    private record Sent(byte[] body, CompletableFuture<Void> confirm) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final ResultBatcher batcher = new ResultBatcher((exchange, key, body) -> {
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        sent.add(new Sent(body, confirm));
        return confirm;
    }, new Topology("batcher-test"), codec, flusher, NEVER, 200);

    @AfterEach
    void stop() {
        flusher.shutdownNow();
    }

    @Test
    void aResultThatFindsNothingOutGoesAtOnce() throws Exception {
        CompletableFuture<Void> confirmed = batcher.submit(result(1, ResultStatus.SUCCEEDED));

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
        assertThat(runIds(sent.get(0))).containsExactly(1L);
        assertThat(confirmed).isNotDone();
        sent.get(0).confirm().complete(null);
        assertThat(confirmed).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void resultsGatherWhileABatchIsOutAndGoTogetherWhenItsConfirmComesBack() throws Exception {
        batcher.submit(result(1, ResultStatus.SUCCEEDED));
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);

        CompletableFuture<Void> second = batcher.submit(result(2, ResultStatus.SUCCEEDED));
        CompletableFuture<Void> third = batcher.submit(result(3, ResultStatus.FAILED));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);

        sent.get(0).confirm().complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        assertThat(runIds(sent.get(1))).containsExactly(2L, 3L);
        assertThat(second).isNotDone();
        sent.get(1).confirm().complete(null);
        assertThat(third).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aFinalResultReplacesItsWaitingStartedAndCarriesItsTime() throws Exception {
        batcher.submit(result(1, ResultStatus.SUCCEEDED));
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
        ResultMessage started = result(2, ResultStatus.STARTED);
        CompletableFuture<Void> startedConfirmed = batcher.submit(started);
        batcher.submit(result(2, ResultStatus.SUCCEEDED));

        sent.get(0).confirm().complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        List<ResultMessage> second = codec.decodeResultBatch(sent.get(1).body()).results();
        assertThat(second).hasSize(1);
        assertThat(second.get(0).status()).isEqualTo(ResultStatus.SUCCEEDED);
        assertThat(second.get(0).startedAt()).isEqualTo(started.at());
        sent.get(1).confirm().complete(null);
        assertThat(startedConfirmed).succeedsWithin(Duration.ofSeconds(5));
    }

    private List<Long> runIds(Sent s) throws Exception {
        return codec.decodeResultBatch(s.body()).results().stream().map(ResultMessage::runId).toList();
    }

    private static ResultMessage result(long runId, ResultStatus status) {
        return new ResultMessage(TaskMessage.CURRENT_VERSION, runId, 1, "w1", status,
                Instant.parse("2026-11-29T12:00:00Z").plusMillis(runId * 10 + status.ordinal()), null, null);
    }
}
