package dev.rota.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Records leadership callbacks for the test thread to poll; notes overlapping calls and their threads. */
final class LeadershipEvents implements LeadershipListener {
    static final String IS_LEADER = "isLeader";
    static final String NOT_LEADER = "notLeader: ";
    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private volatile String last;

    @Override
    public void isLeader() {
        record(IS_LEADER);
    }

    @Override
    public void notLeader(String reason) {
        record(NOT_LEADER + reason);
    }

    private void record(String event) {
        if (running.incrementAndGet() > 1) {
            overlapped.set(true);
        }
        threads.add(Thread.currentThread().getName());
        events.add(event);
        last = event;
        running.decrementAndGet();
    }

    void expectIsLeader() throws InterruptedException {
        assertThat(next(WAIT)).isEqualTo(IS_LEADER);
    }

    /** @return the reason given */
    String expectNotLeader(Duration within) throws InterruptedException {
        String event = next(within);
        assertThat(event).startsWith(NOT_LEADER);
        return event.substring(NOT_LEADER.length());
    }

    String expectNotLeader() throws InterruptedException {
        return expectNotLeader(WAIT);
    }

    /** The event already delivered, if any, without waiting. */
    String poll() {
        return events.poll();
    }

    void expectNothingWithin(Duration window) throws InterruptedException {
        assertThat(events.poll(window.toMillis(), TimeUnit.MILLISECONDS)).isNull();
    }

    /** Whether the most recent callback was {@code isLeader}. */
    boolean lastWasIsLeader() {
        return IS_LEADER.equals(last);
    }

    boolean overlapped() {
        return overlapped.get();
    }

    Set<String> threads() {
        return threads;
    }

    private String next(Duration within) throws InterruptedException {
        String event = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("a leadership event within %s", within).isNotNull();
        return event;
    }
}
