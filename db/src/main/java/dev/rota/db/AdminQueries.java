package dev.rota.db;

import java.util.List;
import java.util.Optional;

/**
 * What operators read and change, apart from the leader's hot path in {@link Runs}: filtered, paged
 * lists served by index scans, a run's attempts and events, and job writes that are conditional on the
 * job's version and append their {@code audit_event} row (with the row before and after) in the same
 * transaction.
 */
public interface AdminQueries {

    /** Up to {@code filter.limit()} jobs in (team, name) order after the filter's key. */
    List<JobDefinition> jobs(JobFilter filter);

    /** Up to {@code filter.limit()} runs, newest scheduled first, after the filter's key. */
    List<RunView> runs(RunFilter filter);

    /** How many runs match (the key and limit are ignored): the dry run of a bulk action. */
    long countRuns(RunFilter filter);

    /** The ids of up to {@code filter.limit()} matching runs, in list order. */
    List<Long> runIds(RunFilter filter);

    /** The run's attempts, oldest first. */
    List<AttemptView> attempts(long runId);

    /** Results about the run that changed nothing, oldest first. */
    List<RunEventView> events(long runId);

    /** @throws JobExistsException when the team already has a job of that name */
    JobDefinition createJob(JobSpec spec, AuditEntry audit);

    /**
     * Replaces a job's definition.
     *
     * @param expectedVersion the version the caller read, or null to write unconditionally
     * @return the job after the change, or empty when there is no such job
     * @throws VersionConflictException when the job's version is not {@code expectedVersion}
     * @throws JobExistsException when renamed onto another job's name
     */
    Optional<JobDefinition> updateJob(long id, Long expectedVersion, JobSpec spec, AuditEntry audit);

    /** Pauses (false) or resumes (true) a job; same contract as {@link #updateJob}. */
    Optional<JobDefinition> setEnabled(long id, Long expectedVersion, boolean enabled, AuditEntry audit);

    /** Deletes a job, keeping its runs; same contract as {@link #updateJob}; returns the deleted job. */
    Optional<JobDefinition> deleteJob(long id, Long expectedVersion, AuditEntry audit);

    /**
     * Records a fire of the job outside its schedule: a run due now by the database clock, SCHEDULED,
     * with {@code triggered_by} set to the audit's actor. The leader dispatches it like a retry.
     *
     * @return the new run, or empty when there is no such job
     */
    Optional<RunView> trigger(long jobId, AuditEntry audit);

    /** Whether a run was made by "trigger now", and by whom. */
    Optional<String> triggeredBy(long runId);

    /** Appends an audit row for a write made elsewhere (a submission, a re-run, a failover). */
    void audit(AuditEntry audit, String beforeJson, String afterJson);

    /**
     * Audit events, newest first, with id below {@code beforeId} (null: from the newest).
     *
     * @param teams only events of these teams (null: all, cluster actions included)
     */
    List<AuditEvent> auditEvents(java.util.Set<String> teams, Long beforeId, int limit);

    /** The row as JSON (PostgreSQL's {@code to_jsonb}), for audit snapshots; empty when absent. */
    Optional<String> runJson(long runId);

    /** The runs with these ids that exist, by id. */
    java.util.Map<Long, RunView> runsById(java.util.Collection<Long> ids);

    /** Per task type with runs due, queued or running now (of {@code teams}; null for all), by task type. */
    List<ClusterLoad.QueueDepth> queueDepths(java.util.Set<String> teams);

    /** Per worker with running runs: how many, and their latest heartbeat. */
    List<ClusterLoad.WorkerLoad> workerLoads();

    /**
     * Runs scheduled in {@code [from, to)} (of {@code teams}; null for all), per minute, oldest first;
     * minutes without runs are left out. One range scan of the run list index.
     */
    List<ClusterLoad.FireBucket> fireBuckets(java.util.Set<String> teams, java.time.Instant from, java.time.Instant to);

    /**
     * Lateness and skips of the job's last {@code lastRuns} runs scheduled up to now: one scan of the run list index
     * for the job ({@code run_list_job_idx}), newest first.
     */
    JobRunStats jobRunStats(long jobId, int lastRuns);

    /** What workers without ZooKeeper need, as the leader last recorded it (JSON); empty before any leader did. */
    Optional<String> workerSettings();
}
