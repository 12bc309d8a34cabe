package dev.rota.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a node can do its work now: one entry per dependency (zookeeper, postgresql, rabbitmq), true
 * when it is reachable. Ready when every check is up.
 *
 * @param checks in a stable order; copied
 */
public record Health(Map<String, Boolean> checks) {
    public Health {
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    public boolean ready() {
        return !checks.containsValue(Boolean.FALSE);
    }

    /** {@code {"status":"UP","checks":{"zookeeper":"UP",...}}}: statuses only, never addresses or errors. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(ready() ? "UP" : "DOWN").append("\",\"checks\":{");
        String sep = "";
        for (Map.Entry<String, Boolean> c : checks.entrySet()) {
            json.append(sep).append('"').append(c.getKey()).append("\":\"").append(c.getValue() ? "UP" : "DOWN").append('"');
            sep = ",";
        }
        return json.append("}}").toString();
    }
}
