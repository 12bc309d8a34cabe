package dev.rota.admin.internal;

import dev.rota.admin.Admin;
import dev.rota.admin.BulkResult;
import dev.rota.admin.ClusterView;
import dev.rota.admin.ConflictException;
import dev.rota.admin.CreatedToken;
import dev.rota.admin.FireStats;
import dev.rota.admin.ForbiddenException;
import dev.rota.admin.HeldMessage;
import dev.rota.admin.InvalidInputException;
import dev.rota.admin.JobDraft;
import dev.rota.admin.JobQuery;
import dev.rota.admin.NotFoundException;
import dev.rota.admin.Page;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.admin.RunDetail;
import dev.rota.admin.RunQuery;
import dev.rota.admin.TaskDraft;
import dev.rota.admin.UnavailableException;
import dev.rota.db.AdminQueries;
import dev.rota.db.ApiToken;
import dev.rota.db.ApiTokens;
import dev.rota.db.AuditEntry;
import dev.rota.db.AuditEvent;
import dev.rota.db.JobDefinition;
import dev.rota.db.JobExistsException;
import dev.rota.db.JobFilter;
import dev.rota.db.JobSpec;
import dev.rota.db.RotaDatabase;
import dev.rota.db.RunFilter;
import dev.rota.db.RunView;
import dev.rota.db.VersionConflictException;
import dev.rota.master.CronSchedule;
import dev.rota.model.IllegalRunTransitionException;
import dev.rota.model.RunState;
import dev.rota.registry.ClusterStatus;
import dev.rota.registry.Registry;
import dev.rota.registry.RegistryException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The {@link Admin} facade over the database, the registry and the broker. */
public final class DefaultAdmin implements Admin {
    private final RotaDatabase db;
    private final AdminQueries queries;
    private final Registry registry;
    private final Clock clock;
    private final Validation validation;
    private final Canceller canceller;
    private final TokenSecrets secrets = new TokenSecrets();
    private final AlertAdmin alerts;

    public DefaultAdmin(RotaDatabase db, Registry registry, Clock clock, int maxPayloadBytes) {
        this.db = db;
        this.queries = db.admin();
        this.registry = registry;
        this.clock = clock;
        this.validation = new Validation(maxPayloadBytes);
        this.canceller = new Canceller(db, registry);
        this.alerts = new AlertAdmin(db.alerts());
    }

    @Override
    public Page<JobDefinition> jobs(Principal who, JobQuery q) {
        int limit = Validation.limit(q.limit());
        String[] after = Cursors.job(q.cursor());
        Set<String> teams = teams(who, q.team());
        String taskType = q.taskType() == null ? null : Validation.name("taskType", q.taskType());
        List<JobDefinition> rows = queries.jobs(new JobFilter(teams, taskType, q.enabled(),
                Validation.text("text", q.text()), after == null ? null : after[0], after == null ? null : after[1],
                limit + 1, q.failing()));
        List<JobDefinition> items = rows.subList(0, Math.min(limit, rows.size()));
        JobDefinition last = items.isEmpty() ? null : items.get(items.size() - 1);
        return new Page<>(items, rows.size() > limit ? Cursors.job(last.team(), last.name()) : null);
    }

    @Override
    public JobDefinition job(Principal who, long id) {
        return db.jobs().find(id).filter(j -> who.mayAct(j.team()))
                .orElseThrow(() -> new NotFoundException("no job with id " + id));
    }

    @Override
    public JobDefinition job(Principal who, String team, String name) {
        return db.jobs().find(team, name).filter(j -> who.mayAct(j.team()))
                .orElseThrow(() -> new NotFoundException("no job named '" + name + "' in team '" + team + "'"));
    }

    @Override
    public JobDefinition createJob(Principal who, JobDraft draft) {
        JobSpec spec = validation.job(draft);
        Guard.require(who, Role.ADMIN, "add jobs", spec.team());
        return named(spec, () -> queries.createJob(spec, audit(who, "job.create", spec.team(), spec.name())));
    }

