package dev.rota.master.internal;

import dev.rota.master.CronSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.db.JobDefinition;
import dev.rota.db.JobSpec;
import dev.rota.db.Jobs;
import dev.rota.db.Runs;
import dev.rota.db.Runs.Fire;
import dev.rota.master.MasterEvent;
import dev.rota.master.MasterListener;
import dev.rota.model.MisfirePolicy;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler stepped by hand against in-memory jobs and runs, with a settable database clock. */
class JobReconcilerTest {
    private static final Duration THRESHOLD = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:30Z");

    private final FakeJobs jobs = new FakeJobs();
    private final FakeRuns runs = new FakeRuns();
    private final RecordingTriggers triggers = new RecordingTriggers();
    private final List<List<Fire>> dispatched = new ArrayList<>();
    /** Trigger calls and dispatches, in the order they happened. */
    private final List<String> order = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private JobReconciler reconciler;

    @BeforeEach
    void create() {
        runs.now = T0;
        MasterListener listener = (event, detail) -> events.add(event + " " + detail);
        triggers.order = order;
        reconciler = new JobReconciler(jobs, runs.proxy(), triggers, fires -> {
            order.add("dispatch " + fires.size());
            dispatched.add(fires);
        }, THRESHOLD, listener);
    }

    @Test
    void aNewJobIsScheduled() {
        JobDefinition j = jobs.add(JobSpec.of("hourly", "0 0 * * * ?", "report"));

        reconciler.runOnce();

        assertThat(triggers.calls).containsExactly("schedule " + j.id() + " '0 0 * * * ?' UTC after " + T0);
        assertThat(triggers.scheduled).containsOnlyKeys(j.id());
        assertThat(reconciler.activeJob(j.id())).contains(j);
        assertThat(reconciler.activeCount()).isEqualTo(1);
        assertThat(dispatched).as("a new job owes nothing").isEmpty();
        assertThat(events).containsExactly("JOB_SCHEDULED hourly");
        assertThat(jobs.errorCalls).isEmpty();
    }

    @Test
    void anUnchangedJobIsLeftAlone() {
        jobs.add(JobSpec.of("hourly", "0 0 * * * ?", "report"));
        reconciler.runOnce();
        triggers.calls.clear();
        events.clear();
        int finds = jobs.finds;

        runs.now = T0.plusSeconds(30);
        reconciler.runOnce();

        assertThat(triggers.calls).isEmpty();
        assertThat(events).isEmpty();
        assertThat(jobs.finds).as("only changed jobs are reloaded").isEqualTo(finds);
    }

