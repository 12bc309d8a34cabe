package dev.rota.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rota.admin.Admin;
import dev.rota.admin.BulkResult;
import dev.rota.admin.ClusterView;
import dev.rota.admin.ConflictException;
import dev.rota.admin.CreatedToken;
import dev.rota.admin.ForbiddenException;
import dev.rota.admin.InvalidInputException;
import dev.rota.admin.JobDraft;
import dev.rota.admin.JobQuery;
import dev.rota.admin.NotFoundException;
import dev.rota.admin.Page;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.admin.RunDetail;
import dev.rota.admin.RunQuery;
import dev.rota.admin.TaskDraft;
import dev.rota.admin.UnavailableException;
import dev.rota.db.ApiToken;
import dev.rota.db.AuditEvent;
import dev.rota.db.JobDefinition;
import dev.rota.db.RunView;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link Admin} over the HTTP API: the CLI's {@code --api} mode. The token decides who acts; the
 * {@link Principal} arguments are ignored. Problems come back as the admin layer's exceptions, so a
 * caller cannot tell this from the in-process admin except by latency.
 */
public final class HttpAdmin implements Admin {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = JavalinApi.mapper();

    public HttpAdmin(String url, String token) {
        this.base = url.replaceAll("/+$", "") + JavalinApi.BASE;
        this.token = token;
    }

    /** Who the token stands for. */
    public Principal me() {
        JsonNode me = call("GET", "/me", null);
        return new Principal(me.get("name").asText(), Role.parse("role", me.get("role").asText()), text(me, "team"));
    }

    @Override
    public Page<JobDefinition> jobs(Principal who, JobQuery q) {
        JsonNode page = call("GET", "/jobs" + query("team", q.team(), "taskType", q.taskType(), "enabled", q.enabled(),
                "q", q.text(), "cursor", q.cursor(), "limit", q.limit(), "failing", q.failing()), null);
        return new Page<>(list(page.get("items"), ApiJson::job), text(page, "next"));
    }

    @Override
    public JobDefinition job(Principal who, long id) {
        return ApiJson.job(call("GET", "/jobs/" + id, null));
    }

    @Override
    public JobDefinition job(Principal who, String team, String name) {
        String cursor = null;
        do {
            Page<JobDefinition> page = jobs(who, new JobQuery(team, null, null, name, cursor, MAX_PAGE_SIZE));
            for (JobDefinition j : page.items()) {
                if (j.name().equals(name)) {
                    return j;
                }
            }
            cursor = page.next();
        } while (cursor != null);
        throw new NotFoundException("no job named '" + name + "' in team '" + team + "'");
    }

    @Override
    public JobDefinition createJob(Principal who, JobDraft draft) {
        return ApiJson.job(call("POST", "/jobs", ApiJson.draft(json, draft)));
    }

    @Override
    public JobDefinition updateJob(Principal who, long id, Long expectedVersion, JobDraft draft) {
        return ApiJson.job(call("PUT", "/jobs/" + id, ApiJson.draft(json, draft), ifMatch(expectedVersion)));
    }

    @Override
    public JobDefinition setEnabled(Principal who, long id, Long expectedVersion, boolean enabled) {
        return ApiJson.job(call("POST", "/jobs/" + id + (enabled ? "/resume" : "/pause"), null, ifMatch(expectedVersion)));
    }

    @Override
    public JobDefinition deleteJob(Principal who, long id, Long expectedVersion) {
        return ApiJson.job(call("DELETE", "/jobs/" + id, null, ifMatch(expectedVersion)));
    }

    @Override
    public RunView trigger(Principal who, long jobId) {
        return ApiJson.run(call("POST", "/jobs/" + jobId + "/trigger", null));
    }

    @Override
    public List<ZonedDateTime> preview(Principal who, long jobId, int count) {
        return ApiJson.times(call("GET", "/jobs/" + jobId + "/preview" + query("count", count), null));
    }