    @Override
    public JobDefinition updateJob(Principal who, long id, Long expectedVersion, JobDraft draft) {
        JobDefinition current = job(who, id);
        JobSpec spec = validation.job(draft);
        Guard.require(who, Role.ADMIN, "change jobs", current.team());
        Guard.require(who, Role.ADMIN, "move jobs", spec.team());
        return named(spec, () -> versioned(id, () -> queries.updateJob(id, expectedVersion, spec,
                audit(who, "job.update", current.team(), current.name()))));
    }

    @Override
    public JobDefinition setEnabled(Principal who, long id, Long expectedVersion, boolean enabled) {
        JobDefinition current = job(who, id);
        Guard.require(who, Role.OPERATOR, enabled ? "resume jobs" : "pause jobs", current.team());
        return versioned(id, () -> queries.setEnabled(id, expectedVersion, enabled,
                audit(who, enabled ? "job.resume" : "job.pause", current.team(), current.name())));
    }

    @Override
    public JobDefinition deleteJob(Principal who, long id, Long expectedVersion) {
        JobDefinition current = job(who, id);
        Guard.require(who, Role.ADMIN, "delete jobs", current.team());
        return versioned(id, () -> queries.deleteJob(id, expectedVersion,
                audit(who, "job.delete", current.team(), current.name())));
    }

    @Override
    public RunView trigger(Principal who, long jobId) {
        JobDefinition current = job(who, jobId);
        Guard.require(who, Role.OPERATOR, "trigger jobs", current.team());
        return queries.trigger(jobId, audit(who, "job.trigger", current.team(), current.name()))
                .orElseThrow(() -> new NotFoundException("no job with id " + jobId));
    }

    @Override
    public List<ZonedDateTime> preview(Principal who, long jobId, int count) {
        JobDefinition job = job(who, jobId);
        return preview(job.cron(), job.timeZone(), count);
    }

    @Override
    public List<ZonedDateTime> preview(String cron, String timeZone, int count) {
        if (count < 1 || count > MAX_PREVIEW) {
            throw new InvalidInputException("count", "count must be 1 to " + MAX_PREVIEW + ", was " + count);
        }
        CronSchedule schedule = Validation.schedule(cron, timeZone);
        List<ZonedDateTime> times = new ArrayList<>(count);
        for (Instant t = schedule.nextAfter(clock.instant()); t != null && times.size() < count;
                t = schedule.nextAfter(t)) {
            times.add(t.atZone(schedule.zone()));
        }
        return times;
    }

    @Override
    public RunView submit(Principal who, TaskDraft task) {
        var submission = validation.task(task, clock.instant());
        Guard.require(who, Role.OPERATOR, "submit tasks", submission.team());
        RunView run = db.runs().submit(submission);
        queries.audit(audit(who, "task.submit", run.team(), "run:" + run.id()), null,
                queries.runJson(run.id()).orElse(null));
        return run;
    }

    @Override
    public Page<RunView> runs(Principal who, RunQuery q) {
        int limit = Validation.limit(q.limit());
        String[] after = Cursors.run(q.cursor());
        RunFilter filter = filter(who, q, limit + 1);
        if (after != null) {
            filter = new RunFilter(filter.teams(), filter.jobId(), filter.jobName(), filter.taskType(), filter.states(),
                    filter.scheduledFrom(), filter.scheduledTo(), filter.text(), Instant.parse(after[0]),
                    Long.parseLong(after[1]), limit + 1);
        }
        List<RunView> rows = queries.runs(filter);
        List<RunView> items = rows.subList(0, Math.min(limit, rows.size()));
        RunView last = items.isEmpty() ? null : items.get(items.size() - 1);
        return new Page<>(items, rows.size() > limit ? Cursors.run(last.scheduledAt(), last.id()) : null);
    }

