package dev.rota.db;

import dev.rota.model.RunState;
import java.time.Duration;
import java.util.List;

/**
 * Completion events not yet confirmed by the broker. The row is written by the transaction that ends or
 * reschedules a run (a trigger, so every path counts); the leader deletes it when the broker confirms the
 * event, and publishes again the ones left unconfirmed for a while, after a crash too.
 */
public interface EventOutbox {

    /** One event: the run's attempt and the state it announces. */
    record Key(long runId, int attempt, RunState state) {
        public static Key of(RunView run) {
            return new Key(run.id(), run.attempt(), run.state());
        }
    }

    /**
     * Events recorded more than {@code olderThan} ago (by the database clock), oldest first: each as the run
     * row with the attempt and state the event announces.
     */
    List<RunView> unconfirmed(Duration olderThan, int limit);

    /**
     * Deletes the rows of these events, in one transaction that first checks the epoch.
     *
     * @throws FencedException when another leader took over (nothing deleted)
     */
    int confirmed(long epoch, List<Key> keys);
}
