package dev.rota.worker.internal;

import dev.rota.messaging.AmqpConnections;
import dev.rota.model.ClusterSettings;
import dev.rota.model.MessageCodec;
import dev.rota.registry.Registry;
import dev.rota.registry.RegistryBuilder;
import dev.rota.registry.WorkerInfo;
import dev.rota.registry.WorkerMembership;
import dev.rota.worker.TaskHandler;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerConfig;
import dev.rota.worker.WorkerEvent;
import dev.rota.worker.WorkerStartException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Worker}: ZooKeeper for settings and membership, RabbitMQ for tasks and results. Its
 * threads: {@code rota-worker-<id>-task-N} run deliveries (capacity of them), {@code -deadline-1}
 * interrupts tasks at their timeout, {@code -heartbeat-1} publishes heartbeats, {@code -results-1} sends
 * batches of results.
 */
public final class AmqpWorker implements Worker {
    private static final Logger log = LoggerFactory.getLogger(AmqpWorker.class);

    /** After the grace, how long close waits for interrupted handlers to return. */
    static final Duration DEFAULT_ABANDON_WAIT = Duration.ofSeconds(5);

    private final WorkerConfig config;
    private final Map<String, TaskHandler> handlers;
    private final EventSink events;
    private final MessageCodec codec = new MessageCodec();
    private final RunningTasks running = new RunningTasks();
    private final ShutdownSignal abandon = new ShutdownSignal();
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final Object lifecycle = new Object();
    private volatile Thread startingThread;
    private volatile boolean draining;

    private volatile Registry registry;
    private volatile BrokerSession broker;
    private ExecutorService taskThreads;
    private ScheduledExecutorService deadlines;
    private ScheduledExecutorService heartbeats;
    private ScheduledExecutorService resultFlusher;
    private ResultPublisher results;
    private WorkerMembership membership;

    public AmqpWorker(WorkerConfig config, Map<String, TaskHandler> handlers) {
        this.config = config;
        this.handlers = Map.copyOf(handlers);
        this.events = new EventSink(config.listener());
    }