    private RunFilter filter(Principal who, RunQuery q, int limit) {
        if (q.from() != null && q.to() != null && !q.from().isBefore(q.to())) {
            throw new InvalidInputException("from", "from (" + q.from() + ") must be before to (" + q.to() + ")");
        }
        return new RunFilter(teams(who, q.team()), q.jobId(), Validation.text("job", q.job()),
                q.taskType() == null ? null : Validation.name("taskType", q.taskType()), q.states(), q.from(), q.to(),
                Validation.text("text", q.text()), null, null, limit);
    }

    @Override
    public RunDetail run(Principal who, long runId) {
        RunView run = visibleRun(who, runId);
        String by = queries.triggeredBy(runId).orElse(null);
        var attempts = queries.attempts(runId);
        var events = queries.events(runId);
        return new RunDetail(run, by, attempts, events, Timelines.of(run, by, attempts, events));
    }

    private RunView visibleRun(Principal who, long runId) {
        return db.runs().find(runId).filter(r -> who.mayAct(r.team()))
                .orElseThrow(() -> new NotFoundException("no run with id " + runId));
    }

    @Override
    public RunView rerun(Principal who, long runId) {
        RunView before = visibleRun(who, runId);
        Guard.require(who, Role.OPERATOR, "re-run runs", before.team());
        if (!before.state().isRerunnable()) {
            throw notRerunnable(runId, before.state());
        }
        String beforeJson = queries.runJson(runId).orElse(null);
        RunView after;
        try {
            after = db.runs().rerun(runId);
        } catch (IllegalRunTransitionException e) {
            throw notRerunnable(runId, db.runs().find(runId).map(RunView::state).orElse(before.state()));
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no run with id " + runId);
        }
        queries.audit(audit(who, "run.rerun", after.team(), "run:" + runId), beforeJson,
                queries.runJson(runId).orElse(null));
        return after;
    }

    private static ConflictException notRerunnable(long runId, RunState state) {
        return new ConflictException("run " + runId + " is " + state
                + "; only FAILED, TIMED_OUT, CANCELLED and DEAD runs can be re-run");
    }

    @Override
    public RunView cancel(Principal who, long runId) {
        RunView before = visibleRun(who, runId);
        Guard.require(who, Role.OPERATOR, "cancel runs", before.team());
        String beforeJson = queries.runJson(runId).orElse(null);
        RunView after = canceller.cancel(runId).orElseThrow(() -> new ConflictException("cannot cancel run " + runId
                + ": it is " + db.runs().find(runId).map(r -> r.state().name()).orElse("gone")
                + " (only SCHEDULED, QUEUED and RUNNING runs can be cancelled)"));
        queries.audit(audit(who, "run.cancel", after.team(), "run:" + runId), beforeJson,
                queries.runJson(runId).orElse(null));
        return after;
    }

    @Override
    public BulkResult rerunMatching(Principal who, RunQuery query, boolean dryRun) {
        Set<RunState> rerunnable = Set.of(RunState.FAILED, RunState.TIMED_OUT, RunState.CANCELLED, RunState.DEAD);
        return bulk(who, query, dryRun, rerunnable, "re-run runs", id -> rerun(who, id));
    }

    @Override
    public BulkResult cancelMatching(Principal who, RunQuery query, boolean dryRun) {
        Set<RunState> active = Set.of(RunState.SCHEDULED, RunState.QUEUED, RunState.RUNNING);
        return bulk(who, query, dryRun, active, "cancel runs", id -> cancel(who, id));
    }

    private BulkResult bulk(Principal who, RunQuery query, boolean dryRun, Set<RunState> allowed, String action,
            java.util.function.LongFunction<RunView> each) {
        Guard.require(who, Role.OPERATOR, action);
        Set<RunState> states = query.states() == null || query.states().isEmpty() ? allowed
                : query.states().stream().filter(allowed::contains).collect(java.util.stream.Collectors.toSet());
        if (states.isEmpty()) {
            throw new InvalidInputException("state", "none of the states " + query.states() + " allows this; use "
                    + allowed);
        }
        RunFilter filter = filter(who, query.withStates(states), MAX_BULK);
        long matched = queries.countRuns(filter);
        if (dryRun) {
            return new BulkResult(matched, true, List.of(), List.of());
        }
        List<Long> changed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (long id : queries.runIds(filter)) {
            try {
                changed.add(each.apply(id).id());
            } catch (ConflictException | NotFoundException e) {
                skipped.add(id + ": " + e.getMessage());
            }
        }
        return new BulkResult(matched, false, changed, skipped);
    }

