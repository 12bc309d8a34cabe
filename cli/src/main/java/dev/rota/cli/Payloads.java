package dev.rota.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rota.model.ClusterSettings;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import java.nio.charset.StandardCharsets;

/** Checks a JSON payload given on the command line before it reaches the database or a worker. */
final class Payloads {
    /** The cluster default; a cluster may publish a lower limit, which the master enforces. */
    static final int MAX_BYTES = ClusterSettings.DEFAULT_MAX_PAYLOAD_BYTES;

    private static final MessageCodec CODEC = new MessageCodec();

    private Payloads() {
    }

    /**
     * @return the payload, unchanged
     * @throws IllegalArgumentException naming the problem: too large, not JSON, or text after the JSON value
     */
    static String check(String payload) {
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("payload is " + bytes + " bytes of JSON; the limit is " + MAX_BYTES
                    + " bytes (" + MAX_BYTES / 1024 + " KiB)");
        }
        if (payload.isBlank()) {
            throw new IllegalArgumentException("payload is empty: give a JSON value such as '{}'");
        }
        try {
            CODEC.readTree(payload);
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException("payload is " + e.getMessage().replaceAll("\\s+", " ")
                    + where(e.getCause()), e);
        }
        return payload;
    }

    private static String where(Throwable cause) {
        if (cause instanceof JsonProcessingException j && j.getLocation() != null) {
            return " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        }
        return "";
    }
}
