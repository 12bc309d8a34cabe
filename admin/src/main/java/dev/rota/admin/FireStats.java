package dev.rota.admin;

import dev.rota.db.ClusterLoad;
import java.time.Instant;
import java.util.List;

/**
 * Fires per minute and their lateness ({@code started_at − scheduled_at}) over {@code [from, to)}, from the
 * run table. A run that was retried counts once, with the start of its latest attempt.
 *
 * @param buckets one per minute with runs scheduled in it, oldest first
 */
public record FireStats(Instant from, Instant to, List<ClusterLoad.FireBucket> buckets) {
    public FireStats {
        buckets = List.copyOf(buckets);
    }
}
