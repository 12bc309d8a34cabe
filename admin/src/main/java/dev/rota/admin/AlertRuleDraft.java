package dev.rota.admin;

import java.time.Duration;
import java.util.List;

/**
 * A new alert rule as an operator wrote it; the admin layer checks every field.
 *
 * @param team      the team whose events it receives; null: every team (needs a principal of every team)
 * @param jobName   one job of that team, or null for all of them (and one-off tasks)
 * @param kinds     event kinds, e.g. {@code RUN_FAILED}, {@code WORKER_LOST} ({@link dev.rota.db.AlertKind})
 * @param url       the http(s) URL the alerts are POSTed to
 * @param secret    the HMAC key of the signature, 16 to 200 characters; null: one is made and returned once
 * @param lateAfter for {@code FIRE_LATE}: how late a fire's first attempt may start
 * @param leaderlessAfter for {@code NO_LEADER}: how long the cluster may be without a leader
 */
public record AlertRuleDraft(String team, String jobName, List<String> kinds, String url, String secret,
        Duration lateAfter, Duration leaderlessAfter) {
    @Override
    public String toString() {
        return "AlertRuleDraft[team=" + team + ", jobName=" + jobName + ", kinds=" + kinds + ", url=" + url
                + ", lateAfter=" + lateAfter + ", leaderlessAfter=" + leaderlessAfter + ", secret=(hidden)]";
    }
}
