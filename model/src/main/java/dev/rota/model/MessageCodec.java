package dev.rota.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads and writes Rota's JSON messages. Times are ISO-8601 strings, durations ISO-8601 durations;
 * unknown fields are ignored so that newer senders can add fields. Thread-safe.
 */
public final class MessageCodec {
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public byte[] encode(Object message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public String encodeToString(Object message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public TaskMessage decodeTask(byte[] body) throws MalformedMessageException {
        TaskMessage m = decode(body, TaskMessage.class);
        requireVersion(m.version());
        require(m.runId() > 0, "runId must be positive");
        require(m.attempt() >= 1, "attempt must be at least 1");
        require(Names.isValid(m.taskType()), "taskType is missing or invalid");
        require(m.scheduledAt() != null, "scheduledAt is missing");
        require(m.payload() != null, "payload is missing");
        return m;
    }

    public ResultMessage decodeResult(byte[] body) throws MalformedMessageException {
        ResultMessage m = decode(body, ResultMessage.class);
        requireVersion(m.version());
        require(m.runId() > 0, "runId must be positive");
        require(m.attempt() >= 1, "attempt must be at least 1");
        require(m.workerId() != null && !m.workerId().isBlank(), "workerId is missing");
        require(m.status() != null, "status is missing");
        require(m.at() != null, "at is missing");
        if (m.sender() != null) {
            // The sender comes from the broker, never from the JSON a sender wrote about itself.
            m = m.withSender(null);
        }
        if (m.result() != null && m.result().isNull()) {
            // Jackson reads "result": null as a NullNode; an absent result is null, as the sender meant.
            m = new ResultMessage(m.version(), m.runId(), m.attempt(), m.workerId(), m.status(), m.at(), m.error(), null);
        }
        return m;
    }

    public ControlMessage decodeControl(byte[] body) throws MalformedMessageException {
        ControlMessage m = decode(body, ControlMessage.class);
        require(m.type() != null, "type is missing");
        return m;
    }

    public CompletionEvent decodeEvent(byte[] body) throws MalformedMessageException {
        return decode(body, CompletionEvent.class);
    }

    public ClusterSettings decodeSettings(byte[] body) throws MalformedMessageException {
        return decode(body, ClusterSettings.class);
    }

    /** Parses JSON text, e.g. a payload given on a command line. */
    public JsonNode readTree(String json) throws MalformedMessageException {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")
                    ? "unexpected text after the JSON value" : e.getOriginalMessage();
            throw new MalformedMessageException("not valid JSON: " + reason, e);
        }
    }

    /** Converts a JSON tree to a type, e.g. a handler's payload record. */
    public <T> T convert(JsonNode node, Class<T> type) {
        return mapper.convertValue(node, type);
    }

    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    /**
     * Reads any of Rota's JSON records (messages, node data in ZooKeeper).
     *
     * @throws MalformedMessageException when {@code body} is empty or not a {@code type}
     */
    public <T> T decode(byte[] body, Class<T> type) throws MalformedMessageException {
        if (body == null || body.length == 0) {
            throw new MalformedMessageException("empty " + type.getSimpleName());
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new MalformedMessageException("null " + type.getSimpleName());
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            String field = e instanceof JsonMappingException j && !j.getPath().isEmpty()
                    ? " field " + fieldPath(j) + ":" : "";
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ":" + field + " " + reason, e);
        }
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static void requireVersion(int version) throws MalformedMessageException {
        require(version == TaskMessage.CURRENT_VERSION, "unsupported version " + version);
    }

    private static void require(boolean condition, String reason) throws MalformedMessageException {
        if (!condition) {
            throw new MalformedMessageException(reason);
        }
    }
}
