package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.Runs;
import dev.rota.db.Runs.AttemptRef;
import dev.rota.master.MasterEvent;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The confirm path stepped by hand: an attempt stays in hand (never republished by the outbox) from its
 * publish until its confirm is recorded, however slow the broker or the database; only a failed publish
 * lets it go.
 */
class ConfirmTrackerTest {
    private final List<List<AttemptRef>> written = new ArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private boolean databaseDown;
    /** Attempts whose run rows another transaction holds: the database skips them. */
    private final java.util.Set<AttemptRef> heldRows = new java.util.HashSet<>();

    private final Runs runs = (Runs) Proxy.newProxyInstance(Runs.class.getClassLoader(), new Class<?>[] {Runs.class},
            (p, method, args) -> {
                if (method.getName().equals("markPublished")) {
                    if (databaseDown) {
                        throw new IllegalStateException("database unavailable");
                    }
                    @SuppressWarnings("unchecked")
                    List<AttemptRef> attempts = (List<AttemptRef>) args[0];
                    List<AttemptRef> skipped = attempts.stream().filter(heldRows::contains).toList();
                    written.add(attempts.stream().filter(a -> !heldRows.contains(a)).toList());
                    return skipped;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private final ConfirmTracker tracker = new ConfirmTracker(3);
    private final ConfirmRecorder recorder = new ConfirmRecorder(runs, tracker, (event, detail) -> {
        if (event == MasterEvent.TASK_PUBLISHED) {
            published.add(detail);
        }
    });

    @Test
    void anUnconfirmedAttemptStaysInHandHoweverLongTheBrokerTakes() throws InterruptedException {
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        tracker.track(new AttemptRef(7, 1), confirm, (a, e) -> { });

        recorder.runOnce();
        assertThat(tracker.inHand(7)).as("no confirm yet: the outbox must not take it").isTrue();
        assertThat(written).isEmpty();

        confirm.complete(null);
        recorder.runOnce();
        assertThat(written).containsExactly(List.of(new AttemptRef(7, 1)));
        assertThat(tracker.inHand(7)).isFalse();
        assertThat(published).containsExactly("7:1");
    }

    @Test
    void aConfirmTheDatabaseCannotRecordYetStaysInHandAndIsRecordedLater() throws InterruptedException {
        tracker.track(new AttemptRef(1, 1), CompletableFuture.completedFuture(null), (a, e) -> { });
        tracker.track(new AttemptRef(2, 3), CompletableFuture.completedFuture(null), (a, e) -> { });
        databaseDown = true;

        recorder.runOnce();
        recorder.runOnce();
        assertThat(tracker.inHand(1)).as("confirmed but unrecorded: republishing it would run it twice").isTrue();
        assertThat(tracker.inHand(2)).isTrue();
        assertThat(published).isEmpty();

        databaseDown = false;
        recorder.runOnce();
        assertThat(written).containsExactly(List.of(new AttemptRef(1, 1), new AttemptRef(2, 3)));
        assertThat(tracker.inHand(1)).isFalse();
        assertThat(tracker.inHand(2)).isFalse();
    }

    @Test
    void aConfirmWhoseRowIsHeldElsewhereStaysInHandAndIsMarkedOnALaterPass() throws InterruptedException {
        tracker.track(new AttemptRef(1, 1), CompletableFuture.completedFuture(null), (a, e) -> { });
        tracker.track(new AttemptRef(2, 1), CompletableFuture.completedFuture(null), (a, e) -> { });
        heldRows.add(new AttemptRef(2, 1));

        recorder.runOnce();
        assertThat(written).containsExactly(List.of(new AttemptRef(1, 1)));
        assertThat(tracker.inHand(1)).isFalse();
        assertThat(tracker.inHand(2)).as("confirmed, not yet marked: republishing it would run it twice").isTrue();
        assertThat(published).containsExactly("1:1");

        heldRows.clear();
        recorder.runOnce();
        assertThat(written).containsExactly(List.of(new AttemptRef(1, 1)), List.of(new AttemptRef(2, 1)));
        assertThat(tracker.inHand(2)).isFalse();
        assertThat(published).containsExactly("1:1", "2:1");
    }

    @Test
    void aNackedOrLostPublishLeavesTheHandAtOnceForTheOutbox() throws InterruptedException {
        List<AttemptRef> failed = new ArrayList<>();
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        tracker.track(new AttemptRef(5, 2), confirm, (a, e) -> failed.add(a));

        confirm.completeExceptionally(new IllegalStateException("nacked by the broker"));

        assertThat(tracker.inHand(5)).isFalse();
        assertThat(failed).containsExactly(new AttemptRef(5, 2));
        recorder.runOnce();
        assertThat(written).as("a failed publish is never recorded as published").isEmpty();
    }

    @Test
    void aNewerAttemptIsNotReleasedByAnOlderOnesConfirm() {
        tracker.track(new AttemptRef(9, 1), new CompletableFuture<>(), (a, e) -> { });
        tracker.track(new AttemptRef(9, 2), new CompletableFuture<>(), (a, e) -> { });

        tracker.release(List.of(new AttemptRef(9, 1)));

        assertThat(tracker.inHand(9)).isTrue();
    }

    @Test
    void dispatchWaitsWhileTheHandIsFull() {
        List<CompletableFuture<Void>> confirms = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            CompletableFuture<Void> c = new CompletableFuture<>();
            confirms.add(c);
            tracker.track(new AttemptRef(i, 1), c, (a, e) -> { });
        }
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                tracker.awaitRoom(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        confirms.get(0).completeExceptionally(new IllegalStateException("channel closed"));
        await().atMost(Duration.ofSeconds(2)).until(waiting::isDone);
        assertThat(tracker.size()).isEqualTo(2);
    }
}