    @Override
    public List<ZonedDateTime> preview(String cron, String timeZone, int count) {
        return ApiJson.times(call("GET", "/schedule-preview" + query("cron", cron, "timeZone", timeZone, "count", count),
                null));
    }

    @Override
    public RunView submit(Principal who, TaskDraft task) {
        return ApiJson.run(call("POST", "/tasks", ApiJson.task(json, task)));
    }

    @Override
    public Page<RunView> runs(Principal who, RunQuery q) {
        JsonNode page = call("GET", "/runs" + runQuery(q, "cursor", q.cursor(), "limit", q.limit()), null);
        return new Page<>(list(page.get("items"), ApiJson::run), text(page, "next"));
    }

    @Override
    public RunDetail run(Principal who, long runId) {
        return ApiJson.detail(call("GET", "/runs/" + runId, null));
    }

    @Override
    public RunView rerun(Principal who, long runId) {
        return ApiJson.run(call("POST", "/runs/" + runId + "/rerun", null));
    }

    @Override
    public RunView cancel(Principal who, long runId) {
        return ApiJson.run(call("POST", "/runs/" + runId + "/cancel", null));
    }

    @Override
    public BulkResult rerunMatching(Principal who, RunQuery q, boolean dryRun) {
        return ApiJson.bulk(call("POST", "/runs/bulk-rerun" + runQuery(q, "dryRun", dryRun), null));
    }

    @Override
    public BulkResult cancelMatching(Principal who, RunQuery q, boolean dryRun) {
        return ApiJson.bulk(call("POST", "/runs/bulk-cancel" + runQuery(q, "dryRun", dryRun), null));
    }

    @Override
    public ClusterView cluster(Principal who) {
        return ApiJson.cluster(call("GET", "/cluster", null));
    }

    @Override
    public String workerSettings(Principal who) {
        return call("GET", "/settings", null).toString();
    }

    @Override
    public String failover(Principal who) {
        return call("POST", "/cluster/failover", null).get("askedToStepDown").asText();
    }

    @Override
    public List<dev.rota.admin.HeldMessage> parkedMessages(Principal who, Integer limit) {
        return list(call("GET", "/messages/parked" + query("limit", limit), null), ApiJson::held);
    }

    @Override
    public List<dev.rota.admin.HeldMessage> rejectedMessages(Principal who, Integer limit) {
        return list(call("GET", "/messages/rejected" + query("limit", limit), null), ApiJson::held);
    }

    @Override
    public dev.rota.admin.FireStats fireStats(Principal who, Integer minutes) {
        return ApiJson.fireStats(call("GET", "/stats/fires" + query("minutes", minutes), null));
    }

    @Override
    public dev.rota.db.JobRunStats jobStats(Principal who, long jobId, Integer runs) {
        return ApiJson.jobStats(call("GET", "/jobs/" + jobId + "/stats" + query("runs", runs), null));
    }

    @Override
    public Page<AuditEvent> audit(Principal who, String cursor, Integer limit) {
        JsonNode page = call("GET", "/audit" + query("cursor", cursor, "limit", limit), null);
        return new Page<>(list(page.get("items"), ApiJson::audit), text(page, "next"));
    }

    @Override
    public CreatedToken createToken(Principal who, String name, String team, Role role) {
        ObjectNode body = json.createObjectNode().put("name", name).put("team", team)
                .put("role", role == null ? null : role.name().toLowerCase());
        JsonNode created = call("POST", "/tokens", body.toString());
        return new CreatedToken(ApiJson.token(created.get("token")), created.get("secret").asText());
    }

    @Override
    public List<ApiToken> tokens(Principal who) {
        return list(call("GET", "/tokens", null), ApiJson::token);
    }

    @Override
    public ApiToken revokeToken(Principal who, String name) {
        return ApiJson.token(call("DELETE", "/tokens/" + URLEncoder.encode(name, StandardCharsets.UTF_8), null));
    }

