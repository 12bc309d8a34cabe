package dev.rota.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.BulkResult;

/** {@code /api/v1/runs} and {@code /api/v1/tasks}: list, read, re-run, cancel (one or by filter), submit. */
final class RunResources {
    private final Admin admin;
    private final Bodies bodies;

    RunResources(Admin admin, ObjectMapper json) {
        this.admin = admin;
        this.bodies = new Bodies(json);
    }

    void register(Router r, String base) {
        r.get(base + "/runs", (who, ctx) -> {
            var page = admin.runs(who, Params.runQuery(ctx));
            return Response.ok(new Dtos.PageJson<>(page.items().stream().map(Dtos.Run::of).toList(), page.next()));
        });
        r.get(base + "/runs/{id}", (who, ctx) ->
                Response.ok(Dtos.RunDetailJson.of(admin.run(who, Params.pathId(ctx, "id")))));
        r.post(base + "/runs/{id}/rerun", (who, ctx) ->
                Response.ok(Dtos.Run.of(admin.rerun(who, Params.pathId(ctx, "id")))));
        r.post(base + "/runs/{id}/cancel", (who, ctx) ->
                Response.ok(Dtos.Run.of(admin.cancel(who, Params.pathId(ctx, "id")))));
        r.post(base + "/runs/bulk-rerun", (who, ctx) ->
                bulk(admin.rerunMatching(who, Params.runQuery(ctx), dryRun(ctx))));
        r.post(base + "/runs/bulk-cancel", (who, ctx) ->
                bulk(admin.cancelMatching(who, Params.runQuery(ctx), dryRun(ctx))));
        r.post(base + "/tasks", (who, ctx) -> Response.created(Dtos.Run.of(admin.submit(who,
                bodies.read(ctx, Dtos.TaskBody.class).draft(ctx.header(Router.IDEMPOTENCY_KEY))
                        .withTraceparent(ctx.header("traceparent"))))));
    }

    /** Bulk actions are dry runs unless the caller says {@code dryRun=false}: a filter typed wrong only counts. */
    private static boolean dryRun(io.javalin.http.Context ctx) {
        Boolean v = Params.queryBoolean(ctx, "dryRun");
        return v == null || v;
    }

    private static Response bulk(BulkResult b) {
        return Response.ok(new Dtos.Bulk(b.matched(), b.dryRun(), b.changed(), b.skipped()));
    }
}
