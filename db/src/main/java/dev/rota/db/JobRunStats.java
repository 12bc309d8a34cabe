package dev.rota.db;

import java.time.Instant;
import java.util.List;

/**
 * Why a job fired late or not at all: its last runs (by scheduled time, up to now), how late they started, and
 * the SKIPPED ones grouped by reason. A run that was retried counts once, with the start of its latest attempt.
 *
 * @param runs           runs in the window (at most the number asked for)
 * @param started        of those, the ones that started
 * @param skipped        of those, the ones that ended SKIPPED
 * @param from           scheduled time of the oldest run in the window; null when there are none
 * @param to             scheduled time of the newest; null when there are none
 * @param p50LatenessMs  median of started_at − scheduled_at over the started ones; null when none started
 * @param p99LatenessMs  99th percentile (continuous) of the same; null when none started
 * @param maxLatenessMs  the largest; null when none started
 * @param skips          SKIPPED runs by reason, most frequent first
 */
public record JobRunStats(long runs, long started, long skipped, Instant from, Instant to, Double p50LatenessMs,
        Double p99LatenessMs, Double maxLatenessMs, List<SkipReason> skips) {
    public JobRunStats {
        skips = List.copyOf(skips);
    }

    /**
     * SKIPPED runs of one reason.
     *
     * @param reason  a short reason: {@code concurrency policy FORBID}, {@code concurrency policy REPLACE},
     *                {@code starting deadline passed}, {@code skipped by a worker}, or the error's text up to its first colon
     * @param count   how many
     * @param lastAt  scheduled time of the latest
     * @param example the latest one's full error text
     */
    public record SkipReason(String reason, long count, Instant lastAt, String example) {
    }
}
