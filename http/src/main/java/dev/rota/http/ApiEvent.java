package dev.rota.http;

import java.time.Instant;
import java.util.Map;

/**
 * One event of the live stream ({@code GET /api/v1/events}), sent as a Server-Sent Event named
 * {@code type} with this record as JSON data.
 *
 * @param type {@code run} (a run inserted or changing state), {@code leadership} (leader or epoch
 *             changed), {@code worker} (joined or left), {@code master} (joined or left)
 * @param team the team the event belongs to, or null for cluster events (every principal sees those)
 */
public record ApiEvent(String type, Instant at, String team, Map<String, Object> data) {
    public ApiEvent {
        data = Map.copyOf(data);
    }
}
