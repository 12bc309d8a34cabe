package dev.rota.cli.demo;

import dev.rota.db.JobSpec;
import dev.rota.db.RotaDatabase;
import dev.rota.db.RunView;
import dev.rota.db.TaskSubmission;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.ClusterSettings;
import dev.rota.model.Topology;
import dev.rota.registry.RegistryConfig;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;

/**
 * A whole Rota cluster in one JVM: an embedded ZooKeeper, two masters and two workers against the local
 * PostgreSQL and RabbitMQ, and the sample jobs. Everything it does is told through a {@link Narrator}.
 * {@link #start()} once; {@link #close()} stops the workers (letting running tasks finish), then the
 * standby master, the leader, and ZooKeeper. Not thread-safe: one thread drives it.
 */
public final class Demo implements AutoCloseable {
    static final int MASTERS = 2;
    static final int WORKERS = 2;
    static final int WORKER_CAPACITY = 2;
    static final Duration WORKER_GRACE = Duration.ofSeconds(5);
    static final Duration SETTINGS_TIMEOUT = Duration.ofSeconds(30);
    static final int SUMMARY_RUNS = 10_000;

    private final DemoSettings settings;
    private final Narrator narrator;
    private final List<Master> masters = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private TestingServer zooKeeper;
    private DemoSecurity security;
    private boolean closed;

    public Demo(DemoSettings settings, Narrator narrator) {
        this.settings = settings;
        this.narrator = narrator;
    }

    /**
     * Starts ZooKeeper, resets the demo schema and queues, starts the masters and workers, and adds the jobs.
     *
     * @throws DemoException naming the service that could not be used
     */
    public void start() throws InterruptedException {
        startZooKeeper();
        reset();
        if (settings.hardened()) {
            security = DemoSecurity.create(settings.namespace(), settings.amqpUri(), narrator);
        } else {
            narrator.say("demo", "NOT hardened (--insecure): open ZooKeeper, one broker user for everyone");
        }
        for (int i = 1; i <= MASTERS; i++) {
            startMaster("master-" + i);
        }
        for (int i = 1; i <= WORKERS; i++) {
            startWorker("worker-" + i);
        }
        addJobs(masters.get(0).database());
    }

    private void startZooKeeper() {
        try {
            zooKeeper = new TestingServer(true);
        } catch (Exception e) {
            throw new DemoException("cannot start the embedded ZooKeeper: " + e.getMessage(), e);
        }
        narrator.say("demo", "embedded ZooKeeper listening on " + zooKeeper.getConnectString());
    }

    private void reset() {
        try {
            DemoSchema.wipe(settings.database());
        } catch (SQLException e) {
            throw new DemoException("cannot use PostgreSQL at " + settings.database().url() + ": " + e.getMessage(), e);
        }
        try {
            DemoBroker.reset(settings.amqpUri(), new Topology(settings.namespace()), SampleJobs.TASK_TYPES);
        } catch (IOException e) {
            throw new DemoException("cannot use RabbitMQ at " + AmqpConnections.redact(settings.amqpUri()) + ": "
                    + rootMessage(e), e);
        }
        narrator.say("demo", "wiped PostgreSQL schema " + settings.database().schema() + " and the RabbitMQ queues of"
                + " namespace " + settings.namespace());
    }

    private void startMaster(String id) {
        Master master = Master.builder()
                .masterId(id)
                .address("demo")
                .registry(new RegistryConfig(zooKeeper.getConnectString(), settings.namespace(),
                        RegistryConfig.DEFAULT_SESSION_TIMEOUT, RegistryConfig.DEFAULT_CONNECTION_TIMEOUT,
                        security == null ? null : security.masterZk()))
                .database(settings.database())
                .cluster(ClusterSettings.defaults(security == null ? settings.amqpUri() : security.masterUri(),
                        settings.namespace()))
                .separateBrokerUsers(security != null && security.separateBrokerUsers())
                .timings(MasterTimings.fast())
                .listener(narrator.forMaster(id))
                .build();
        masters.add(master);
        master.start();
        narrator.say(id, "started");
    }

    private void startWorker(String id) throws InterruptedException {
        WorkerBuilder builder = new WorkerBuilder();
        if (security != null) {
            builder.zkAuth(security.workerZk());
            if (security.workerBroker() != null) {
                builder.brokerCredentials(security.workerBroker());
            }
        }
        Worker worker = builder
                .zkConnect(zooKeeper.getConnectString())
                .namespace(settings.namespace())
                .workerId(id)
                .capacity(WORKER_CAPACITY)
                .shutdownGrace(WORKER_GRACE)
                .settingsTimeout(SETTINGS_TIMEOUT)
                .listener(narrator.forWorker(id))
                .build();
        workers.add(worker);
        worker.start();
    }

    private void addJobs(RotaDatabase db) {
        for (JobSpec job : SampleJobs.JOBS) {
            db.jobs().create(job);
            narrator.say("demo", SampleJobs.describe(job));
        }
        Instant due = db.runs().now().plus(SampleJobs.ONE_OFF_DELAY);
        RunView run = db.runs().submit(TaskSubmission.of(SampleJobs.ONE_OFF_TYPE, SampleJobs.ONE_OFF_PAYLOAD, due));
        narrator.say("demo", "submitted one-off task run " + run.id() + " (" + run.taskType() + "), due "
                + DemoEvents.localTimes(due.toString(), narrator.zone()));
    }

    /** Makes the leading master step down, so that the other one takes over. */
    public void failover() {
        Optional<Master> leader = masters.stream().filter(Master::isLeader).findFirst();
        if (leader.isEmpty()) {
            narrator.say("demo", "failover skipped: no master leads right now");
            return;
        }
        narrator.say("demo", ">>> failover: asking " + leader.get().id() + " (epoch " + leader.get().epoch()
                + ") to step down");
        leader.get().stepDown();
    }

    /** Stops the workers: no new tasks, running ones finish (within the grace), then they deregister. */
    public void stopWorkers() {
        for (Worker worker : workers) {
            worker.close();
        }
    }

    /** Tells how many runs of each job ended in which state. */
    public void summarize() {
        if (masters.isEmpty() || masters.get(0).database() == null) {
            return;
        }
        List<RunView> runs = masters.get(0).database().runs().recent(null, null, SUMMARY_RUNS);
        Map<String, Map<String, Long>> counts = runs.stream().collect(Collectors.groupingBy(
                run -> run.jobName() != null ? run.jobName() : "one-off " + run.taskType(), TreeMap::new,
                Collectors.groupingBy(run -> run.state().name(), TreeMap::new, Collectors.counting())));
        narrator.say("demo", "summary: " + runs.size() + " runs");
        counts.forEach((job, states) -> narrator.say("demo", "  " + job + ": " + states.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))));
    }

    /** The first master, started; the demo's API is served beside it. */
    public Master firstMaster() {
        return masters.get(0);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopWorkers();
        masters.stream().sorted(Comparator.comparing(Master::isLeader)).forEach(Master::close);
        if (security != null) {
            security.close();
        }
        if (zooKeeper != null) {
            try {
                zooKeeper.close();
            } catch (IOException e) {
                narrator.say("demo", "embedded ZooKeeper did not close cleanly: " + e.getMessage());
            }
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : t.toString();
    }
}
