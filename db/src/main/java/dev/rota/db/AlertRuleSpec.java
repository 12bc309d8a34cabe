package dev.rota.db;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A new alert rule, already validated by the caller (the admin layer); the table's constraints check it again.
 *
 * @param team      null: every team
 * @param jobName   null: every job of the team
 * @param secret    the HMAC-SHA256 key the deliveries are signed with
 * @param lateAfter required with {@link AlertKind#FIRE_LATE}
 * @param leaderlessAfter required with {@link AlertKind#NO_LEADER}
 */
public record AlertRuleSpec(String team, String jobName, Set<AlertKind> kinds, String url, String secret,
        Duration lateAfter, Duration leaderlessAfter) {
    public AlertRuleSpec {
        kinds = Set.copyOf(kinds);
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
    }
}
