package dev.rota.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for the registry's own node data (master, worker and failover records): ISO-8601 times, unknown
 * fields ignored so that newer nodes can add fields. Thread-safe.
 */
final class Json {
    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** @throws IOException when {@code data} is empty or not a {@code type} */
    <T> T read(byte[] data, Class<T> type) throws IOException {
        if (data == null || data.length == 0) {
            throw new IOException("empty " + type.getSimpleName());
        }
        T value = mapper.readValue(data, type);
        if (value == null) {
            throw new IOException("null " + type.getSimpleName());
        }
        return value;
    }
}
