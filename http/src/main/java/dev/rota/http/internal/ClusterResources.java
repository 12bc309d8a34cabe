package dev.rota.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.ClusterView;
import dev.rota.admin.InvalidInputException;
import dev.rota.admin.Role;
import dev.rota.db.ClusterLoad;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code /api/v1/cluster}, {@code /messages}, {@code /stats}, {@code /audit}, {@code /tokens} and {@code /me}. */
final class ClusterResources {
    private final Admin admin;
    private final Bodies bodies;

    ClusterResources(Admin admin, ObjectMapper json) {
        this.admin = admin;
        this.bodies = new Bodies(json);
    }

    void register(Router r, String base) {
        r.get(base + "/me", (who, ctx) ->
                Response.ok(new Dtos.Me(who.name(), who.role().name().toLowerCase(), who.team())));
        r.get(base + "/cluster", (who, ctx) -> Response.ok(cluster(admin.cluster(who))));
        r.get(base + "/settings", (who, ctx) -> Response.ok(new com.fasterxml.jackson.databind.util.RawValue(
                admin.workerSettings(who))));
        r.post(base + "/cluster/failover", (who, ctx) -> Response.ok(new Dtos.Failover(admin.failover(who))));
        r.get(base + "/messages/parked", (who, ctx) -> Response.ok(
                admin.parkedMessages(who, Params.queryInt(ctx, "limit")).stream().map(Dtos.Held::of).toList()));
        r.get(base + "/messages/rejected", (who, ctx) -> Response.ok(
                admin.rejectedMessages(who, Params.queryInt(ctx, "limit")).stream().map(Dtos.Held::of).toList()));
        r.get(base + "/stats/fires", (who, ctx) ->
                Response.ok(Dtos.FireStats.of(admin.fireStats(who, Params.queryInt(ctx, "minutes")))));
        r.get(base + "/audit", (who, ctx) -> {
            var page = admin.audit(who, Params.query(ctx, "cursor"), Params.queryInt(ctx, "limit"));
            return Response.ok(new Dtos.PageJson<>(page.items().stream().map(Dtos.Audit::of).toList(), page.next()));
        });
        r.get(base + "/tokens", (who, ctx) ->
                Response.ok(admin.tokens(who).stream().map(Dtos.Token::of).toList()));
        r.post(base + "/tokens", (who, ctx) -> {
            Dtos.TokenBody body = bodies.read(ctx, Dtos.TokenBody.class);
            if (body.role() == null) {
                throw new InvalidInputException("role", "role is required: viewer, operator or admin");
            }
            var created = admin.createToken(who, body.name(), body.team(), Role.parse("role", body.role()));
            return Response.created(new Dtos.CreatedTokenJson(Dtos.Token.of(created.token()), created.secret()));
        });
        r.delete(base + "/tokens/{name}", (who, ctx) ->
                Response.ok(Dtos.Token.of(admin.revokeToken(who, ctx.pathParam("name")))));
    }

    private static Dtos.Cluster cluster(ClusterView c) {
        Map<String, ClusterLoad.WorkerLoad> loads = new HashMap<>();
        c.workerLoads().forEach(l -> loads.put(l.workerId(), l));
        Map<String, Integer> capacity = new HashMap<>();
        c.workers().forEach(w -> w.taskTypes().forEach(t -> capacity.merge(t, w.capacity(), Integer::sum)));
        Set<String> types = new TreeSet<>(capacity.keySet());
        Map<String, ClusterLoad.QueueDepth> depths = new HashMap<>();
        c.queues().forEach(q -> {
            depths.put(q.taskType(), q);
            types.add(q.taskType());
        });
        return new Dtos.Cluster(c.leaderId(), c.epoch(), c.leaseHolder(),
                c.masters().stream().map(m -> new Dtos.Master(m.id(), m.address(), m.version(), m.startedAt(),
                        m.id().equals(c.leaderId()))).toList(),
                c.workers().stream().map(w -> {
                    ClusterLoad.WorkerLoad l = loads.get(w.id());
                    return new Dtos.Worker(w.id(), w.host(), w.taskTypes().stream().sorted().toList(), w.capacity(),
                            w.version(), w.startedAt(), l == null ? 0 : l.running(), l == null ? null : l.lastHeartbeat());
                }).toList(),
                types.stream().map(t -> {
                    ClusterLoad.QueueDepth d = depths.get(t);
                    return new Dtos.Queue(t, d == null ? 0 : d.due(), d == null ? 0 : d.queued(),
                            d == null ? 0 : d.running(), capacity.getOrDefault(t, 0));
                }).toList());
    }
}
