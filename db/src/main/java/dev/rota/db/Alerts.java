package dev.rota.db;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Alert rules and the deliveries PostgreSQL makes for them. Deliveries are written by triggers in the
 * transaction of the event itself (a run ending FAILED, DEAD, TIMED_OUT or SKIPPED, a late start, an attempt
 * closed as LOST), at most one per rule and event, whatever wrote the change. The leader sends them:
 * {@link #claimDue} then {@link #record}.
 */
public interface Alerts {

    /** Inserts a rule and its audit row in one transaction. */
    AlertRule createRule(AlertRuleSpec spec, AuditEntry audit);

    /** Rules of these teams (null: every rule, those for every team included), oldest first. */
    List<AlertRule> rules(Set<String> teams);

    Optional<AlertRule> rule(long id);

    /** Deletes a rule, its deliveries with it, and appends the audit row; empty when there is no such rule. */
    Optional<AlertRule> deleteRule(long id, AuditEntry audit);

    /**
     * Deliveries, newest first, with their attempts.
     *
     * @param teams  rules of these teams only (null: all)
     * @param ruleId one rule only, or null
     */
    List<AlertDelivery> deliveries(Set<String> teams, Long ruleId, int limit);

    /**
     * A delivery claimed for one attempt: what to send where.
     *
     * @param attempt the claim's token: {@link #record} applies only while no later claim was made
     * @param body    the exact text to send and sign (UTF-8 JSON): the payload with deliveryId, deliveryAttempt and sentAt
     */
    record Claim(long deliveryId, int attempt, long ruleId, String url, String secret, String body) {
        @Override
        public String toString() {
            return "Claim[delivery " + deliveryId + ", attempt " + attempt + ", " + url + "]";
        }
    }

    /**
     * In one transaction fenced by {@code epoch}: claims up to {@code limit} due pending deliveries (skipping
     * those another transaction holds), counts the attempt, logs it as started, and moves their next attempt
     * {@code lease} ahead, so that a sender that dies mid-request leaves them to be claimed again then.
     *
     * @throws FencedException when {@code epoch} is no longer current
     */
    List<Claim> claimDue(long epoch, int limit, Duration lease);

    /**
     * In a transaction fenced by {@code epoch}: makes the FIRE_LATE deliveries of first attempts that have not
     * started yet and are already later than a rule allows (a fire stuck in the queue). The trigger that
     * reports a late start uses the same event key, so a fire is reported late once, whichever sees it first.
     *
     * @return how many deliveries were made (at most {@code limit} fires are looked at)
     * @throws FencedException when {@code epoch} is no longer current
     */
    int noticeLateFires(long epoch, int limit);

    /**
     * The leader's sign of life, written by each term every so often: {@link #noticeLeaderless} measures the time
     * since the last one.
     *
     * @throws FencedException when {@code epoch} is no longer current
     */
    void leaderBeat(long epoch, String leaderId);

    /**
     * Called by any master, leader or not: when the last leader's beat is older than the threshold of NO_LEADER
     * rules, makes their deliveries, one per rule and gap (the gap is named by the last beat before it, so all
     * the masters that notice it make one alert between them).
     *
     * @param observer who noticed, for the payload
     * @return how many deliveries were made now
     */
    int noticeLeaderless(String observer);

    /**
     * Claims due NO_LEADER deliveries without an epoch to fence with (there is no leader to send them): for a
     * master that does not lead. Claims are still exclusive ({@code SKIP LOCKED} and the lease), so several such
     * masters do not send one alert at once.
     */
    List<Claim> claimLeaderless(int limit, Duration lease);

    /**
     * Deletes up to {@code limit} deliveries (with their attempts) that are no longer pending and were made more
     * than {@code olderThan} ago, in a transaction fenced by {@code epoch}.
     *
     * @return how many were deleted
     */
    int purgeFinished(long epoch, Duration olderThan, int limit);

    /**
     * How an attempt ended.
     *
     * @param retryIn when it failed: the delay before the next attempt, or null when no attempt is left
     */
    record Outcome(Integer httpStatus, String error, boolean delivered, Duration retryIn) {
        public static Outcome delivered(int httpStatus) {
            return new Outcome(httpStatus, null, true, null);
        }

        public static Outcome failed(Integer httpStatus, String error, Duration retryIn) {
            return new Outcome(httpStatus, error, false, retryIn);
        }
    }

    /**
     * Records an attempt's outcome: finishes its log row and makes the delivery DELIVERED, FAILED, or PENDING
     * again at now + {@code retryIn}. Not fenced by the epoch: the request was made, and saying how it ended is
     * true whoever leads now; it is conditional on the claim instead.
     *
     * @return false when the claim is stale (the delivery was claimed again since), and nothing changed
     */
    boolean record(Claim claim, Outcome outcome);
}
