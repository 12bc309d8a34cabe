package dev.rota.master;

import com.rabbitmq.client.Connection;
import dev.rota.db.RotaDatabase;
import dev.rota.master.internal.LeaderTerm;
import dev.rota.master.internal.LeaderWatch;
import dev.rota.master.internal.LeaderlessWatch;
import dev.rota.master.internal.LivenessBeacon;
import dev.rota.master.internal.TermContext;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.MessageCodec;
import dev.rota.registry.LeadershipListener;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.MasterMembership;
import dev.rota.registry.Registry;
import dev.rota.registry.RegistryBuilder;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler master: migrates the schema, registers in ZooKeeper, publishes the cluster settings
 * workers join with, and competes for leadership. While it leads, a {@link LeaderTerm} fires the jobs
 * and dispatches tasks; when it loses leadership (step-down, SUSPENDED or LOST connection, fenced
 * write), the term stops at once. Build with {@link MasterBuilder}; {@link #start()} once, close when done.
 */
public final class Master implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Master.class);
    private static final java.time.Duration STEP_DOWN_PAUSE = java.time.Duration.ofSeconds(1);

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final MasterConfig config;
    private final MasterListener listener;
    private final Clock clock;
    private final ExecutorService stepDowns = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rota-step-down");
        t.setDaemon(true);
        return t;
    });
    private RotaDatabase db;
    private Registry registry;
    private volatile Connection amqp;
    private MasterMembership membership;
    private LeaderTerm term;
    private final dev.rota.master.internal.BacklogView backlog = new dev.rota.master.internal.BacklogView();
    private LivenessBeacon beacon;
    private LeaderWatch leaderWatch;
    private LeaderlessWatch leaderless;

    Master(MasterConfig config, MasterListener listener, Clock clock) {
        this.config = config;
        this.listener = listener;
        this.clock = clock;
    }

    public static MasterBuilder builder() {
        return new MasterBuilder();
    }

    /**
     * Connects to PostgreSQL (migrating the schema), ZooKeeper and RabbitMQ, then joins the election.
     *
     * @throws IllegalStateException when started twice
     * @throws MasterStartException naming the service that cannot be reached
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("master " + config.masterId() + " was already started");
        }
        try {
            db = RotaDatabase.builder().url(config.database().url()).user(config.database().user())
                    .password(config.database().password()).schema(config.database().schema())
                    .maxPoolSize(config.database().maxPoolSize()).connectionTimeout(config.database().connectionTimeout())
                    .build();
            try {
                // A master's runtime role may lack the rights to migrate; it needs them only when the schema
                // is behind (hardened clusters run `rota db migrate` as the schema's owner first).
                if (db.pendingMigrations() > 0) {
                    db.migrate();
                }
            } catch (RuntimeException e) {
                throw new MasterStartException("cannot migrate the database at " + config.database().url() + ": " + e.getMessage(), e);
            }
            registry = new RegistryBuilder().config(config.registry()).clock(clock).build();
            registry.start();
            try {
                amqp = AmqpConnections.open(config.cluster().amqpUri(), "rota-master-" + config.masterId());
            } catch (IOException e) {
                throw new MasterStartException("cannot connect to RabbitMQ at "
                        + AmqpConnections.redact(config.cluster().amqpUri()) + ": " + e.getMessage(), e);
            }
            declareSharedTopology();
            registry.publishSettings(config.publishedSettings());
            TermContext ctx = new TermContext(config, db, registry, amqp, new MessageCodec(), listener, clock,
                    this::stepDownAfterFencing, backlog);
            try {
                beacon = new LivenessBeacon(config.masterId(), config.address());
            } catch (IOException e) {
                throw new MasterStartException("cannot open the liveness beacon: " + e.getMessage(), e);
            }
            membership = registry.joinAsMaster(new MasterInfo(config.masterId(), config.address(),
                    dev.rota.model.RotaVersion.current(), clock.instant(), beacon.address()), new Leadership(ctx));
            leaderWatch = new LeaderWatch(registry, config.masterId(), LeaderWatch.DEFAULT_CHECK_INTERVAL);
            Thread watch = new Thread(leaderWatch, "rota-leader-watch-" + config.masterId());
            watch.setDaemon(true);
            watch.start();
            leaderless = new LeaderlessWatch(db.alerts(), config.masterId(), config.alerts(),
                    this::isLeader, clock, this::emitQuietly);
            Thread leaderlessThread = new Thread(leaderless, "rota-leaderless-" + config.masterId());
            leaderlessThread.setDaemon(true);
            leaderlessThread.start();
            log.info("master {} started in namespace '{}'", config.masterId(), config.registry().namespace());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Declares the exchanges and shared queues before workers can learn the settings: a least-privilege
     * worker may not declare them itself.
     */
    private void declareSharedTopology() {
        try (com.rabbitmq.client.Channel channel = amqp.createChannel()) {
            new dev.rota.messaging.TopologyDeclarer(config.cluster()).declareShared(channel);
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new MasterStartException("cannot declare the RabbitMQ topology of namespace '"
                    + config.cluster().namespace() + "': " + e.getMessage(), e);
        }
    }

    private final class Leadership implements LeadershipListener {
        private final TermContext ctx;

        Leadership(TermContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void isLeader() {
            synchronized (Master.this) {
                if (state.get() != State.STARTED) {
                    return;
                }
                if (term != null) {
                    term.close("superseded by a new term");
                }
                term = new LeaderTerm(ctx);
                term.start();
            }
        }

        @Override
        public void notLeader(String reason) {
            LeaderTerm ended;
            synchronized (Master.this) {
                ended = term;
                term = null;
            }
            if (ended != null) {
                ended.close(reason);
                listener.on(MasterEvent.LEADERSHIP_LOST, reason, EventFacts.NONE);
            }
        }
    }

    /**
     * Steps down after a fenced write or a term that could not start, after a pause: a lone master
     * re-elects itself at once, and must not retry a failing start in a tight loop.
     */
    private void stepDownAfterFencing(long staleEpoch) {
        stepDowns.execute(() -> {
            try {
                Thread.sleep(STEP_DOWN_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // Every loop of a fenced term reports it: one step-down is enough, and a report of an older term
            // must not end the term this master has led since (a lone master re-elects itself at once).
            long current = epoch();
            if (staleEpoch >= 0 && current != staleEpoch) {
                log.debug("master {}: fenced epoch {} is over already (now {})", config.masterId(), staleEpoch,
                        current);
                return;
            }
            if (state.get() == State.STARTED && membership != null) {
                log.warn("master {} steps down: its epoch is no longer current", config.masterId());
                membership.stepDown();
            }
        });
    }

    private void emitQuietly(MasterEvent event, String detail) {
        try {
            listener.on(event, detail);
        } catch (RuntimeException e) {
            log.warn("listener failed on {}", event, e);
        }
    }

    /** True while this master leads and its term has an epoch. */
    public synchronized boolean isLeader() {
        return term != null && term.isActive() && membership != null && membership.isLeader();
    }

    /** The epoch of the current term, or -1 when not leading. */
    public synchronized long epoch() {
        return term == null ? -1 : term.epoch();
    }

    /**
     * True while this master's RabbitMQ connection is open; false from the moment the client sees it shut
     * down (until automatic recovery reopens it). Cheap, for health checks.
     */
    public boolean brokerConnected() {
        Connection connection = amqp;
        return state.get() == State.STARTED && connection != null && connection.isOpen();
    }

    /** Gives up leadership so that another master takes over; this master stays a candidate. */
    public void stepDown() {
        membership.stepDown();
    }

    /** Queue depth against worker capacity per task type, while this master leads; empty otherwise. */
    public Backlog backlog() {
        return () -> isLeader() ? backlog.loads() : java.util.List.of();
    }

    public String id() {
        return config.masterId();
    }

    public MasterConfig config() {
        return config;
    }

    /** The master's database, for admin operations and tests. */
    public RotaDatabase database() {
        return db;
    }

    public Registry registry() {
        return registry;
    }

    /** Leaves the election (stopping any term), then disconnects. Idempotent. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        if (leaderWatch != null) {
            leaderWatch.close();
        }
        if (leaderless != null) {
            leaderless.close();
        }
        if (membership != null) {
            membership.close();
        }
        if (beacon != null) {
            beacon.close();
        }
        LeaderTerm ended;
        synchronized (this) {
            ended = term;
            term = null;
        }
        if (ended != null) {
            ended.close("master closing");
        }
        stepDowns.shutdownNow();
        try {
            if (amqp != null && amqp.isOpen()) {
                amqp.close();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("closing AMQP connection: {}", e.toString());
        }
        if (registry != null) {
            registry.close();
        }
        if (db != null) {
            db.close();
        }
        log.info("master {} stopped", config.masterId());
    }
}
