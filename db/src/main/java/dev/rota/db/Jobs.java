package dev.rota.db;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code job} table. Teams may also write it with plain SQL; the leader notices either way. */
public interface Jobs {
    /**
     * @return the stored job
     * @throws JobExistsException when the team already has a job of that name
     */
    JobDefinition create(JobSpec spec);

    Optional<JobDefinition> find(long id);

    Optional<JobDefinition> find(String team, String name);

    List<JobDefinition> list();

    /**
     * The task types of enabled jobs, read by skipping through the task-type index (one probe per distinct
     * type), never by loading the jobs: the leader asks every few seconds, whatever the number of jobs.
     */
    java.util.SortedSet<String> enabledTaskTypes();

    /** Id to version of every job: a cheap query to detect changes. */
    Map<Long, Long> versions();

    /** @return whether a job was found */
    boolean setEnabled(String team, String name, boolean enabled);

    /** @return whether a job was deleted; its runs are kept, except fires recorded ahead and never dispatched */
    boolean delete(String team, String name);

    /**
     * Records (or clears, with null) why the scheduler cannot schedule this version of the job. Does not
     * bump the version; ignored when the job has changed since.
     */
    void recordScheduleError(long id, long version, String error);
}
