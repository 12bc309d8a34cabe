package dev.rota.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.InvalidInputException;
import io.javalin.http.Context;

/** Reads a request body as JSON, refusing an empty, oversized or malformed one. */
final class Bodies {
    /** A job's payload may be 256 KiB; the rest of a body is small. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final ObjectMapper json;

    Bodies(ObjectMapper json) {
        this.json = json;
    }

    <T> T read(Context ctx, Class<T> type) throws JsonProcessingException {
        String body = ctx.body();
        if (body.length() > MAX_BODY_BYTES) {
            throw new InvalidInputException("body", "the request body is " + body.length() + " bytes; the limit is "
                    + MAX_BODY_BYTES);
        }
        if (body.isBlank()) {
            throw new InvalidInputException("body", "the request needs a JSON body");
        }
        return json.readValue(body, type);
    }

    <T> T readOrNull(Context ctx, Class<T> type) throws JsonProcessingException {
        return ctx.body().isBlank() ? null : read(ctx, type);
    }
}
