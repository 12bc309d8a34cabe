package dev.rota.worker;

/**
 * Supplies the handler of one task type through {@link java.util.ServiceLoader}: list the implementing
 * class in {@code META-INF/services/dev.rota.worker.TaskHandlerProvider}. The implementation needs a
 * public no-argument constructor. A handler registered in code with
 * {@link WorkerBuilder#handler(String, TaskHandler)} replaces a provided one of the same type.
 */
public interface TaskHandlerProvider {
    /** The task type handled; a valid name ({@link dev.rota.model.Names}). */
    String taskType();

    /** Creates the handler; called once per worker, when the worker is built. */
    TaskHandler create();
}
