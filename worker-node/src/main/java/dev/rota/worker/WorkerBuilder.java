package dev.rota.worker;

import dev.rota.model.Names;
import dev.rota.worker.internal.AmqpWorker;
import dev.rota.worker.internal.HandlerCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link Worker}. Only the ZooKeeper address and the namespace usually need setting; every
 * setter rejects a bad value and names it. Handlers come from {@link #handler(String, TaskHandler)} and,
 * unless {@link #discoverHandlers(boolean) turned off}, from every {@link TaskHandlerProvider} found by
 * {@link java.util.ServiceLoader} (which includes the built-in {@code noop}, {@code sleep}, {@code log}
 * and {@code fail}).
 *
 * <pre>{@code
 * try (Worker worker = new WorkerBuilder().zkConnect("zk1:2181").namespace("prod")
 *         .handler("report", ctx -> reports.render(ctx.payloadAs(ReportRequest.class)))
 *         .build()) {
 *     worker.start();
 *     ...
 * }
 * }</pre>
 */
public final class WorkerBuilder {
    private String zkConnect = WorkerConfig.DEFAULT_ZK_CONNECT;
    private String namespace = WorkerConfig.DEFAULT_NAMESPACE;
    private String workerId;
    private Set<String> taskTypes;
    private int capacity = WorkerConfig.DEFAULT_CAPACITY;
    /** 0: {@link WorkerConfig#defaultPrefetch} of the capacity. */
    private int prefetch;
    private int maxLogBytes = WorkerConfig.DEFAULT_MAX_LOG_BYTES;
    private Duration shutdownGrace = WorkerConfig.DEFAULT_SHUTDOWN_GRACE;
    private Duration settingsTimeout = WorkerConfig.DEFAULT_SETTINGS_TIMEOUT;
    private Duration zkSessionTimeout = WorkerConfig.DEFAULT_ZK_SESSION_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private WorkerListener listener = WorkerListener.NONE;
    private dev.rota.model.Credentials brokerCredentials;
    private dev.rota.registry.ZkAuth zkAuth;
    private dev.rota.registry.ZkTls zkTls;
    private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    private boolean discoverHandlers = true;
    private ClassLoader handlerClassLoader;

    public WorkerBuilder zkConnect(String zkConnect) {
        this.zkConnect = WorkerConfig.requireZkConnect(zkConnect);
        return this;
    }

    public WorkerBuilder namespace(String namespace) {
        this.namespace = Names.requireValid("namespace", namespace);
        return this;
    }

    /** Defaults to {@code <hostname>-<pid>-<4 random hex digits>}. */
    public WorkerBuilder workerId(String workerId) {
        this.workerId = Names.requireValid("workerId", workerId);
        return this;
    }

    /** Consume only these types; by default every type that has a handler. Each must have a handler. */
    public WorkerBuilder taskTypes(String... taskTypes) {
        Objects.requireNonNull(taskTypes, "taskTypes");
        return taskTypes(Set.copyOf(Arrays.asList(taskTypes)));
    }

    /** Consume only these types; by default every type that has a handler. Each must have a handler. */
    public WorkerBuilder taskTypes(Set<String> taskTypes) {
        Objects.requireNonNull(taskTypes, "taskTypes");
        if (taskTypes.isEmpty()) {
            throw new IllegalArgumentException("taskTypes must not be empty");
        }
        taskTypes.forEach(t -> Names.requireValid("task type", t));
        this.taskTypes = Set.copyOf(taskTypes);
        return this;
    }

    public WorkerBuilder capacity(int capacity) {
        this.capacity = WorkerConfig.requireCapacity(capacity);
        return this;
    }

    /**
     * How many deliveries each task queue consumer may hold unacknowledged, at least the capacity; by
     * default {@link WorkerConfig#DEFAULT_PREFETCH_PER_SLOT} times the capacity.
     */
    public WorkerBuilder prefetch(int prefetch) {
        if (prefetch < 1 || prefetch > WorkerConfig.MAX_PREFETCH) {
            throw new IllegalArgumentException("prefetch must be between 1 and " + WorkerConfig.MAX_PREFETCH
                    + ", was " + prefetch);
        }
        this.prefetch = prefetch;
        return this;
    }

    /**
     * The bound of each attempt's {@linkplain TaskContext#log log} in UTF-8 bytes, at most
     * {@link dev.rota.model.RunLog#MAX_BYTES}; lines past it are dropped and the log says it was cut.
     */
    public WorkerBuilder maxLogBytes(int maxLogBytes) {
        this.maxLogBytes = dev.rota.model.RunLog.requireBound("maxLogBytes", maxLogBytes);
        return this;
    }

    /** Zero means: interrupt running tasks at once when closing. */
    public WorkerBuilder shutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = WorkerConfig.requireNotNegative("shutdownGrace", shutdownGrace);
        return this;
    }

    public WorkerBuilder settingsTimeout(Duration settingsTimeout) {
        this.settingsTimeout = WorkerConfig.requirePositive("settingsTimeout", settingsTimeout);
        return this;
    }

    public WorkerBuilder zkSessionTimeout(Duration zkSessionTimeout) {
        this.zkSessionTimeout = WorkerConfig.requirePositive("zkSessionTimeout", zkSessionTimeout);
        return this;
    }

    public WorkerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public WorkerBuilder listener(WorkerListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * The worker's own RabbitMQ user. A hardened cluster publishes the broker address without
     * credentials, and each worker connects as a user that may only consume tasks and publish results
     * (see {@code BrokerPermissions}); every result it publishes carries that user as its AMQP
     * {@code user_id}. Without this, the worker uses the credentials in the published address.
     */
    public WorkerBuilder brokerCredentials(dev.rota.model.Credentials brokerCredentials) {
        this.brokerCredentials = Objects.requireNonNull(brokerCredentials, "brokerCredentials");
        return this;
    }

    /**
     * The worker's ZooKeeper identity (a worker needs only the worker line, {@code ZkAuth.forWorker}).
     * With it the worker reads the settings, which anonymous clients of a hardened cluster cannot, and
     * writes only its own membership node.
     */
    public WorkerBuilder zkAuth(dev.rota.registry.ZkAuth zkAuth) {
        this.zkAuth = Objects.requireNonNull(zkAuth, "zkAuth");
        return this;
    }

    /** Verified TLS to ZooKeeper (see {@code ZkTls}); by default none, plain TCP. */
    public WorkerBuilder zkTls(dev.rota.registry.ZkTls zkTls) {
        this.zkTls = Objects.requireNonNull(zkTls, "zkTls");
        return this;
    }

    /** Registers the handler of {@code taskType}, replacing a discovered one or one registered before. */
    public WorkerBuilder handler(String taskType, TaskHandler handler) {
        Names.requireValid("task type", taskType);
        handlers.put(taskType, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Whether to add the handlers of every {@link TaskHandlerProvider} on the class path; default true. */
    public WorkerBuilder discoverHandlers(boolean discoverHandlers) {
        this.discoverHandlers = discoverHandlers;
        return this;
    }

    /** The class loader providers are discovered with; defaults to the thread's context class loader. */
    public WorkerBuilder handlerClassLoader(ClassLoader handlerClassLoader) {
        this.handlerClassLoader = Objects.requireNonNull(handlerClassLoader, "handlerClassLoader");
        return this;
    }

    /**
     * @throws IllegalArgumentException when a requested task type has no handler, no handler exists at
     *                                  all, or two providers claim the same type
     */
    public Worker build() {
        Map<String, TaskHandler> available = HandlerCatalog.merge(discoverHandlers ? HandlerCatalog.discover(
                handlerClassLoader != null ? handlerClassLoader : Thread.currentThread().getContextClassLoader())
                : Map.of(), handlers);
        Set<String> types = taskTypes != null ? taskTypes : available.keySet();
        Set<String> missing = new TreeSet<>(types);
        missing.removeAll(available.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no handler for task type(s) " + missing + "; handlers exist for "
                    + new TreeSet<>(available.keySet()));
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("no task handlers: register one with handler(type, handler)"
                    + " or put a TaskHandlerProvider on the class path");
        }
        Map<String, TaskHandler> selected = new LinkedHashMap<>();
        types.forEach(t -> selected.put(t, available.get(t)));
        WorkerConfig config = new WorkerConfig(zkConnect, namespace, workerId != null ? workerId : dev.rota.model.NodeIds.generate(""),
                types, capacity, prefetch == 0 ? WorkerConfig.defaultPrefetch(capacity) : prefetch, shutdownGrace, settingsTimeout, zkSessionTimeout, clock, listener, brokerCredentials, zkAuth,
                zkTls, maxLogBytes);
        return new AmqpWorker(config, selected);
    }
}