    @Override
    public dev.rota.admin.CreatedAlertRule createAlertRule(Principal who, dev.rota.admin.AlertRuleDraft d) {
        ObjectNode body = json.createObjectNode().put("team", d.team()).put("jobName", d.jobName()).put("url", d.url())
                .put("secret", d.secret()).put("lateAfter", d.lateAfter() == null ? null : d.lateAfter().toString())
                .put("leaderlessAfter", d.leaderlessAfter() == null ? null : d.leaderlessAfter().toString());
        var kinds = body.putArray("kinds");
        if (d.kinds() != null) {
            d.kinds().forEach(kinds::add);
        }
        JsonNode created = call("POST", "/alerts/rules", body.toString());
        return new dev.rota.admin.CreatedAlertRule(AlertResources.rule(created.get("rule")),
                created.get("secret").asText());
    }

    @Override
    public List<dev.rota.db.AlertRule> alertRules(Principal who, String team) {
        return list(call("GET", "/alerts/rules" + query("team", team), null), AlertResources::rule);
    }

    @Override
    public dev.rota.db.AlertRule deleteAlertRule(Principal who, long id) {
        return AlertResources.rule(call("DELETE", "/alerts/rules/" + id, null));
    }

    @Override
    public List<dev.rota.db.AlertDelivery> alertDeliveries(Principal who, Long ruleId, Integer limit) {
        return list(call("GET", "/alerts/deliveries" + query("ruleId", ruleId, "limit", limit), null),
                AlertResources::delivery);
    }

    @Override
    public Optional<Principal> authenticate(String bearerToken) {
        throw new UnsupportedOperationException("a client does not authenticate others");
    }

    @Override
    public boolean hasActiveTokens() {
        return true;
    }

    @Override
    public void close() {
        // java.net.http.HttpClient on Java 17 has nothing to close; its threads are daemons
    }

    private static String[] ifMatch(Long version) {
        return version == null ? new String[0] : new String[] {"If-Match", "\"" + version + "\""};
    }

    private static String runQuery(RunQuery q, Object... more) {
        List<Object> kv = new ArrayList<>(List.of("team", nz(q.team()), "jobId", nz(q.jobId()), "job", nz(q.job()),
                "taskType", nz(q.taskType()),
                "state", q.states() == null ? "" : q.states().stream().map(Enum::name).collect(Collectors.joining(",")),
                "from", nz(q.from()), "to", nz(q.to()), "q", nz(q.text())));
        kv.addAll(java.util.Arrays.asList(more));
        return query(kv.toArray());
    }

    private static Object nz(Object o) {
        return o == null ? "" : o;
    }

    private static String query(Object... kv) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null && !kv[i + 1].toString().isEmpty()) {
                params.put(kv[i].toString(), kv[i + 1].toString());
            }
        }
        return params.isEmpty() ? "" : "?" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private JsonNode call(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException("cannot reach the API at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while calling the API", e);
        }
        JsonNode node;
        try {
            node = r.body().isEmpty() ? json.nullNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new UnavailableException("the API at " + base + " answered " + r.statusCode() + " with no JSON", e);
        }
        if (r.statusCode() >= 400) {
            throw problem(r.statusCode(), node);
        }
        return node;
    }

    private static RuntimeException problem(int status, JsonNode p) {
        String detail = p.path("detail").asText("HTTP " + status);
        return switch (status) {
            case 400 -> new InvalidInputException(p.path("field").asText(null), detail);
            case 401 -> new ForbiddenException("the API refused the token: " + detail);
            case 403 -> new ForbiddenException(detail);
            case 404 -> new NotFoundException(detail);
            case 409 -> new ConflictException(detail);
            case 412 -> new ConflictException(detail, p.path("currentVersion").asLong());
            default -> new UnavailableException("the API answered " + status + ": " + detail, null);
        };
    }

    private static <T> List<T> list(JsonNode array, java.util.function.Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(f.apply(n)));
        return out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