    @Override
    public String workerSettings(Principal who) {
        Guard.require(who, Role.WORKER, "read the worker settings");
        return queries.workerSettings().orElseThrow(() -> new UnavailableException(
                "no leader has recorded the worker settings yet; they appear when a master leads", null));
    }

    @Override
    public ClusterView cluster(Principal who) {
        Guard.require(who, Role.VIEWER, "read the cluster's status");
        ClusterStatus status = registry().status();
        var lease = db.lease().current();
        return new ClusterView(status.leaderId().orElse(null), lease.epoch(), lease.leaderId(), status.masters(),
                status.workers(), queries.queueDepths(who.visibleTeams()), queries.workerLoads());
    }

    @Override
    public List<HeldMessage> parkedMessages(Principal who, Integer limit) {
        Guard.requireAllTeams(who, Role.VIEWER, "read parked messages");
        return HeldMessages.parked(db.parked().recent(Validation.limit(limit)), queries);
    }

    @Override
    public List<HeldMessage> rejectedMessages(Principal who, Integer limit) {
        Guard.requireAllTeams(who, Role.VIEWER, "read rejected messages");
        return HeldMessages.rejected(db.brokerClients().rejected(Validation.limit(limit)), queries);
    }

    @Override
    public FireStats fireStats(Principal who, Integer minutes) {
        Guard.require(who, Role.VIEWER, "read fire statistics");
        int m = minutes == null ? DEFAULT_STATS_MINUTES : minutes;
        if (m < 1 || m > MAX_STATS_MINUTES) {
            throw new InvalidInputException("minutes", "minutes must be 1 to " + MAX_STATS_MINUTES + ", was " + m);
        }
        // Whole minutes, so the first bucket is not a partial one; the current minute is partial by nature.
        Instant to = clock.instant();
        Instant from = to.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minus(java.time.Duration.ofMinutes(m - 1));
        return new FireStats(from, to, queries.fireBuckets(who.visibleTeams(), from, to));
    }

    @Override
    public dev.rota.db.JobRunStats jobStats(Principal who, long jobId, Integer runs) {
        Guard.require(who, Role.VIEWER, "read job statistics");
        int n = runs == null ? DEFAULT_JOB_STATS_RUNS : runs;
        if (n < 1 || n > MAX_JOB_STATS_RUNS) {
            throw new InvalidInputException("runs", "runs must be 1 to " + MAX_JOB_STATS_RUNS + ", was " + n);
        }
        return queries.jobRunStats(job(who, jobId).id(), n);
    }

    @Override
    public String failover(Principal who) {
        Guard.requireAllTeams(who, Role.ADMIN, "move leadership");
        String before = cluster(who).leaderId();
        String asked;
        try {
            asked = registry().requestFailover();
        } catch (RegistryException e) {
            throw new ConflictException("cannot fail over: " + e.getMessage());
        }
        queries.audit(audit(who, "cluster.failover", null, "master:" + asked),
                before == null ? null : "{\"leader\":\"" + before + "\"}", null);
        return asked;
    }

    private Registry registry() {
        if (registry == null) {
            throw new UnavailableException("this needs the cluster's ZooKeeper, and none is configured", null);
        }
        return registry;
    }

    @Override
    public Page<AuditEvent> audit(Principal who, String cursor, Integer limit) {
        Guard.require(who, Role.VIEWER, "read the audit log");
        int n = Validation.limit(limit);
        List<AuditEvent> rows = queries.auditEvents(who.visibleTeams(), Cursors.audit(cursor), n + 1);
        List<AuditEvent> items = rows.subList(0, Math.min(n, rows.size()));
        return new Page<>(items, rows.size() > n ? Cursors.audit(items.get(items.size() - 1).id()) : null);
    }

