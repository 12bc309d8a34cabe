package dev.rota.chaos;

import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ChaosNode.Role;
import dev.rota.chaos.ChaosNode.Signal;
import dev.rota.db.RotaDatabase;
import dev.rota.model.Topology;
import dev.rota.registry.ClusterStatus;
import dev.rota.registry.Registry;
import dev.rota.registry.RegistryBuilder;
import dev.rota.registry.WorkerInfo;
import dev.rota.testsupport.TcpProxy;
import dev.rota.testsupport.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Rota cluster under test as one object: a three-server ZooKeeper ensemble in this JVM, a fresh
 * schema in the machine's PostgreSQL and a fresh namespace on its RabbitMQ, and masters {@code m1..mN}
 * and workers {@code w1..wM} as child JVMs ({@link ChaosNodeMain}). Each node reaches ZooKeeper through
 * its own {@link TcpProxy proxies}, so it can be cut off alone. Every fault goes through this class and
 * into the {@link FaultTimeline}. Closing it kills every node and removes the schema and the queues.
 */
public final class ChaosCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChaosCluster.class);

    /** How long a cluster may take to start: child JVMs on two cores are slow to warm up. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration POLL = Duration.ofMillis(50);

    /** The row of {@code leader_lease}. */
    public record Lease(long epoch, String leaderId, Instant acquiredAt) {
    }

    private final Builder spec;
    private final String namespace;
    private final Path logDir;
    private final Clock clock = Clock.systemUTC();
    private final FaultTimeline timeline = new FaultTimeline(clock);
    private final Map<String, ChaosNode> nodes = new LinkedHashMap<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final Set<String> taskTypes = new LinkedHashSet<>();
    private ZooKeeperEnsemble zk;
    private TestServers.Postgres postgres;
    private String amqpUri;
    private ChaosDatabase db;
    private Registry observer;
    private Workload workload;
    private BrokerControl broker;
    private ChaosReport lastReport;
    private ScheduledExecutorService supervisor;
    private PrivateRabbitNode privateRabbit;
    private NodeLauncher launcher;

    private ChaosCluster(Builder spec) {
        this.spec = spec;
        this.namespace = TestServers.uniqueName("chaos_");
        this.logDir = Paths.get(System.getProperty("chaos.logDir", "target/chaos-logs"), spec.scenario);
        taskTypes.add(RecordHandlerProvider.TASK_TYPE);
        taskTypes.addAll(List.of(spec.workerTaskTypes));
    }

    public static Builder builder(String scenario) {
        return new Builder(scenario);
    }

    /**
     * Starts ZooKeeper, prepares the schema, starts the masters, waits for a leader, then starts the
     * workers and waits for them to register. On failure the cluster is left for {@link #diagnostics()}
     * and {@link #close()}.
     */
    public ChaosCluster start() {
        log.info("scenario {}: namespace and schema {}, logs in {}", spec.scenario, namespace, logDir);
        clearLogs();
        zk = new ZooKeeperEnsemble(spec.zkServers, spec.tickMillis);
        postgres = TestServers.postgres();
        if (spec.privateBroker) {
            privateRabbit = PrivateRabbitNode.start(logDir.resolve("rabbit.log"));
            amqpUri = privateRabbit.amqpUri();
            broker = new BrokerControl(amqpUri, privateRabbit.nodeName());
            timeline.note("private RabbitMQ node " + privateRabbit.nodeName() + " at " + amqpUri);
        } else {
            amqpUri = TestServers.amqpUri();
            broker = new BrokerControl(amqpUri, null);
        }
        try (RotaDatabase migrator = RotaDatabase.builder().url(postgres.url()).user(postgres.user())
                .password(postgres.password()).schema(namespace).build()) {
            migrator.migrate();
        }
        db = new ChaosDatabase(postgres, namespace);
        db.execute("CREATE TABLE chaos_execution (id BIGSERIAL PRIMARY KEY, run_id BIGINT NOT NULL, attempt INT NOT NULL,"
                + " worker_id TEXT NOT NULL, job_name TEXT, scheduled_at TIMESTAMPTZ, started_at TIMESTAMPTZ NOT NULL,"
                + " finished_at TIMESTAMPTZ NOT NULL)");
        workload = new Workload(db);
        launcher = new NodeLauncher(namespace, postgres, amqpUri, zk, spec.sessionTimeout,
                List.of(spec.workerTaskTypes), spec.workerCapacity, logDir);
        observer = new RegistryBuilder().connectString(zk.connectString()).namespace(namespace)
                .sessionTimeout(spec.sessionTimeout).connectionTimeout(Duration.ofSeconds(20)).build();
        observer.start();
        for (int i = 1; i <= spec.masters; i++) {
            add("m" + i, Role.MASTER).start();
        }
        for (int i = 1; i <= spec.workers; i++) {
            add("w" + i, Role.WORKER);
        }
        Lease lease = awaitLeader(START_TIMEOUT);
        timeline.takeover(lease.acquiredAt(), lease.leaderId(), lease.epoch());
        workers().forEach(ChaosNode::start);
        awaitWorkersRegistered(workers().stream().map(ChaosNode::name).toList(), START_TIMEOUT);
        timeline.note("cluster started: " + nodes.keySet() + ", leader " + lease.leaderId());
        return this;
    }

    private void clearLogs() {
        try (var files = Files.list(logDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + logDir, e);
        }
    }

    private ChaosNode add(String name, Role role) {
        ChaosNode node = launcher.create(name, role);
        proxies.addAll(node.zkProxies());
        nodes.put(name, node);
        return node;
    }

    /** The PostgreSQL application name of a node's connections. */
    public String applicationName(String nodeName) {
        return launcher.applicationName(nodeName);
    }

    public String scenario() {
        return spec.scenario;
    }

    public String namespace() {
        return namespace;
    }

    public Duration sessionTimeout() {
        return spec.sessionTimeout;
    }

    public FaultTimeline timeline() {
        return timeline;
    }

    public ChaosDatabase db() {
        return db;
    }

    public Workload workload() {
        return workload;
    }

    public ZooKeeperEnsemble zooKeeper() {
        return zk;
    }

    public BrokerControl broker() {
        return broker;
    }

    /** The AMQP URI of the scenario's broker. */
    public String amqpUri() {
        return amqpUri;
    }

    /** The namespace's RabbitMQ names. */
    public Topology topology() {
        return new Topology(namespace);
    }

    public ChaosNode node(String name) {
        ChaosNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name + " in " + nodes.keySet());
        }
        return n;
    }

    public List<ChaosNode> nodes() {
        return List.copyOf(nodes.values());
    }

    public List<ChaosNode> masters() {
        return nodes.values().stream().filter(n -> n.role() == Role.MASTER).toList();
    }

    public List<ChaosNode> workers() {
        return nodes.values().stream().filter(n -> n.role() == Role.WORKER).toList();
    }

    public Lease lease() {
        return db.query("SELECT epoch, leader_id, acquired_at FROM leader_lease WHERE id = 1",
                rs -> new Lease(rs.getLong("epoch"), rs.getString("leader_id"), ChaosDatabase.instant(rs, "acquired_at")))
                .get(0);
    }

    /** The master that holds the current epoch. */
    public ChaosNode leader() {
        return node(lease().leaderId());
    }

    /** Waits until a live master holds the current epoch and ZooKeeper names it leader. */
    public Lease awaitLeader(Duration timeout) {
        return await("a leader").atMost(timeout).pollInterval(POLL).ignoreExceptions()
                .until(this::lease, l -> l.epoch() > 0 && node(l.leaderId()).isAlive()
                        && Optional.of(l.leaderId()).equals(observer.status().leaderId()));
    }

    /**
     * Waits until a term newer than {@code epochBefore} has begun and records it in the timeline (at the
     * lease's acquired_at, the database's own time of the takeover).
     */
    public Lease awaitTakeover(long epochBefore, Duration timeout) {
        Lease l = await("a leader after epoch " + epochBefore).atMost(timeout).pollInterval(POLL).ignoreExceptions()
                .until(this::lease, x -> x.epoch() > epochBefore);
        timeline.takeover(l.acquiredAt(), l.leaderId(), l.epoch());
        return l;
    }

    /** Waits until at least {@code n} attempts were dispatched by epoch {@code epoch} or a later one. */
    public void awaitDispatches(long epoch, int n, Duration timeout) {
        await(n + " dispatches by epoch >= " + epoch).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> db.queryLong("SELECT count(*) FROM run_attempt WHERE epoch >= ?", epoch) >= n);
    }

    /** Waits until at least {@code n} runs scheduled after {@code after} have finished: steady operation. */
    public void awaitRunsFinishedAfter(Instant after, int n, Duration timeout) {
        await(n + " runs scheduled after " + after + " finished").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> db.queryLong("SELECT count(*) FROM run WHERE scheduled_at > ? AND finished_at IS NOT NULL",
                        after) >= n);
    }

    /**
     * Restarts dead workers from now on, every 250 ms on a background thread, as a process supervisor
     * (systemd, Kubernetes) would. Stops when the cluster closes.
     */
    public synchronized void superviseWorkers() {
        if (supervisor == null) {
            supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chaos-supervisor");
                t.setDaemon(true);
                return t;
            });
            supervisor.scheduleWithFixedDelay(this::restartDeadWorkers, 250, 250, TimeUnit.MILLISECONDS);
            timeline.note("workers supervised: dead ones are restarted");
        }
    }

    /** Restarts every worker whose JVM has died (a poison task halts them); returns how many. */
    public synchronized int restartDeadWorkers() {
        int n = 0;
        for (ChaosNode w : workers()) {
            if (!w.isAlive()) {
                timeline.note(w.name() + " died with exit code " + w.exitCode());
                restart(w);
                n++;
            }
        }
        return n;
    }

    /** Run ids RUNNING on each worker, by the database. */
    public Map<String, List<Long>> runningByWorker() {
        Map<String, List<Long>> out = new TreeMap<>();
        db.query("SELECT worker_id, id FROM run WHERE state = 'RUNNING' ORDER BY id",
                rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2)));
        return out;
    }

    /**
     * Records a takeover if a term newer than {@code epochBefore} began (for faults that may or may not
     * move leadership); returns the current lease.
     */
    public Lease recordTakeoverIfAny(long epochBefore) {
        Lease l = lease();
        if (l.epoch() > epochBefore) {
            timeline.takeover(l.acquiredAt(), l.leaderId(), l.epoch());
        }
        return l;
    }

    public void awaitWorkersRegistered(List<String> ids, Duration timeout) {
        await("workers " + ids + " registered").atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> observer.status().workers().stream().map(WorkerInfo::id).collect(Collectors.toSet())
                        .containsAll(ids));
    }

    public ClusterStatus status() {
        return observer.status();
    }

    /** Sends {@code signal} to {@code node}; a signal that stops the current leader is a measured leader fault. */
    public void signal(ChaosNode node, Signal signal) {
        if (signal == Signal.CONT) {
            node.signal(signal);
            timeline.repair("SIGCONT", node.name());
            return;
        }
        timeline.fault("SIG" + signal.name(), node.name(), leaderEpochIfLeads(node));
        node.signal(signal);
    }

    /** Starts a node again after it died or was killed. */
    public void restart(ChaosNode node) {
        node.start();
        timeline.repair("restart", node.name());
    }

    /** Closes every ZooKeeper connection of {@code node} and refuses new ones: a partition from ZooKeeper. */
    public void cutFromZooKeeper(ChaosNode node) {
        timeline.fault("cut from ZooKeeper", node.name(), leaderEpochIfLeads(node));
        node.zkProxies().forEach(TcpProxy::cut);
    }

    public void healZooKeeper(ChaosNode node) {
        node.zkProxies().forEach(TcpProxy::heal);
        timeline.repair("ZooKeeper link healed", node.name());
    }

    /** The index of the ZooKeeper server {@code node} is connected to now, if any. */
    public Optional<Integer> zooKeeperServerOf(ChaosNode node) {
        for (int i = 0; i < node.zkProxies().size(); i++) {
            if (node.zkProxies().get(i).openConnections() > 0) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Kills a ZooKeeper server; a leader fault (recovery measured) when the leader is connected to it. */
    public void killZooKeeperServer(int server) {
        ChaosNode leader = leader();
        long epoch = zooKeeperServerOf(leader).equals(Optional.of(server)) ? lease().epoch() : -1;
        timeline.fault("kill ZooKeeper server", "zk" + (server + 1), epoch);
        zk.kill(server);
    }

    public void restartZooKeeperServer(int server) {
        zk.restart(server);
        timeline.repair("restart ZooKeeper server", "zk" + (server + 1));
    }

    /** Terminates every PostgreSQL connection of {@code node}; returns how many. */
    public int terminateDatabaseConnections(ChaosNode node) {
        long epoch = leaderEpochIfLeads(node);
        int n = db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                rs -> rs.getBoolean(1), applicationName(node.name())).size();
        timeline.fault("pg_terminate_backend x" + n, node.name(), epoch);
        return n;
    }

    /** Asks the leader to hand over, as {@code rota cluster failover} does. */
    public String requestFailover() {
        Lease before = lease();
        timeline.fault("failover request", before.leaderId(), before.epoch());
        return observer.requestFailover();
    }

    public void stopBroker() {
        timeline.fault("RabbitMQ stop_app", "rabbit", -1);
        broker.stopApp();
    }

    public void startBroker() {
        broker.startApp();
        timeline.repair("RabbitMQ start_app (accepting connections)", "rabbit");
    }

    private long leaderEpochIfLeads(ChaosNode node) {
        if (node.role() != Role.MASTER) {
            return -1;
        }
        Lease l = lease();
        return node.name().equals(l.leaderId()) ? l.epoch() : -1;
    }

    /** Runs the checker over fires scheduled up to {@code until}, after waiting (bounded) for them to settle. */
    public ChaosReport check(Instant until, Duration settleTimeout) {
        Checker checker = new Checker(db, timeline);
        checker.awaitSettled(until, settleTimeout);
        lastReport = checker.check(spec.scenario, until, skipsReportedByLeaders());
        lastReport.put("deadlocksInNodeLogs", nodes.values().stream()
                .mapToLong(n -> n.logLines("deadlock detected").size()).sum());
        return lastReport;
    }

    /**
     * Per job name, the misfires the masters said they did not fire ({@code EVENT MISFIRES_SKIPPED <job>
     * <count>} in their logs, every start of every master), for the checker to compare with the record.
     */
    public Map<String, Long> skipsReportedByLeaders() {
        Map<String, Long> out = new TreeMap<>();
        for (ChaosNode m : masters()) {
            for (String line : m.logLines("EVENT MISFIRES_SKIPPED ")) {
                String[] words = line.substring(line.indexOf("EVENT MISFIRES_SKIPPED ") + 23).trim().split(" ");
                out.merge(words[0], Long.parseLong(words[words.length - 1]), Long::sum);
            }
        }
        return out;
    }

    /** The checker report (if any), the fault timeline and the tail of every node's log. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder();
        sb.append("==== chaos scenario ").append(spec.scenario).append(" (namespace ").append(namespace).append(") ====\n");
        if (lastReport != null) {
            sb.append(lastReport.render());
        } else if (db != null) {
            try {
                Instant until = db.now().minusSeconds(2);
                sb.append(new Checker(db, timeline).check(spec.scenario, until, skipsReportedByLeaders()).render());
            } catch (RuntimeException e) {
                sb.append("(no checker report: ").append(e.getMessage()).append(")\n");
            }
        }
        sb.append(timeline.render());
        sb.append(databaseSessions());
        for (ChaosNode n : nodes.values()) {
            sb.append("---- last lines of ").append(n.log()).append(" [").append(n).append(", exit ")
                    .append(n.exitCode()).append("]\n");
            n.tail(40).forEach(line -> sb.append("  ").append(line).append('\n'));
        }
        return sb.toString();
    }

    /** The nodes' PostgreSQL sessions: who waits for whom, e.g. a lease update behind a frozen leader. */
    private String databaseSessions() {
        if (db == null) {
            return "";
        }
        try {
            StringBuilder sb = new StringBuilder("database sessions of the nodes:\n");
            db.query("SELECT application_name, pid, state, wait_event_type, wait_event, pg_blocking_pids(pid)::text,"
                    + " left(regexp_replace(query, '\\s+', ' ', 'g'), 100) FROM pg_stat_activity"
                    + " WHERE application_name LIKE ? ORDER BY application_name, pid",
                    rs -> sb.append(String.format("  %-24s pid %-7d %-20s wait %s/%s blocked by %s: %s%n",
                            rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7))), namespace + "-%");
            return sb.toString();
        } catch (RuntimeException e) {
            return "(no database sessions: " + e.getMessage() + ")\n";
        }
    }

    /** Kills every node, then removes the namespace's queues and schema and stops ZooKeeper. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (supervisor != null) {
                supervisor.shutdownNow();
            }
        }
        nodes.values().forEach(ChaosNode::destroy);
        proxies.forEach(TcpProxy::close);
        if (observer != null) {
            observer.close();
        }
        if (privateRabbit != null) {
            privateRabbit.close();
        } else if (broker != null) {
            broker.deleteNamespace(namespace, taskTypes);
        }
        if (db != null) {
            db.close();
            if (!Boolean.getBoolean("chaos.keepSchema")) {
                TestServers.dropSchema(namespace);
            }
        }
        if (zk != null) {
            try {
                zk.close();
            } catch (IOException e) {
                log.warn("closing ZooKeeper: {}", e.toString());
            }
        }
        nodes.clear();
    }

    /** What to start; {@link #start()} starts it. */
    public static final class Builder {
        private final String scenario;
        private int masters = 2;
        private int workers = 2;
        private int workerCapacity = 4;
        private String[] workerTaskTypes = {RecordHandlerProvider.TASK_TYPE};
        private Duration sessionTimeout = Duration.ofSeconds(4);
        private int zkServers = 3;
        private int tickMillis = 200;
        private boolean privateBroker = PrivateRabbitNode.available() && !Boolean.getBoolean("chaos.sharedBroker");

        private Builder(String scenario) {
            if (!scenario.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("scenario must be lower-case letters, digits and '-', was " + scenario);
            }
            this.scenario = scenario;
        }

        public Builder masters(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("masters must be at least 1, was " + n);
            }
            this.masters = n;
            return this;
        }

        public Builder workers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("workers must not be negative, was " + n);
            }
            this.workers = n;
            return this;
        }

        public Builder workerCapacity(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workerCapacity must be at least 1, was " + n);
            }
            this.workerCapacity = n;
            return this;
        }

        public Builder workerTaskTypes(String... types) {
            if (types.length == 0) {
                throw new IllegalArgumentException("workerTaskTypes must not be empty");
            }
            this.workerTaskTypes = types.clone();
            return this;
        }

        /**
         * Runs the scenario on a RabbitMQ node of its own ({@link PrivateRabbitNode}) instead of the
         * machine's shared broker. The default whenever {@code rabbitmq-server} is installed (other
         * tests on the machine close every connection of the shared broker now and then), unless
         * {@code -Dchaos.sharedBroker=true}; required by scenarios that stop the broker.
         */
        public Builder privateBroker() {
            this.privateBroker = true;
            return this;
        }

        /** The ZooKeeper session timeout of every node: between 2 and 20 ticks. */
        public Builder sessionTimeout(Duration timeout) {
            if (timeout.toMillis() < 2L * tickMillis || timeout.toMillis() > 20L * tickMillis) {
                throw new IllegalArgumentException("sessionTimeout must be 2 to 20 ticks of " + tickMillis
                        + " ms, was " + timeout);
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /** An unstarted cluster; {@link ChaosExtension#start} starts it so that a failure is diagnosed. */
        public ChaosCluster build() {
            return new ChaosCluster(this);
        }
    }
}
