package dev.rota.db;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One row of {@code alert_rule}, without its secret (which is only ever read by the sender).
 *
 * @param team      the team whose events it receives, or null for every team
 * @param jobName   the one job whose events it receives, or null for every job (and one-off tasks)
 * @param lateAfter for {@link AlertKind#FIRE_LATE}: how late a first attempt may start; null otherwise
 * @param leaderlessAfter for {@link AlertKind#NO_LEADER}: how long the cluster may be without a leader
 */
public record AlertRule(long id, String team, String jobName, Set<AlertKind> kinds, String url, Duration lateAfter,
        Duration leaderlessAfter, boolean enabled, String createdBy, Instant createdAt) {
    public AlertRule {
        kinds = Set.copyOf(kinds);
    }
}
