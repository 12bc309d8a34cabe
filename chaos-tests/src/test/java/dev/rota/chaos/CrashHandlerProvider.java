package dev.rota.chaos;

import dev.rota.worker.TaskHandler;
import dev.rota.worker.TaskHandlerProvider;

/**
 * The {@code crash} task, a poison message: after {@code delayMs} (payload, default 300, so that the
 * worker's STARTED report reaches the broker as it would for a real task that crashes mid-way) it halts
 * the worker's JVM with exit code 137, skipping shutdown hooks, exactly like an OOM kill.
 */
public final class CrashHandlerProvider implements TaskHandlerProvider {
    public static final String TASK_TYPE = "crash";
    public static final int EXIT_CODE = 137;

    @Override
    public String taskType() {
        return TASK_TYPE;
    }

    @Override
    public TaskHandler create() {
        return ctx -> {
            Thread.sleep(ctx.payload().path("delayMs").asLong(300));
            System.out.println("CRASH run " + ctx.idempotencyKey() + " halts worker " + ctx.workerId());
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
            return null;
        };
    }
}
