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
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Reads one message of the results queue: a single result object, or a JSON array of results
     * (at most {@link #MAX_RESULTS_PER_MESSAGE}).
     *
     * @throws MalformedMessageException when the message as a whole is unreadable (empty, not JSON, an
     *     invalid single result, an empty or oversized array); invalid elements of an array are
     *     {@linkplain ResultBatch#rejected() rejected} one by one instead
     */
    public ResultBatch decodeResultBatch(byte[] body) throws MalformedMessageException {
        int first = firstNonBlank(body);
        if (first < 0 || body[first] != '[') {
            return new ResultBatch(List.of(decodeResult(body)), List.of());
        }
        JsonNode array = decode(body, JsonNode.class);
        require(array.isArray() && !array.isEmpty(), "a batch of results must be a non-empty JSON array");
        require(array.size() <= MAX_RESULTS_PER_MESSAGE, "a batch of " + array.size()
                + " results exceeds the limit of " + MAX_RESULTS_PER_MESSAGE + " results per message");
        List<ResultMessage> results = new ArrayList<>(array.size());
        List<ResultBatch.Rejected> rejected = new ArrayList<>();
        for (JsonNode element : array) {
            try {
                require(element.isObject(), "an element of a batch of results must be a JSON object");
                results.add(validate(convertResult(element)));
            } catch (MalformedMessageException e) {
                rejected.add(new ResultBatch.Rejected(element.toString(), e.getMessage()));
            }
        }
        return new ResultBatch(results, rejected);
    }

    /** Results in one batch message: bounds the leader's work per message and the message's size. */
    public static final int MAX_RESULTS_PER_MESSAGE = 1_000;

    private ResultMessage convertResult(JsonNode element) throws MalformedMessageException {
        try {
            return mapper.treeToValue(element, ResultMessage.class);
        } catch (IOException | IllegalArgumentException e) {
            throw malformed(e, ResultMessage.class);
        }
    }

    private static int firstNonBlank(byte[] body) {
        if (body == null) {
            return -1;
        }
        for (int i = 0; i < body.length; i++) {
            if (!Character.isWhitespace(body[i])) {
                return i;
            }
        }
        return -1;
    }

    public ResultMessage decodeResult(byte[] body) throws MalformedMessageException {
        return validate(decode(body, ResultMessage.class));
    }

    private static ResultMessage validate(ResultMessage m) throws MalformedMessageException {
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
            m = new ResultMessage(m.version(), m.runId(), m.attempt(), m.workerId(), m.status(), m.at(), m.error(), null,
                    m.startedAt(), m.log(), null);
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
            throw malformed(e, type);
        }
    }

    private static MalformedMessageException malformed(Exception e, Class<?> type) {
        String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String field = e instanceof JsonMappingException j && !j.getPath().isEmpty()
                ? " field " + fieldPath(j) + ":" : "";
        return new MalformedMessageException("not a valid " + type.getSimpleName() + ":" + field + " " + reason, e);
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
