package dev.rota.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.rota.messaging.AmqpConnections;
import dev.rota.messaging.ConfirmingPublisher;
import dev.rota.messaging.TopologyDeclarer;
import dev.rota.model.ClusterSettings;
import dev.rota.model.ControlMessage;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import dev.rota.model.Topology;
import dev.rota.registry.Registry;
import dev.rota.registry.RegistryBuilder;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.TestServers;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the master for one test: an in-process ZooKeeper, a fresh namespace with published settings,
 * the namespace's RabbitMQ topology, a publisher of tasks and control messages, and a consumer of the
 * results queue. Results go into a queue that the test thread polls. Closing it closes the workers it
 * started and deletes the namespace's queues and exchanges.
 */
final class TestMaster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestMaster.class);
    static final Duration WAIT = Duration.ofSeconds(15);

    private static final AtomicLong RUN_IDS = new AtomicLong(1000);

    private final InProcessZooKeeper zk;
    private final Registry registry;
    private final ClusterSettings settings;
    private final Topology topology;
    private final Connection connection;
    private final Channel channel;
    private final ConfirmingPublisher publisher;
    private final MessageCodec codec = new MessageCodec();
    private final BlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
    private final List<ResultMessage> seen = new ArrayList<>();
    private final Set<String> taskTypes = ConcurrentHashMap.newKeySet();
    private final List<Worker> workers = new CopyOnWriteArrayList<>();

    private TestMaster(InProcessZooKeeper zk, Registry registry, ClusterSettings settings, Connection connection)
            throws IOException {
        this.zk = zk;
        this.registry = registry;
        this.settings = settings;
        this.topology = settings.topology();
        this.connection = connection;
        this.channel = connection.createChannel();
        new TopologyDeclarer(settings).declareShared(channel);
        this.publisher = new ConfirmingPublisher(connection);
        consumeResults();
    }

    private void consumeResults() throws IOException {
        channel.basicConsume(topology.resultsQueue(), true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                incoming.add(body);
            }
        });
    }

    /** Deletes the results queue, so that results become unroutable and publishing them fails. */
    void deleteResultsQueue() throws IOException {
        channel.queueDelete(topology.resultsQueue());
    }

    /** Declares the results queue again and consumes it. */
    void restoreResultsQueue() throws IOException {
        new TopologyDeclarer(settings).declareShared(channel);
        consumeResults();
    }

    long messageCount(String queue) throws IOException {
        return channel.messageCount(queue);
    }

    static TestMaster start() throws IOException {
        return start(s -> s);
    }

    /** Starts with the default settings of a fresh namespace, changed by {@code customize}. */
    static TestMaster start(UnaryOperator<ClusterSettings> customize) throws IOException {
        InProcessZooKeeper zk = new InProcessZooKeeper();
        String namespace = TestServers.uniqueName("wk");
        ClusterSettings settings = customize.apply(ClusterSettings.defaults(TestServers.amqpUri(), namespace));
        Registry registry = new RegistryBuilder().connectString(zk.connectString()).namespace(namespace).build();
        registry.start();
        registry.publishSettings(settings);
        Connection connection = AmqpConnections.open(settings.amqpUri(), "rota-test-master-" + namespace);
        return new TestMaster(zk, registry, settings, connection);
    }

    static ClusterSettings withHeartbeat(ClusterSettings s, Duration interval) {
        return new ClusterSettings(s.amqpUri(), s.namespace(), s.queueType(), s.deliveryLimit(), interval,
                s.maxPayloadBytes());
    }

    static ClusterSettings withMaxPayload(ClusterSettings s, int maxPayloadBytes) {
        return new ClusterSettings(s.amqpUri(), s.namespace(), s.queueType(), s.deliveryLimit(),
                s.heartbeatInterval(), maxPayloadBytes);
    }

    Registry registry() {
        return registry;
    }

    Topology topology() {
        return topology;
    }

    String zkConnect() {
        return zk.connectString();
    }

    String namespace() {
        return settings.namespace();
    }

    /** A builder pointed at this master's ZooKeeper and namespace, with a short shutdown grace. */
    WorkerBuilder workerBuilder() {
        return new WorkerBuilder().zkConnect(zk.connectString()).namespace(namespace())
                .shutdownGrace(Duration.ofSeconds(2)).settingsTimeout(Duration.ofSeconds(10));
    }

    /** Builds and starts a worker that is closed with this master. */
    Worker startWorker(WorkerBuilder builder) throws InterruptedException {
        return startWorker(builder.build());
    }

    /** Starts a worker that is closed with this master. */
    Worker startWorker(Worker worker) throws InterruptedException {
        workers.add(worker);
        taskTypes.addAll(worker.config().taskTypes());
        worker.start();
        return worker;
    }

    TaskMessage task(String taskType, String payloadJson, Duration timeout) {
        try {
            JsonNode payload = codec.readTree(payloadJson);
            return new TaskMessage(TaskMessage.CURRENT_VERSION, RUN_IDS.incrementAndGet(), 1, null, null, "test",
                    taskType, Instant.now(), Instant.now(), timeout, payload);
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Publishes a task, as the master would, and waits for the broker's confirm. */
    TaskMessage publish(TaskMessage task) throws Exception {
        publishRaw(task.taskType(), codec.encode(task));
        return task;
    }

    TaskMessage publish(String taskType, String payloadJson) throws Exception {
        return publish(task(taskType, payloadJson, null));
    }

    void publishRaw(String taskType, byte[] body) throws Exception {
        taskTypes.add(taskType);
        new TopologyDeclarer(settings).declareTaskQueue(channel, taskType);
        publisher.publish(topology.taskExchange(), taskType, body).get(10, TimeUnit.SECONDS);
    }

    void cancel(long runId, int attempt) throws Exception {
        sendControl(codec.encode(new ControlMessage(ControlMessage.Type.CANCEL, runId, attempt)));
    }

    void sendControl(byte[] body) throws Exception {
        publisher.publish(topology.controlExchange(), "", body).get(10, TimeUnit.SECONDS);
    }

    /** Polls the results on the test thread until one of {@code runId} with {@code status} arrives. */
    ResultMessage awaitResult(long runId, ResultStatus status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ResultMessage found = find(runId, status);
            if (found != null) {
                return found;
            }
            long left = deadline - System.nanoTime();
            byte[] body = left > 0 ? incoming.poll(left, TimeUnit.NANOSECONDS) : null;
            if (body == null) {
                throw new AssertionError("no " + status + " for run " + runId + " within " + WAIT + "; results seen: "
                        + seen);
            }
            recordResults(body);
        }
    }

    /** Messages that carried more than one result: the worker batches what is ready together. */
    final java.util.concurrent.atomic.AtomicInteger batchMessages = new java.util.concurrent.atomic.AtomicInteger();
    /** Final results that carried their start (the STARTED was not sent on its own). */
    final java.util.concurrent.atomic.AtomicInteger impliedStarts = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Records a results message as the leader reads it: each result of a batch in order, and a final
     * result carrying {@code startedAt} as the STARTED it implies followed by itself.
     */
    private void recordResults(byte[] body) throws MalformedMessageException {
        dev.rota.model.ResultBatch batch = codec.decodeResultBatch(body);
        if (!batch.rejected().isEmpty()) {
            throw new AssertionError("the worker sent invalid results: " + batch.rejected());
        }
        if (batch.results().size() > 1) {
            batchMessages.incrementAndGet();
        }
        for (ResultMessage r : batch.results()) {
            if (r.startedAt() != null) {
                impliedStarts.incrementAndGet();
                seen.add(new ResultMessage(r.version(), r.runId(), r.attempt(), r.workerId(), ResultStatus.STARTED,
                        r.startedAt(), null, null));
            }
            seen.add(r);
        }
    }

    /** Every result of {@code runId} received so far, in arrival order. */
    List<ResultMessage> resultsOf(long runId) throws MalformedMessageException {
        List<byte[]> bodies = new ArrayList<>();
        incoming.drainTo(bodies);
        for (byte[] body : bodies) {
            recordResults(body);
        }
        return seen.stream().filter(r -> r.runId() == runId).toList();
    }

    List<ResultStatus> statusesOf(long runId) throws MalformedMessageException {
        return resultsOf(runId).stream().map(ResultMessage::status).toList();
    }

    private ResultMessage find(long runId, ResultStatus status) {
        return seen.stream().filter(r -> r.runId() == runId && r.status() == status).findFirst().orElse(null);
    }

    /** Takes (and removes) what is in the dead-letter queue now. */
    List<byte[]> takeDeadLetters() throws IOException {
        List<byte[]> bodies = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(topology.deadLetterQueue(), true)) != null) {
            bodies.add(response.getBody());
        }
        return bodies;
    }

    @Override
    public void close() throws Exception {
        for (Worker worker : workers) {
            worker.close();
        }
        try {
            // Every queue and exchange of the namespace, the quorum ones included (each is a Raft group the
            // broker keeps running: hundreds left behind slowed the shared broker down).
            dev.rota.testsupport.RabbitCleanup.deleteNamespace(namespace(), List.copyOf(taskTypes));
        } catch (IllegalStateException e) {
            log.warn("cleanup of namespace {} failed: {}", namespace(), e.toString());
        } finally {
            publisher.close();
            connection.close();
            registry.close();
            zk.close();
        }
    }
}
