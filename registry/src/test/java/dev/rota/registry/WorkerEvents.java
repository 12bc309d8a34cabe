package dev.rota.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records worker callbacks as "joined:id" and "left:id" for the test thread to poll. */
final class WorkerEvents implements WorkerListener {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void workerJoined(WorkerInfo worker) {
        events.add("joined:" + worker.id());
    }

    @Override
    public void workerLeft(WorkerInfo worker) {
        events.add("left:" + worker.id());
    }

    void expect(String event) throws InterruptedException {
        String next = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("worker event within %s", WAIT).isEqualTo(event);
    }

    void expectNothingWithin(Duration window) throws InterruptedException {
        assertThat(events.poll(window.toMillis(), TimeUnit.MILLISECONDS)).isNull();
    }
}
