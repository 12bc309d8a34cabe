package dev.rota.chaos;

import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of a chaos node: one master or one worker in a child JVM, configured by the same
 * environment variables as {@code rota master} and {@code rota worker} ({@code ROTA_ZK},
 * {@code ROTA_NAMESPACE}, {@code ROTA_DB_*}, {@code ROTA_AMQP_URI}, {@code ROTA_ZK_SESSION_TIMEOUT}) plus
 * {@code ROTA_TASK_TYPES} and {@code ROTA_CAPACITY} for workers. It builds {@link Master} and
 * {@link Worker} directly so that the harness controls {@link MasterTimings}.
 *
 * <p>Every listener event is logged as {@code EVENT <name> <detail>}: the harness reads fault outcomes
 * (FENCED, LEADERSHIP_ACQUIRED) from the log. SIGTERM closes the node through a shutdown hook; SIGKILL
 * and {@code halt} leave everything to the cluster's failure detection.
 *
 * <p>Usage: {@code ChaosNodeMain master|worker <id>}.
 */
public final class ChaosNodeMain {
    private static final Logger log = LoggerFactory.getLogger("chaos.node");

    private ChaosNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ChaosNodeMain master|worker <id>, was " + Arrays.toString(args));
        }
        Map<String, String> env = System.getenv();
        AutoCloseable node;
        try {
            node = switch (args[0]) {
                case "master" -> startMaster(args[1], env);
                case "worker" -> startWorker(args[1], env);
                default -> throw new IllegalArgumentException("role must be master or worker, was " + args[0]);
            };
        } catch (RuntimeException e) {
            log.error("node {} failed to start", args[1], e);
            System.exit(2);
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("node {} closing on shutdown signal", args[1]);
            try {
                node.close();
            } catch (Exception e) {
                log.warn("node {} did not close cleanly", args[1], e);
            }
            closed.countDown();
        }, "chaos-shutdown"));
        log.info("node {} ready", args[1]);
        closed.await();
    }

    private static Master startMaster(String id, Map<String, String> env) {
        Duration session = Duration.parse(required(env, "ROTA_ZK_SESSION_TIMEOUT"));
        Master master = Master.builder()
                .masterId(id)
                .address("127.0.0.1")
                .registry(new RegistryConfig(required(env, "ROTA_ZK"), required(env, "ROTA_NAMESPACE"), session,
                        Duration.ofSeconds(20)))
                .database(RotaDatabase.builder()
                        .url(required(env, "ROTA_DB_URL"))
                        .user(required(env, "ROTA_DB_USER"))
                        .password(env.getOrDefault("ROTA_DB_PASSWORD", ""))
                        .schema(required(env, "ROTA_DB_SCHEMA"))
                        .maxPoolSize(4)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .config())
                .amqpUri(required(env, "ROTA_AMQP_URI"))
                .timings(MasterTimings.fast())
                .listener((event, detail) -> log.info("EVENT {} {}", event, detail))
                .build();
        master.start();
        return master;
    }

    private static Worker startWorker(String id, Map<String, String> env) throws InterruptedException {
        Worker worker = new WorkerBuilder()
                .zkConnect(required(env, "ROTA_ZK"))
                .namespace(required(env, "ROTA_NAMESPACE"))
                .workerId(id)
                .taskTypes(required(env, "ROTA_TASK_TYPES").split(","))
                .capacity(Integer.parseInt(required(env, "ROTA_CAPACITY")))
                .shutdownGrace(Duration.ofSeconds(5))
                .settingsTimeout(Duration.ofSeconds(60))
                .zkSessionTimeout(Duration.parse(required(env, "ROTA_ZK_SESSION_TIMEOUT")))
                .listener((event, task, detail) -> log.info("EVENT {} {} {}", event,
                        task == null ? "-" : task.idempotencyKey(), detail == null ? "" : detail))
                .build();
        worker.start();
        return worker;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value;
    }
}