    @Test
    void aChangedVersionIsRescheduled() {
        JobDefinition j = jobs.add(JobSpec.of("job", "0 0 * * * ?", "report"));
        reconciler.runOnce();
        triggers.calls.clear();

        JobDefinition changed = jobs.update(j.id(), d -> with(d, "0 30 * * * ?", d.timeZone(), d.enabled()));
        reconciler.runOnce();

        assertThat(triggers.calls).containsExactly("schedule " + j.id() + " '0 30 * * * ?' UTC after " + T0);
        assertThat(reconciler.activeJob(j.id())).contains(changed);
        assertThat(reconciler.activeJob(j.id()).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aDisabledJobIsUnscheduledAndAReEnabledOneScheduledAgain() {
        JobDefinition j = jobs.add(JobSpec.of("job", "0 0 * * * ?", "report"));
        reconciler.runOnce();
        triggers.calls.clear();
        events.clear();

        jobs.update(j.id(), d -> with(d, d.cron(), d.timeZone(), false));
        reconciler.runOnce();

        assertThat(triggers.calls).containsExactly("unschedule " + j.id());
        assertThat(triggers.scheduled).isEmpty();
        assertThat(reconciler.activeJob(j.id())).isEmpty();
        assertThat(events).containsExactly("JOB_UNSCHEDULED " + j.id() + " disabled");

        jobs.update(j.id(), d -> with(d, d.cron(), d.timeZone(), true));
        reconciler.runOnce();
        assertThat(triggers.scheduled).containsOnlyKeys(j.id());
        assertThat(reconciler.activeJob(j.id())).isPresent();
    }

    @Test
    void aJobDisabledFromTheStartIsNeverScheduled() {
        jobs.add(JobSpec.of("off", "0 0 * * * ?", "report").withEnabled(false));
        reconciler.runOnce();
        assertThat(triggers.calls).isEmpty();
        assertThat(reconciler.activeCount()).isZero();
    }

    @Test
    void aDeletedJobIsUnscheduled() {
        JobDefinition keep = jobs.add(JobSpec.of("keep", "0 0 * * * ?", "report"));
        JobDefinition gone = jobs.add(JobSpec.of("gone", "0 0 * * * ?", "report"));
        reconciler.runOnce();
        triggers.calls.clear();

        jobs.remove(gone.id());
        reconciler.runOnce();

        assertThat(triggers.calls).containsExactly("unschedule " + gone.id());
        assertThat(triggers.scheduled).containsOnlyKeys(keep.id());
        assertThat(reconciler.activeJob(gone.id())).isEmpty();
        assertThat(events).contains("JOB_UNSCHEDULED " + gone.id() + " deleted");

        reconciler.runOnce();
        assertThat(triggers.calls).hasSize(1);
    }

    @Test
    void anInvalidCronIsRecordedAndNotScheduled() {
        JobDefinition j = jobs.add(JobSpec.of("broken", "every day at nine", "report"));

        reconciler.runOnce();

        assertThat(triggers.calls).isEmpty();
        assertThat(reconciler.activeJob(j.id())).isEmpty();
        assertThat(jobs.errorCalls).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(j.id());
            assertThat(c.version()).isEqualTo(j.version());
            assertThat(c.error()).contains("'every day at nine'").startsWith("malformed cron expression");
        });
        JobDefinition stored = jobs.find(j.id()).orElseThrow();
        assertThat(stored.scheduleError()).contains("every day at nine");
        assertThat(stored.version()).as("recording the error is not a change").isEqualTo(j.version());
        assertThat(events).singleElement().asString().startsWith("JOB_INVALID broken: malformed cron expression");

        reconciler.runOnce();
        assertThat(jobs.errorCalls).as("the same version is not examined again").hasSize(1);
    }

    @Test
    void anUnknownZoneIsRecorded() {
        JobDefinition j = jobs.add(JobSpec.of("zone", "0 0 * * * ?", "report").withTimeZone("Mars/Olympus"));
        reconciler.runOnce();
        assertThat(jobs.find(j.id()).orElseThrow().scheduleError()).startsWith("unknown time zone 'Mars/Olympus'");
        assertThat(triggers.calls).isEmpty();
    }

    @Test
    void aScheduledJobThatBecomesInvalidIsUnscheduled() {
        JobDefinition j = jobs.add(JobSpec.of("job", "0 0 * * * ?", "report"));
        reconciler.runOnce();
        triggers.calls.clear();

        jobs.update(j.id(), d -> with(d, "0 0 25 * * ?", d.timeZone(), d.enabled()));
        reconciler.runOnce();

        assertThat(triggers.calls).containsExactly("unschedule " + j.id());
        assertThat(jobs.find(j.id()).orElseThrow().scheduleError()).contains("'0 0 25 * * ?'");
    }

    @Test
    void aFixedJobHasItsErrorClearedAndIsScheduled() {
        JobDefinition j = jobs.add(JobSpec.of("job", "nonsense", "report"));
        reconciler.runOnce();
        assertThat(jobs.find(j.id()).orElseThrow().scheduleError()).isNotNull();

        JobDefinition fixed = jobs.update(j.id(), d -> with(d, "0 0 * * * ?", d.timeZone(), d.enabled()));
        reconciler.runOnce();

        assertThat(jobs.errorCalls).last().satisfies(c -> {
            assertThat(c.version()).isEqualTo(fixed.version());
            assertThat(c.error()).isNull();
        });
        assertThat(jobs.find(j.id()).orElseThrow().scheduleError()).isNull();
        assertThat(triggers.scheduled).containsOnlyKeys(j.id());
        assertThat(triggers.scheduled.get(j.id()).expression()).isEqualTo("0 0 * * * ?");
    }

