package dev.rota.http.internal;

import dev.rota.admin.InvalidInputException;
import dev.rota.admin.RunQuery;
import dev.rota.model.RunState;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Reads path, query and header values, refusing a malformed one with the parameter's name. */
final class Params {
    private Params() {
    }

    static long pathId(Context ctx, String name) {
        return parseLong(name, ctx.pathParam(name));
    }

    static Long queryLong(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : parseLong(name, v);
    }

    static Integer queryInt(Context ctx, String name) {
        Long v = queryLong(ctx, name);
        if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
            throw new InvalidInputException(name, name + " is out of range: " + v);
        }
        return v == null ? null : v.intValue();
    }

    static String query(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    static Boolean queryBoolean(Context ctx, String name) {
        String v = query(ctx, name);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(name, name + " must be true or false, was '" + v + "'");
        };
    }

    static Instant queryInstant(Context ctx, String name) {
        String v = query(ctx, name);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name, name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z,"
                    + " was '" + v + "'");
        }
    }

    static Set<RunState> states(Context ctx) {
        String v = query(ctx, "state");
        if (v == null) {
            return null;
        }
        Set<RunState> states = EnumSet.noneOf(RunState.class);
        for (String s : v.split(",")) {
            try {
                states.add(RunState.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("state", "state '" + s + "' is not one of "
                        + java.util.Arrays.toString(RunState.values()));
            }
        }
        return states;
    }

    static RunQuery runQuery(Context ctx) {
        return new RunQuery(query(ctx, "team"), queryLong(ctx, "jobId"), query(ctx, "job"), query(ctx, "taskType"),
                states(ctx), queryInstant(ctx, "from"), queryInstant(ctx, "to"), query(ctx, "q"),
                query(ctx, "cursor"), queryInt(ctx, "limit"));
    }

    /**
     * The version an {@code If-Match} header asks for: null when absent or {@code *}.
     */
    static Long ifMatch(Context ctx) {
        String v = ctx.header("If-Match");
        if (v == null || v.trim().equals("*")) {
            return null;
        }
        String tag = v.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("If-Match", "If-Match must be the job's ETag, such as \"7\", was " + v);
        }
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " must be a whole number, was '" + v + "'");
        }
    }
}
