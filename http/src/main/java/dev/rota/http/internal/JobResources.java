package dev.rota.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.JobQuery;
import dev.rota.db.JobDefinition;
import java.util.List;

/** {@code /api/v1/jobs}: list, read, add, change, pause, resume, delete, trigger, preview, stats. */
final class JobResources {
    static final int DEFAULT_PREVIEW = 10;

    private final Admin admin;
    private final Bodies bodies;

    JobResources(Admin admin, ObjectMapper json) {
        this.admin = admin;
        this.bodies = new Bodies(json);
    }

    void register(Router r, String base) {
        r.get(base + "/jobs", (who, ctx) -> {
            var page = admin.jobs(who, new JobQuery(Params.query(ctx, "team"), Params.query(ctx, "taskType"),
                    Params.queryBoolean(ctx, "enabled"), Params.query(ctx, "q"), Params.query(ctx, "cursor"),
                    Params.queryInt(ctx, "limit"), Params.queryBoolean(ctx, "failing")));
            return Response.ok(new Dtos.PageJson<>(page.items().stream().map(Dtos.Job::of).toList(), page.next()));
        });
        r.post(base + "/jobs", (who, ctx) ->
                job(201, admin.createJob(who, bodies.read(ctx, Dtos.JobBody.class).draft())));
        r.get(base + "/jobs/{id}", (who, ctx) -> job(200, admin.job(who, Params.pathId(ctx, "id"))));
        r.put(base + "/jobs/{id}", (who, ctx) -> job(200, admin.updateJob(who, Params.pathId(ctx, "id"),
                Params.ifMatch(ctx), bodies.read(ctx, Dtos.JobBody.class).draft())));
        r.delete(base + "/jobs/{id}", (who, ctx) ->
                job(200, admin.deleteJob(who, Params.pathId(ctx, "id"), Params.ifMatch(ctx))));
        r.post(base + "/jobs/{id}/pause", (who, ctx) ->
                job(200, admin.setEnabled(who, Params.pathId(ctx, "id"), Params.ifMatch(ctx), false)));
        r.post(base + "/jobs/{id}/resume", (who, ctx) ->
                job(200, admin.setEnabled(who, Params.pathId(ctx, "id"), Params.ifMatch(ctx), true)));
        r.post(base + "/jobs/{id}/trigger", (who, ctx) ->
                Response.created(Dtos.Run.of(admin.trigger(who, Params.pathId(ctx, "id")))));
        r.get(base + "/jobs/{id}/preview", (who, ctx) -> {
            JobDefinition job = admin.job(who, Params.pathId(ctx, "id"));
            return preview(job.timeZone(), admin.preview(who, job.id(), count(ctx)));
        });
        r.get(base + "/jobs/{id}/stats", (who, ctx) -> {
            long id = Params.pathId(ctx, "id");
            return Response.ok(Dtos.JobStats.of(id, admin.jobStats(who, id, Params.queryInt(ctx, "runs"))));
        });
        r.get(base + "/schedule-preview", (who, ctx) -> {
            String zone = Params.query(ctx, "timeZone") == null ? "UTC" : Params.query(ctx, "timeZone");
            return preview(zone, admin.preview(Params.query(ctx, "cron"), zone, count(ctx)));
        });
    }

    private static int count(io.javalin.http.Context ctx) {
        Integer n = Params.queryInt(ctx, "count");
        return n == null ? DEFAULT_PREVIEW : n;
    }

    private static Response preview(String zone, List<java.time.ZonedDateTime> times) {
        return Response.ok(new Dtos.Preview(zone, times.stream()
                .map(t -> t.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)).toList()));
    }

    private static Response job(int status, JobDefinition job) {
        return Response.versioned(status, Dtos.Job.of(job), job.version());
    }
}
