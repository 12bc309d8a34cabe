package dev.rota.admin;

import dev.rota.db.ApiToken;
import dev.rota.db.AuditEvent;
import dev.rota.db.JobDefinition;
import dev.rota.db.RunView;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Every admin action, once. Each method checks the principal's role and team, validates its input
 * (naming the field and the limit), and every write appends an {@code audit_event} row naming the
 * principal. The CLI and the HTTP API are adapters over this interface and do none of that themselves.
 * Thread-safe. Build with {@link AdminBuilder}.
 *
 * <p>Every method may throw {@link ForbiddenException}, {@link InvalidInputException},
 * {@link NotFoundException}, {@link ConflictException} or {@link UnavailableException}. A principal
 * scoped to one team sees other teams' jobs and runs as absent.
 */
public interface Admin extends AutoCloseable {
    int DEFAULT_PAGE_SIZE = 50;
    int MAX_PAGE_SIZE = 500;
    /** Most fire times {@link #preview} computes. */
    int MAX_PREVIEW = 100;
    /** Most runs one bulk re-run or cancel changes. */
    int MAX_BULK = 10_000;
    /** How much of a held message's body a list shows. */
    int MAX_HELD_BODY_CHARS = 4_096;
    /** The default and longest window of {@link #fireStats}, in minutes: an hour, and a day. */
    int DEFAULT_STATS_MINUTES = 60;
    int MAX_STATS_MINUTES = 1_440;
    /** How many of a job's last runs {@link #jobStats} reads by default, and at most. */
    int DEFAULT_JOB_STATS_RUNS = 100;
    int MAX_JOB_STATS_RUNS = 10_000;

    Page<JobDefinition> jobs(Principal who, JobQuery query);

    JobDefinition job(Principal who, long id);

    JobDefinition job(Principal who, String team, String name);

    /** Admin role. */
    JobDefinition createJob(Principal who, JobDraft draft);

    /**
     * Replaces a job's definition. Admin role.
     *
     * @param expectedVersion the version read (an ETag), or null to overwrite unconditionally
     * @throws ConflictException with the current version when the job changed since
     */
    JobDefinition updateJob(Principal who, long id, Long expectedVersion, JobDraft draft);

    /** Pauses (enabled false) or resumes a job; runs in flight go on. Operator role. */
    JobDefinition setEnabled(Principal who, long id, Long expectedVersion, boolean enabled);

    /** Deletes a job and keeps its runs. Admin role. */
    JobDefinition deleteJob(Principal who, long id, Long expectedVersion);

    /** A fire now, outside the schedule, recorded with who triggered it. Operator role. */
    RunView trigger(Principal who, long jobId);

    /** The job's next {@code count} fire times (at most {@link #MAX_PREVIEW}) in its zone. */
    List<ZonedDateTime> preview(Principal who, long jobId, int count);

    /** Fire times of a schedule not yet saved: checks the cron and zone as a create would. */
    List<ZonedDateTime> preview(String cron, String timeZone, int count);

    /** A one-off task; a repeated idempotency key returns the first run. Operator role. */
    RunView submit(Principal who, TaskDraft task);

    Page<RunView> runs(Principal who, RunQuery query);

    RunDetail run(Principal who, long runId);

    /** A final run (FAILED, TIMED_OUT, CANCELLED, DEAD) back to SCHEDULED, due now. Operator role. */
    RunView rerun(Principal who, long runId);

    /** Cancels a scheduled, queued or running run, telling its worker. Operator role. */
    RunView cancel(Principal who, long runId);

    /** Re-runs every final run the query matches (at most {@link #MAX_BULK}); a dry run only counts. */
    BulkResult rerunMatching(Principal who, RunQuery query, boolean dryRun);

    /** Cancels every active run the query matches (at most {@link #MAX_BULK}); a dry run only counts. */
    BulkResult cancelMatching(Principal who, RunQuery query, boolean dryRun);

    /** Membership, leadership, and the run table's load (queue depth per task type, each worker's running runs). */
    ClusterView cluster(Principal who);

    /**
     * Messages the leader parked (results or dead letters it could not apply), newest first, at most
     * {@code limit}. Viewer role, every team: a message may be about any team.
     */
    List<HeldMessage> parkedMessages(Principal who, Integer limit);

    /** Messages the leader rejected (submissions, results, announcements), newest first; as {@link #parkedMessages}. */
    List<HeldMessage> rejectedMessages(Principal who, Integer limit);

    /**
     * Fires per minute and their lateness over the last {@code minutes} (null: {@link #DEFAULT_STATS_MINUTES},
     * at most {@link #MAX_STATS_MINUTES}), of the principal's teams.
     */
    FireStats fireStats(Principal who, Integer minutes);

    /**
     * Why a job fired late or not at all: lateness (started − scheduled) p50, p99 and max over its last {@code runs}
     * runs scheduled up to now (null: {@link #DEFAULT_JOB_STATS_RUNS}, at most {@link #MAX_JOB_STATS_RUNS}), and
     * the SKIPPED ones among them by reason. Viewer role; a job of another team is absent.
     */
    dev.rota.db.JobRunStats jobStats(Principal who, long jobId, Integer runs);

    /**
     * What a worker without ZooKeeper needs (queue names and arguments, delivery limit, heartbeat and silence
     * limits, payload limit; no credentials), as JSON, as the leader last recorded it. Any role.
     *
     * @throws UnavailableException before a leader has recorded it
     */
    String workerSettings(Principal who);

    /** Asks the leader to step down. Admin role, every team. @return the master asked */
    String failover(Principal who);

    /** Audit events, newest first; a team's principal sees its team's events only. */
    Page<AuditEvent> audit(Principal who, String cursor, Integer limit);

    /** A new API token, shown once. Admin role, every team. */
    CreatedToken createToken(Principal who, String name, String team, Role role);

    List<ApiToken> tokens(Principal who);

    ApiToken revokeToken(Principal who, String name);

    /**
     * Makes an alert rule: its deliveries are written with each matching event from now on. Needs the admin role
     * for the rule's team (every team when {@code team} is null). Audited.
     *
     * @return the rule and its signing secret, shown this once
     */
    CreatedAlertRule createAlertRule(Principal who, AlertRuleDraft draft);

    /** Alert rules (never their secrets) of one team, or of every team the principal may see when null. */
    List<dev.rota.db.AlertRule> alertRules(Principal who, String team);

    /** Deletes an alert rule and its deliveries; admin role for its team. Audited. */
    dev.rota.db.AlertRule deleteAlertRule(Principal who, long id);

    /** Alert deliveries with their attempts, newest first: of one rule, or of every rule the principal may see. */
    List<dev.rota.db.AlertDelivery> alertDeliveries(Principal who, Long ruleId, Integer limit);

    /** The principal a bearer token stands for, if it is a live token. Compares hashes in constant time. */
    Optional<Principal> authenticate(String bearerToken);

    /** Whether any token could authenticate: an API server refuses to start without one. */
    boolean hasActiveTokens();

    /** Releases what the admin layer opened itself (a broker connection for cancellations). */
    @Override
    void close();
}
