package dev.rota.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the harness did and saw, in order, with wall-clock times comparable to the database's (same
 * machine). Faults carry the leader epoch current when they were injected, so the {@link Checker} can
 * measure how long the cluster took to recover from each.
 */
public final class FaultTimeline {
    /** The kinds of entries; faults are the ones the checker measures recovery for. */
    public enum Kind {
        /** A fault injected by the harness. */
        FAULT,
        /** A fault undone (SIGCONT, heal, restart). */
        REPAIR,
        /** A new leader's term began (at: the lease's acquired_at; epoch: the new epoch). */
        TAKEOVER,
        /** Something observed, for the record. */
        NOTE
    }

    /**
     * @param epoch for a fault the leader epoch current when it was injected (-1: not a leader fault, no
     *              recovery measured); for a takeover the new epoch
     */
    public record Entry(Instant at, Kind kind, String what, String target, long epoch) {
        @Override
        public String toString() {
            return at + "  " + kind + "  " + what + (target.isEmpty() ? "" : " " + target)
                    + (epoch >= 0 ? "  (epoch " + epoch + ")" : "");
        }
    }

    private final Clock clock;
    private final Instant start;
    private final List<Entry> entries = new ArrayList<>();

    FaultTimeline(Clock clock) {
        this.clock = clock;
        this.start = clock.instant();
    }

    public synchronized Entry fault(String what, String target, long epochBefore) {
        return add(new Entry(clock.instant(), Kind.FAULT, what, target, epochBefore));
    }

    public synchronized Entry takeover(Instant acquiredAt, String leader, long epoch) {
        return add(new Entry(acquiredAt, Kind.TAKEOVER, "new leader", leader, epoch));
    }

    public synchronized Entry repair(String what, String target) {
        return add(new Entry(clock.instant(), Kind.REPAIR, what, target, -1));
    }

    public synchronized Entry note(String what) {
        return add(new Entry(clock.instant(), Kind.NOTE, what, "", -1));
    }

    private Entry add(Entry e) {
        int i = entries.size();
        while (i > 0 && entries.get(i - 1).at().isAfter(e.at())) {
            i--;
        }
        entries.add(i, e);
        return e;
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized List<Entry> faults() {
        return entries.stream().filter(e -> e.kind() == Kind.FAULT).toList();
    }

    /** The first takeover at or after {@code after} with an epoch above {@code epoch}. */
    public synchronized Optional<Entry> takeoverAfter(Instant after, long epoch) {
        return entries.stream().filter(e -> e.kind() == Kind.TAKEOVER && e.epoch() > epoch && !e.at().isBefore(after))
                .findFirst();
    }

    /** One line per entry, with the offset from the scenario's start. */
    public synchronized String render() {
        StringBuilder sb = new StringBuilder("fault timeline:\n");
        for (Entry e : entries) {
            sb.append(String.format("  +%7.3fs  %s%n", Duration.between(start, e.at()).toMillis() / 1000.0, e));
        }
        return sb.toString();
    }
}