    @Test
    void owedFiresArePlannedFromTheLastFire() {
        JobDefinition j = jobs.add(JobSpec.of("minutely", "0 * * * * ?", "report")
                .withMisfire(MisfirePolicy.FIRE_ALL, 100), Instant.parse("2024-05-01T09:00:00Z"));
        runs.lastFire.put(j.id(), Instant.parse("2024-05-01T09:56:00Z"));

        reconciler.runOnce();

        assertThat(dispatched).singleElement().satisfies(batch -> {
            assertThat(batch).extracting(Fire::scheduledAt).containsExactly(
                    Instant.parse("2024-05-01T09:57:00Z"),
                    Instant.parse("2024-05-01T09:58:00Z"),
                    Instant.parse("2024-05-01T09:59:00Z"),
                    Instant.parse("2024-05-01T10:00:00Z"));
            assertThat(batch).extracting(Fire::job).containsOnly(j);
        });
        assertThat(triggers.calls).containsExactly("schedule " + j.id() + " '0 * * * * ?' UTC after " + T0);
        // Owed fires are handed over before the trigger can fire later times, so fires reach the dispatcher in order.
        assertThat(order).containsExactly("dispatch 4", "schedule " + j.id());
    }

    @Test
    void missedFiresBeyondThePolicyAreReported() {
        JobDefinition j = jobs.add(JobSpec.of("minutely", "0 * * * * ?", "report")
                .withMisfire(MisfirePolicy.FIRE_ONCE, 100), Instant.parse("2024-05-01T09:00:00Z"));
        runs.lastFire.put(j.id(), Instant.parse("2024-05-01T09:50:00Z"));

        reconciler.runOnce();

        assertThat(dispatched).singleElement().satisfies(batch -> assertThat(batch).extracting(Fire::scheduledAt)
                .containsExactly(Instant.parse("2024-05-01T09:59:00Z"), Instant.parse("2024-05-01T10:00:00Z")));
        assertThat(events).contains("MISFIRES_SKIPPED minutely 8");
    }

    @Test
    void aFailedPassIsRetriedOnTheNextOne() {
        JobDefinition j = jobs.add(JobSpec.of("job", "0 0 * * * ?", "report"));
        runs.failNow = true;

        assertThatThrownBy(reconciler::runOnce).isInstanceOf(IllegalStateException.class);
        assertThat(triggers.scheduled).isEmpty();

        runs.failNow = false;
        reconciler.runOnce();

        assertThat(triggers.scheduled).as("the job is not forgotten after a database error").containsOnlyKeys(j.id());
        assertThat(reconciler.activeJob(j.id())).isPresent();
    }

    private static JobDefinition with(JobDefinition d, String cron, String zone, boolean enabled) {
        return new JobDefinition(d.id(), d.team(), d.name(), cron, zone, d.taskType(), d.payload(), enabled,
                d.misfirePolicy(), d.misfireLimit(), d.concurrencyPolicy(), d.retryPolicy(), d.timeout(),
                d.scheduleError(), d.scheduleFrom(), d.createdAt(), d.updatedAt(), d.version());
    }

    record ErrorCall(long id, long version, String error) {
    }

    /** The job table in memory: an update bumps the version, as the database trigger does; recording an error does not. */
    static final class FakeJobs implements Jobs {
        final Map<Long, JobDefinition> rows = new TreeMap<>();
        final List<ErrorCall> errorCalls = new ArrayList<>();
        int finds;
        private long nextId = 1;