    @Override
    public CreatedToken createToken(Principal who, String name, String team, Role role) {
        Guard.requireAllTeams(who, Role.ADMIN, "create tokens");
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")) {
            throw new InvalidInputException("name", "token name '" + name + "' is invalid: use 1 to 100 letters,"
                    + " digits, '_', '.', '@' or '-', starting with a letter or digit");
        }
        if (team != null) {
            Validation.name("team", team);
        }
        if (role == null) {
            throw new InvalidInputException("role", "role is required: viewer, operator or admin");
        }
        byte[] secret = secrets.newSecret();
        try {
            ApiToken token = db.tokens().create(name, team, role.name(), TokenSecrets.hash(secret),
                    audit(who, "token.create", team, "token:" + name));
            return new CreatedToken(token, TokenSecrets.format(token.id(), secret));
        } catch (IllegalArgumentException e) {
            throw new ConflictException(e.getMessage());
        }
    }

    @Override
    public List<ApiToken> tokens(Principal who) {
        Guard.requireAllTeams(who, Role.ADMIN, "list tokens");
        return db.tokens().list();
    }

    @Override
    public ApiToken revokeToken(Principal who, String name) {
        Guard.requireAllTeams(who, Role.ADMIN, "revoke tokens");
        return db.tokens().revoke(name, audit(who, "token.revoke", null, "token:" + name))
                .orElseThrow(() -> new NotFoundException("no active token named '" + name + "'"));
    }

    @Override
    public dev.rota.admin.CreatedAlertRule createAlertRule(Principal who, dev.rota.admin.AlertRuleDraft draft) {
        return alerts.create(who, draft);
    }

    @Override
    public List<dev.rota.db.AlertRule> alertRules(Principal who, String team) {
        return alerts.rules(who, team);
    }

    @Override
    public dev.rota.db.AlertRule deleteAlertRule(Principal who, long id) {
        return alerts.delete(who, id);
    }

    @Override
    public List<dev.rota.db.AlertDelivery> alertDeliveries(Principal who, Long ruleId, Integer limit) {
        return alerts.deliveries(who, ruleId, limit);
    }

    @Override
    public Optional<Principal> authenticate(String bearerToken) {
        return TokenSecrets.parse(bearerToken).flatMap(p -> db.tokens().find(p.id())
                .filter(s -> s.token().active() && TokenSecrets.matches(p.secret(), s.hash()))
                .map(s -> new Principal(s.token().name(), Role.valueOf(s.token().role()), s.token().team())));
    }

    @Override
    public boolean hasActiveTokens() {
        return db.tokens().activeCount() > 0;
    }

    @Override
    public void close() {
        canceller.close();
    }

    /** The teams a list may show: the requested one, within the principal's scope. */
    static Set<String> teams(Principal who, String team) {
        if (team == null) {
            return who.visibleTeams();
        }
        Validation.name("team", team);
        if (!who.mayAct(team)) {
            throw new ForbiddenException(who.name() + " may see team '" + who.team() + "' only, not '" + team + "'");
        }
        return Set.of(team);
    }

    private static AuditEntry audit(Principal who, String action, String team, String name) {
        return new AuditEntry(who.name(), action, action.startsWith("job.") ? "job:" + team + "/" + name : name, team);
    }

    private static JobDefinition named(JobSpec spec, Supplier<JobDefinition> write) {
        try {
            return write.get();
        } catch (JobExistsException e) {
            throw new ConflictException("team '" + spec.team() + "' already has a job named '" + spec.name() + "'");
        }
    }

    private static JobDefinition versioned(long id, Supplier<Optional<JobDefinition>> write) {
        try {
            return write.get().orElseThrow(() -> new NotFoundException("no job with id " + id));
        } catch (VersionConflictException e) {
            throw new ConflictException(e.getMessage(), e.current());
        }
    }
}
