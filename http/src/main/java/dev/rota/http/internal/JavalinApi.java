package dev.rota.http.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rota.admin.Admin;
import dev.rota.db.RotaDatabase;
import dev.rota.db.RunChange;
import dev.rota.http.ApiEvent;
import dev.rota.http.ApiServerConfig;
import dev.rota.http.EventHub;
import dev.rota.metrics.Health;
import dev.rota.metrics.MetricsSource;
import dev.rota.registry.Registry;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The API on Javalin: routes, the OpenAPI document, the event sources and the stream. */
public final class JavalinApi {
    public static final String BASE = "/api/v1";

    private final ApiServerConfig config;
    private final Admin admin;
    private final RotaDatabase db;
    private final Registry registry;
    private final EventHub events;
    private final Clock clock;
    private final ObjectMapper json = mapper();
    private final Javalin app;
    private final Router router;
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rota-api-cluster-watch");
        t.setDaemon(true);
        return t;
    });
    private AutoCloseable runChanges;

    public JavalinApi(ApiServerConfig config, Admin admin, RotaDatabase db, Registry registry, EventHub events,
            Clock clock, MetricsSource metrics) {
        this.config = config;
        this.admin = admin;
        this.db = db;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.jetty.defaultHost = config.host();
            c.jetty.defaultPort = config.port();
            c.jsonMapper(new JavalinJackson(json, false));
            c.http.maxRequestSize = Bodies.MAX_BODY_BYTES + 1;
            StaticDashboard.addTo(c);
        });
        this.router = new Router(app, admin, db.idempotencyKeys(), json, config.insecureLocal());
        new JobResources(admin, json).register(router, BASE);
        new RunResources(admin, json).register(router, BASE);
        new ClusterResources(admin, json).register(router, BASE);
        router.sse(BASE + "/events", this::stream);
        if (metrics != null) {
            router.authenticatedOutsideApi("/metrics", ctx -> ctx.contentType(MetricsSource.CONTENT_TYPE)
                    .header("Cache-Control", "no-store").result(metrics.scrape()));
            app.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
            app.get("/health/ready", ctx -> {
                Health health = metrics.health();
                ctx.status(health.ready() ? 200 : 503).contentType("application/json").header("Cache-Control", "no-store")
                        .result(health.toJson());
            });
        }
        byte[] openapi = openapi();
        router.open(BASE + "/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
        app.error(404, ctx -> {
            // the router's own 404s are problems already; this catches paths no route matches
            if (!String.valueOf(ctx.res().getContentType()).startsWith(Problems.CONTENT_TYPE)) {
                ctx.contentType(Problems.CONTENT_TYPE).result(json.writeValueAsString(new Problems.Problem(
                        "urn:rota:problem:not-found", "Not found", 404, "no endpoint " + ctx.method() + " " + ctx.path()
                                + "; see " + BASE + "/openapi.json", null, null)));
            }
        });
    }

    public void start() {
        app.start();
        runChanges = db.runChanges().listen(this::runChanged);
        if (registry != null) {
            long ms = config.clusterWatchInterval().toMillis();
            watch.scheduleWithFixedDelay(new ClusterWatch(registry, db.lease(), events, clock), 0, ms,
                    TimeUnit.MILLISECONDS);
        }
    }

    public int port() {
        return app.port();
    }

    public List<String> routes() {
        return router.routes().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    private void runChanged(RunChange c) {
        Map<String, Object> data = new HashMap<>();
        data.put("id", c.id());
        data.put("state", c.state());
        data.put("team", c.team());
        data.put("taskType", c.taskType());
        data.put("attempt", c.attempt());
        if (c.jobId() != null) {
            data.put("jobId", c.jobId());
            data.put("jobName", c.jobName());
        }
        if (c.workerId() != null) {
            data.put("workerId", c.workerId());
        }
        events.publish(new ApiEvent("run", clock.instant(), c.team(), data));
    }

    private void stream(dev.rota.admin.Principal who, io.javalin.http.sse.SseClient client) {
        client.keepAlive();
        AutoCloseable subscription = events.subscribe(new EventHub.Subscriber(who, e -> {
            if (client.terminated()) {
                throw new IllegalStateException("client gone");
            }
            try {
                client.sendEvent(e.type(), json.writeValueAsString(e));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }));
        client.onClose(() -> {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // removing from a list cannot fail
            }
        });
        client.sendComment("connected as " + who.name());
    }

    public void close() {
        watch.shutdownNow();
        if (runChanges != null) {
            try {
                runChanges.close();
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }
        app.stop();
    }

    private static byte[] openapi() {
        try (InputStream in = JavalinApi.class.getResourceAsStream("/dev/rota/http/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read openapi.json", e);
        }
    }

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