        JobDefinition add(JobSpec spec) {
            return add(spec, T0);
        }

        JobDefinition add(JobSpec spec, Instant scheduleFrom) {
            JobDefinition d = new JobDefinition(nextId++, spec.team(), spec.name(), spec.cron(), spec.timeZone(),
                    spec.taskType(), spec.payload(), spec.enabled(), spec.misfirePolicy(), spec.misfireLimit(),
                    spec.concurrencyPolicy(), spec.retryPolicy(), spec.timeout(), null, scheduleFrom, scheduleFrom,
                    scheduleFrom, 1);
            rows.put(d.id(), d);
            return d;
        }

        JobDefinition update(long id, java.util.function.UnaryOperator<JobDefinition> change) {
            JobDefinition d = change.apply(rows.get(id));
            JobDefinition bumped = new JobDefinition(d.id(), d.team(), d.name(), d.cron(), d.timeZone(), d.taskType(),
                    d.payload(), d.enabled(), d.misfirePolicy(), d.misfireLimit(), d.concurrencyPolicy(),
                    d.retryPolicy(), d.timeout(), d.scheduleError(), d.scheduleFrom(), d.createdAt(), d.updatedAt(),
                    d.version() + 1);
            rows.put(id, bumped);
            return bumped;
        }

        void remove(long id) {
            rows.remove(id);
        }

        @Override
        public Map<Long, Long> versions() {
            Map<Long, Long> v = new LinkedHashMap<>();
            rows.forEach((id, d) -> v.put(id, d.version()));
            return v;
        }

        @Override
        public Optional<JobDefinition> find(long id) {
            finds++;
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public void recordScheduleError(long id, long version, String error) {
            errorCalls.add(new ErrorCall(id, version, error));
            JobDefinition d = rows.get(id);
            if (d != null && d.version() == version) {
                rows.put(id, new JobDefinition(d.id(), d.team(), d.name(), d.cron(), d.timeZone(), d.taskType(),
                        d.payload(), d.enabled(), d.misfirePolicy(), d.misfireLimit(), d.concurrencyPolicy(),
                        d.retryPolicy(), d.timeout(), error, d.scheduleFrom(), d.createdAt(), d.updatedAt(), d.version()));
            }
        }

        @Override
        public JobDefinition create(JobSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<JobDefinition> find(String team, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<JobDefinition> list() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean setEnabled(String team, String name, boolean enabled) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String team, String name) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * The reconciler reads only the database clock and each job's last fire. A proxy rather than a class,
     * so that methods added to {@link Runs} later need no change here; every other method throws.
     */
    static final class FakeRuns {
        Instant now;
        boolean failNow;
        final Map<Long, Instant> lastFire = new HashMap<>();

        Runs proxy() {
            return (Runs) Proxy.newProxyInstance(Runs.class.getClassLoader(), new Class<?>[] {Runs.class},
                    (p, method, args) -> switch (method.getName()) {
                        case "now" -> {
                            if (failNow) {
                                throw new IllegalStateException("database unavailable");
                            }
                            yield now;
                        }
                        case "lastFireTime" -> Optional.ofNullable(lastFire.get((Long) args[0]));
                        case "toString" -> "FakeRuns";
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    static final class RecordingTriggers implements JobReconciler.Triggers {
        final List<String> calls = new ArrayList<>();
        final Map<Long, CronSchedule> scheduled = new HashMap<>();
        List<String> order = new ArrayList<>();

        @Override
        public void schedule(long jobId, CronSchedule schedule, Instant after) {
            calls.add("schedule " + jobId + " '" + schedule.expression() + "' " + schedule.zone() + " after " + after);
            scheduled.put(jobId, schedule);
            order.add("schedule " + jobId);
        }

        @Override
        public void unschedule(long jobId) {
            calls.add("unschedule " + jobId);
            scheduled.remove(jobId);
            order.add("unschedule " + jobId);
        }
    }
}
