package dev.rota.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.db.IdempotencyKeys;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Registers the API's endpoints on Javalin and runs each request the same way: authenticate the bearer
 * token, honour an Idempotency-Key on writes, call the endpoint, and write JSON (or a problem). It keeps
 * the list of what it registered, which the OpenAPI check compares with the document.
 */
public final class Router {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** An endpoint: the authenticated principal and the request in, a response out. */
    @FunctionalInterface
    interface Endpoint {
        Response handle(Principal who, Context ctx) throws Exception;
    }

    /** One registered route, spelled as in the OpenAPI document: {@code GET /api/v1/jobs/{id}}. */
    public record Route(String method, String path) {
    }

    private final Javalin app;
    private final Admin admin;
    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final boolean insecureLocal;
    private final List<Route> routes = new ArrayList<>();

    Router(Javalin app, Admin admin, IdempotencyKeys keys, ObjectMapper json, boolean insecureLocal) {
        this.app = app;
        this.admin = admin;
        this.keys = keys;
        this.json = json;
        this.insecureLocal = insecureLocal;
    }

    void get(String path, Endpoint e) {
        add(HandlerType.GET, path, e);
    }

    void post(String path, Endpoint e) {
        add(HandlerType.POST, path, e);
    }

    void put(String path, Endpoint e) {
        add(HandlerType.PUT, path, e);
    }

    void delete(String path, Endpoint e) {
        add(HandlerType.DELETE, path, e);
    }

    /** A route outside the token check (the OpenAPI document, health). */
    void open(String path, io.javalin.http.Handler handler) {
        routes.add(new Route("GET", path));
        app.get(path, handler);
    }

    /**
     * A route outside {@code /api/v1} and its OpenAPI document (the metrics): any valid token, whatever its
     * role or team, or none with insecure-local; a refused request gets a 401 problem.
     */
    void authenticatedOutsideApi(String path, io.javalin.http.Handler handler) {
        app.get(path, ctx -> {
            try {
                authenticate(ctx);
            } catch (Problems.Unauthenticated u) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"rota\"");
                write(ctx, problem(u));
                return;
            }
            handler.handle(ctx);
        });
    }

    /** The Server-Sent Events route; the token may come as {@code ?access_token=}, as browsers' EventSource sends no headers. */
    void sse(String path, java.util.function.BiConsumer<Principal, io.javalin.http.sse.SseClient> handler) {
        routes.add(new Route("GET", path));
        app.sse(path, client -> {
            Principal who;
            try {
                who = authenticate(client.ctx());
            } catch (Problems.Unauthenticated e) {
                client.sendEvent("error", e.getMessage());
                client.close();
                return;
            }
            if (!who.role().allows(dev.rota.admin.Role.VIEWER)) {
                client.sendEvent("error", who.name() + " (worker) may not follow the events stream");
                client.close();
                return;
            }
            handler.accept(who, client);
        });
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private void add(HandlerType method, String path, Endpoint e) {
        routes.add(new Route(method.name(), path));
        boolean forWorkers = WORKER_PATHS.stream().anyMatch(path::endsWith) && method == HandlerType.GET;
        app.addHttpHandler(method, path, ctx -> serve(ctx, method, forWorkers ? e : viewersAndAbove(e)));
    }

    /** The only routes a WORKER token may call: its settings and who it is. */
    static final List<String> WORKER_PATHS = List.of("/settings", "/me");

    private static Endpoint viewersAndAbove(Endpoint e) {
        return (who, ctx) -> {
            if (!who.role().allows(dev.rota.admin.Role.VIEWER)) {
                throw new dev.rota.admin.ForbiddenException(who.name() + " (worker) may read only "
                        + String.join(" and ", WORKER_PATHS) + ": the worker role sees no jobs, runs or cluster state");
            }
            return e.handle(who, ctx);
        };
    }

    private void serve(Context ctx, HandlerType method, Endpoint e) {
        Principal who;
        try {
            who = authenticate(ctx);
        } catch (Problems.Unauthenticated u) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"rota\"");
            write(ctx, problem(u));
            return;
        }
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (method == HandlerType.GET || key == null) {
            write(ctx, call(who, ctx, e));
            return;
        }
        if (key.isBlank() || key.length() > 200) {
            write(ctx, problem(new dev.rota.admin.InvalidInputException(IDEMPOTENCY_KEY,
                    IDEMPOTENCY_KEY + " must be 1 to 200 characters, was " + key.length())));
            return;
        }
        String fingerprint = method + " " + ctx.path() + " " + sha256(ctx.body());
        IdempotencyKeys.Claim claim = keys.begin(who.name(), key, fingerprint);
        switch (claim.kind()) {
            case REPLAY -> {
                ctx.header("Idempotent-Replayed", "true");
                ctx.status(claim.status()).contentType(claim.status() >= 400 ? Problems.CONTENT_TYPE : "application/json")
                        .result(claim.body());
            }
            case IN_PROGRESS -> write(ctx, problem(new dev.rota.admin.ConflictException(
                    "a request with this Idempotency-Key is still being served; retry shortly")));
            case MISMATCH -> write(ctx, problem(new dev.rota.admin.InvalidInputException(IDEMPOTENCY_KEY,
                    IDEMPOTENCY_KEY + " '" + key + "' was used for a different request")));
            case NEW -> {
                Written w = write(ctx, call(who, ctx, e));
                if (w.status() >= 500) {
                    keys.release(who.name(), key);
                } else {
                    keys.complete(who.name(), key, w.status(), w.body());
                }
            }
            default -> throw new IllegalStateException("unknown claim " + claim.kind());
        }
    }

    private Response call(Principal who, Context ctx, Endpoint e) {
        try {
            return e.handle(who, ctx);
        } catch (Exception ex) {
            return problem(ex);
        }
    }

    private Response problem(Exception e) {
        Problems.Problem p = Problems.of(e);
        return new Response(p.status(), p, null);
    }

    private record Written(int status, String body) {
    }

    private Written write(Context ctx, Response r) {
        String body;
        try {
            body = json.writeValueAsString(r.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + r.body().getClass(), e);
        }
        if (r.version() != null) {
            ctx.header("ETag", "\"" + r.version() + "\"");
        }
        ctx.status(r.status()).contentType(r.body() instanceof Problems.Problem ? Problems.CONTENT_TYPE
                : "application/json").result(body);
        return new Written(r.status(), body);
    }

    private Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        String token = null;
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new Problems.Unauthenticated("the Authorization header must be 'Bearer <token>'");
            }
            token = header.substring(7).trim();
        } else if (ctx.queryParam("access_token") != null && ctx.path().endsWith("/events")) {
            token = ctx.queryParam("access_token");
        }
        if (token == null) {
            if (insecureLocal) {
                return new Principal("local", Role.ADMIN, null);
            }
            throw new Problems.Unauthenticated("send an API token: 'Authorization: Bearer <token>'"
                    + " (rota tokens create makes one)");
        }
        return admin.authenticate(token)
                .orElseThrow(() -> new Problems.Unauthenticated("the token is unknown or revoked"));
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
