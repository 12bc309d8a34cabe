package dev.rota.worker.internal;

import dev.rota.model.Names;
import dev.rota.worker.TaskHandler;
import dev.rota.worker.TaskHandlerProvider;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/** Finds the handlers a worker can run: providers on the class path, then those registered in code. */
public final class HandlerCatalog {
    private HandlerCatalog() {
    }

    /**
     * Creates the handler of every {@link TaskHandlerProvider} visible to {@code classLoader}.
     *
     * @throws IllegalArgumentException when two providers claim one type or a provider is invalid
     */
    public static Map<String, TaskHandler> discover(ClassLoader classLoader) {
        Map<String, TaskHandler> handlers = new LinkedHashMap<>();
        Map<String, String> providerOf = new HashMap<>();
        for (TaskHandlerProvider provider : ServiceLoader.load(TaskHandlerProvider.class, classLoader)) {
            String providerName = provider.getClass().getName();
            String type = Names.requireValid("task type of " + providerName, provider.taskType());
            String earlier = providerOf.putIfAbsent(type, providerName);
            if (earlier != null) {
                throw new IllegalArgumentException("task type '" + type + "' is provided by both " + earlier + " and "
                        + providerName + "; remove one, or register the wanted handler in code");
            }
            handlers.put(type, Objects.requireNonNull(provider.create(), providerName + ".create() returned null"));
        }
        return handlers;
    }

    /** The discovered handlers, with those registered in code replacing discovered ones of the same type. */
    public static Map<String, TaskHandler> merge(Map<String, TaskHandler> discovered, Map<String, TaskHandler> inCode) {
        Map<String, TaskHandler> all = new LinkedHashMap<>(discovered);
        all.putAll(inCode);
        return all;
    }
}
