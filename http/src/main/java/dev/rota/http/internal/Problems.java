package dev.rota.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.rota.admin.ConflictException;
import dev.rota.admin.ForbiddenException;
import dev.rota.admin.InvalidInputException;
import dev.rota.admin.NotFoundException;
import dev.rota.admin.UnavailableException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps what went wrong to an RFC 9457 problem: a status, a stable type, and a detail naming the field and the limit. */
final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail, String field, Long currentVersion) {
        static Problem of(String kind, String title, int status, String detail) {
            return new Problem("urn:rota:problem:" + kind, title, status, detail, null, null);
        }
    }

    /** A request that lacks credentials or carries bad ones. */
    static final class Unauthenticated extends RuntimeException {
        Unauthenticated(String message) {
            super(message);
        }
    }

    static Problem of(Exception e) {
        if (e instanceof InvalidInputException i) {
            return new Problem("urn:rota:problem:invalid-input", "Invalid input", 400, i.getMessage(), i.field(), null);
        }
        if (e instanceof JsonProcessingException j) {
            return json(j);
        }
        if (e instanceof Unauthenticated) {
            return Problem.of("unauthenticated", "Unauthenticated", 401, e.getMessage());
        }
        if (e instanceof ForbiddenException) {
            return Problem.of("forbidden", "Forbidden", 403, e.getMessage());
        }
        if (e instanceof NotFoundException) {
            return Problem.of("not-found", "Not found", 404, e.getMessage());
        }
        if (e instanceof ConflictException c && c.currentVersion() != null) {
            return new Problem("urn:rota:problem:version-mismatch", "Precondition failed", 412, c.getMessage(), null,
                    c.currentVersion());
        }
        if (e instanceof ConflictException) {
            return Problem.of("conflict", "Conflict", 409, e.getMessage());
        }
        if (e instanceof UnavailableException) {
            return Problem.of("unavailable", "Service unavailable", 503, e.getMessage());
        }
        log.error("API request failed", e);
        return Problem.of("internal", "Internal error", 500, "the server failed: " + e);
    }

    private static Problem json(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        String detail = (field == null ? "the request body is not valid JSON" : field + " has the wrong type or format")
                + ": " + e.getOriginalMessage().replaceAll("\\s+", " ");
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "...";
        }
        return new Problem("urn:rota:problem:invalid-input", "Invalid input", 400, detail, field, null);
    }
}