    @Override
    public void start() throws InterruptedException {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("worker " + id() + " cannot start: it is " + state.get());
        }
        synchronized (lifecycle) {
            startingThread = Thread.currentThread();
            try {
                join();
                if (state.get() == State.CLOSED) {
                    throw new IllegalStateException("worker " + id() + " was closed while starting");
                }
            } catch (InterruptedException | RuntimeException e) {
                state.set(State.CLOSED);
                release();
                throw e;
            } catch (IOException e) {
                state.set(State.CLOSED);
                release();
                throw new WorkerStartException("worker " + id() + " cannot use RabbitMQ: " + e.getMessage(), e);
            } finally {
                startingThread = null;
            }
        }
    }

    private void join() throws IOException, InterruptedException {
        if (state.get() == State.CLOSED) {
            throw new IllegalStateException("worker " + id() + " was closed before it started");
        }
        registry = new RegistryBuilder().connectString(config.zkConnect()).namespace(config.namespace()).auth(config.zkAuth())
                .tls(config.zkTls())
                .sessionTimeout(config.zkSessionTimeout()).clock(config.clock()).build();
        ClusterSettings settings;
        try {
            registry.start();
            log.info("worker {} waiting up to {} for the settings of namespace '{}' at {}", id(),
                    config.settingsTimeout(), config.namespace(), config.zkConnect());
            settings = registry.awaitSettings(config.settingsTimeout());
        } catch (RuntimeException e) {
            throw new WorkerStartException("worker " + id() + " cannot read the settings of namespace '"
                    + config.namespace() + "' from ZooKeeper at " + config.zkConnect() + ": " + e.getMessage(), e);
        }
        broker = BrokerSession.open(settings, id(), config.taskTypes(), config.prefetch(), config.brokerCredentials());
        String prefix = "rota-worker-" + id();
        taskThreads = Executors.newFixedThreadPool(config.capacity(), new NamedThreadFactory(prefix + "-task"));
        deadlines = scheduler(prefix + "-deadline");
        heartbeats = scheduler(prefix + "-heartbeat");
        resultFlusher = scheduler(prefix + "-results");
        ResultBatcher batcher = new ResultBatcher(broker.publisher(), settings.topology(), codec,
                resultFlusher, ResultBatcher.DEFAULT_FLUSH_INTERVAL, ResultBatcher.DEFAULT_MAX_BATCH);
        results = new ResultPublisher(batcher, Backoff.DEFAULT_RESULT_RETRY, abandon, events, resultFlusher);
        TaskServices services = new TaskServices(id(), config.clock(), codec, events, results);
        TaskRunner runner = new TaskRunner(services, running, deadlines, heartbeats, settings.heartbeatInterval(),
                config.maxLogBytes());
        DeliveryProcessor processor = new DeliveryProcessor(services, settings, handlers, runner, broker,
                () -> draining);
        ExecutorService threads = taskThreads;
        broker.consumeControl(new ControlHandler(codec, running, events));
        broker.consumeTasks(config.taskTypes(), (tag, body) -> dispatch(threads, processor, tag, body), deadlines);
        try {
            membership = registry.registerWorker(new WorkerInfo(id(), dev.rota.model.NodeIds.hostName(), config.taskTypes(),
                    config.capacity(), dev.rota.model.RotaVersion.current(), config.clock().instant()));
        } catch (RuntimeException e) {
            throw new WorkerStartException("worker " + id() + " cannot register in ZooKeeper: " + e.getMessage(), e);
        }
        log.info("worker {} joined namespace '{}': task types {}, capacity {}, prefetch {}, broker {}", id(),
                config.namespace(), new TreeSet<>(config.taskTypes()), config.capacity(), config.prefetch(),
                AmqpConnections.redact(settings.amqpUri()));
        events.emit(WorkerEvent.WORKER_STARTED, null);
    }

    /** Runs on the RabbitMQ client's thread: hands the delivery to a task thread and returns at once. */
    private static void dispatch(ExecutorService threads, DeliveryProcessor processor, long deliveryTag, byte[] body) {
        try {
            threads.execute(() -> processor.process(deliveryTag, body));
        } catch (RejectedExecutionException e) {
            log.debug("delivery {} arrived while closing; the broker will redeliver it", deliveryTag);
        }
    }

    private static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory(name));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        Thread starting = startingThread;
        if (starting != null && starting != Thread.currentThread()) {
            starting.interrupt();
        }
        synchronized (lifecycle) {
            release();
        }
    }

    /** Releases whatever is open, in order: stop taking work, drain, timers, broker, membership, registry. */
    private void release() {
        boolean interrupted = false;
        if (broker != null && !draining) {
            log.info("worker {} closing: no longer taking tasks", id());
            draining = true;
            broker.stopConsuming();
        }
        if (taskThreads != null) {
            interrupted = drain();
            taskThreads = null;
        }
        stopTimers();
        if (broker != null) {
            step("disconnect from RabbitMQ", broker::close);
            broker = null;
        }
        if (membership != null) {
            step("deregister", membership::close);
            membership = null;
        }
        if (registry != null) {
            step("close the ZooKeeper connection", registry::close);
            registry = null;
            log.info("worker {} closed", id());
            events.emit(WorkerEvent.WORKER_CLOSED, null);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for running handlers, then for their final results' confirms (each delivery is acknowledged
     * from its confirm), within the shutdown grace; past it, gives up on both. Returns true when the
     * calling thread was interrupted while waiting.
     */
    private boolean drain() {
        boolean interrupted = false;
        taskThreads.shutdown();
        boolean finished = false;
        log.info("worker {} waiting up to {} for {} running task(s) and their results", id(), config.shutdownGrace(),
                running.size());
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        try {
            finished = taskThreads.awaitTermination(config.shutdownGrace().toNanos(), TimeUnit.NANOSECONDS)
                    && (results == null || results.awaitSettled(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (!finished) {
            abandon.raise();
            int stopped = running.abandonAll();
            taskThreads.shutdownNow();
            int unconfirmed = results == null ? 0 : results.unsettled();
            if (results != null) {
                results.giveUp();
            }
            log.warn("worker {}: shutdown grace of {} is over; interrupted {} running handler(s) and gave up on"
                    + " {} unconfirmed result(s); RabbitMQ will redeliver those tasks", id(), config.shutdownGrace(),
                    stopped, unconfirmed);
            try {
                if (!taskThreads.awaitTermination(DEFAULT_ABANDON_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                    log.error("worker {}: task threads still busy {} after being interrupted; a handler ignores"
                            + " interrupts", id(), DEFAULT_ABANDON_WAIT);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private void stopTimers() {
        if (deadlines != null) {
            deadlines.shutdownNow();
            deadlines = null;
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
        if (resultFlusher != null) {
            // After the task threads: their final results are confirmed (or given up) by now.
            resultFlusher.shutdownNow();
            resultFlusher = null;
        }
    }

    private void step(String what, Runnable action) {
        try {
            action.run();
            log.info("worker {}: {} done", id(), what);
        } catch (RuntimeException e) {
            log.warn("worker {} cannot {}: {}", id(), what, e.toString());
        }
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public int inFlight() {
        return running.size();
    }

    @Override
    public boolean zooKeeperConnected() {
        Registry r = registry;
        return state.get() == State.STARTED && r != null && r.isConnected();
    }

    @Override
    public boolean brokerConnected() {
        BrokerSession b = broker;
        return state.get() == State.STARTED && b != null && b.isOpen();
    }

    @Override
    public WorkerConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Worker[" + id() + " in " + config.namespace() + ", " + state.get() + "]";
    }
}
