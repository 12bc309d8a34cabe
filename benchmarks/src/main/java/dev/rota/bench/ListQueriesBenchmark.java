package dev.rota.bench;

import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.admin.JobQuery;
import dev.rota.admin.Page;
import dev.rota.admin.Principal;
import dev.rota.admin.RunQuery;
import dev.rota.db.RotaDatabase;
import dev.rota.model.RunState;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Fills a fresh schema with N jobs (default 100,000) and M runs (default 1,000,000) spread over 30 days,
 * then times the admin layer's list queries (median of 5, after a warm-up) and prints PostgreSQL's plan for
 * the same SQL, to show that each filter is an index scan whatever the table's size.
 */
public final class ListQueriesBenchmark {
    private static final int REPEAT = 5;

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String schema = TestServers.uniqueName("benchlist").toLowerCase();
        TestServers.Postgres pg = TestServers.postgres();
        try (RotaDatabase db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password())
                .schema(schema).maxPoolSize(2).build()) {
            db.migrate();
            long t0 = System.nanoTime();
            fill(db, jobs, runs);
            System.out.printf("filled %,d jobs and %,d runs in %.1f s%n", jobs, runs, (System.nanoTime() - t0) / 1e9);
            try (Admin admin = new AdminBuilder().database(db).build()) {
                Principal root = Principal.databaseUser("bench");
                Instant now = Instant.now();
                String deepJobs = cursorAfter(() -> admin.jobs(root, new JobQuery(null, null, null, null, null, 500)), 40,
                        c -> admin.jobs(root, new JobQuery(null, null, null, null, c, 500)).next());
                time("jobs: first page", () -> admin.jobs(root, JobQuery.all()));
                time("jobs: team", () -> admin.jobs(root, new JobQuery("team-7", null, null, null, null, null)));
                time("jobs: task type", () -> admin.jobs(root, new JobQuery(null, "type-3", null, null, null, null)));
                time("jobs: paused", () -> admin.jobs(root, new JobQuery(null, null, false, null, null, null)));
                time("jobs: name contains", () -> admin.jobs(root, new JobQuery(null, null, null, "job-4242", null, null)));
                time("jobs: page 41 (cursor)", () -> admin.jobs(root, new JobQuery(null, null, null, null, deepJobs, null)));
                time("runs: first page", () -> admin.runs(root, RunQuery.all()));
                time("runs: team", () -> admin.runs(root, RunQuery.all().withTeam("team-7")));
                time("runs: state FAILED", () -> admin.runs(root, RunQuery.all().withStates(Set.of(RunState.FAILED))));
                time("runs: one job", () -> admin.runs(root, new RunQuery(null, 4242L, null, null, null, null, null,
                        null, null, null)));
                time("runs: task type", () -> admin.runs(root, new RunQuery(null, null, null, "type-3", null, null, null,
                        null, null, null)));
                time("runs: a day 20 days ago", () -> admin.runs(root, new RunQuery(null, null, null, null, null,
                        now.minusSeconds(20 * 86400), now.minusSeconds(19 * 86400), null, null, null)));
                String deepRuns = cursorAfter(() -> admin.runs(root, new RunQuery(null, null, null, null, null, null,
                        null, null, null, 500)), 40, c -> admin.runs(root, new RunQuery(null, null, null, null, null,
                        null, null, null, c, 500)).next());
                time("runs: page 41 (cursor)", () -> admin.runs(root, new RunQuery(null, null, null, null, null, null,
                        null, null, deepRuns, null)));
                time("runs: dry-run count, team+FAILED", () -> admin.rerunMatching(root,
                        RunQuery.all().withTeam("team-7").withStates(Set.of(RunState.FAILED)), true));
            }
            explain(db, "jobs: first page", "SELECT * FROM job ORDER BY team, name LIMIT 51");
            explain(db, "jobs: task type", "SELECT * FROM job WHERE task_type = 'type-3' ORDER BY team, name LIMIT 51");
            explain(db, "jobs: name contains", "SELECT * FROM job WHERE name ILIKE '%job-4242%' ORDER BY team, name LIMIT 51");
            explain(db, "runs: first page", "SELECT * FROM run ORDER BY scheduled_at DESC, id DESC LIMIT 51");
            explain(db, "runs: team", "SELECT * FROM run WHERE team IN ('team-7') ORDER BY scheduled_at DESC, id DESC LIMIT 51");
            explain(db, "runs: state FAILED", "SELECT * FROM run WHERE state IN ('FAILED') ORDER BY scheduled_at DESC, id DESC LIMIT 51");
            explain(db, "runs: one job", "SELECT * FROM run WHERE job_id = 4242 ORDER BY scheduled_at DESC, id DESC LIMIT 51");
            explain(db, "runs: a day 20 days ago", "SELECT * FROM run WHERE scheduled_at >= now() - interval '20 days'"
                    + " AND scheduled_at < now() - interval '19 days' ORDER BY scheduled_at DESC, id DESC LIMIT 51");
            explain(db, "runs: after a cursor", "SELECT * FROM run WHERE (scheduled_at, id) < (now() - interval '10 days', 0)"
                    + " ORDER BY scheduled_at DESC, id DESC LIMIT 51");
        } finally {
            TestServers.dropSchema(schema);
        }
    }

    private static void fill(RotaDatabase db, int jobs, int runs) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE run DISABLE TRIGGER run_notify_insert");
            st.execute("INSERT INTO job (team, name, cron, task_type, enabled) SELECT 'team-' || (i % 50), 'job-' || i,"
                    + " '0 0 * * * ?', 'type-' || (i % 20), i % 10 <> 0 FROM generate_series(1, " + jobs + ") i");
            st.execute("INSERT INTO run (job_id, job_name, team, task_type, scheduled_at, due_at, state, attempt)"
                    + " SELECT 1 + (i % " + jobs + "), 'job-' || (1 + (i % " + jobs + ")), 'team-' || ((1 + (i % " + jobs
                    + ")) % 50), 'type-' || ((1 + (i % " + jobs + ")) % 20),"
                    + " now() - (i * (2592000.0 / " + runs + ")) * interval '1 second',"
                    + " now() - (i * (2592000.0 / " + runs + ")) * interval '1 second',"
                    + " (ARRAY['SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED',"
                    + "'FAILED','DEAD','CANCELLED'])[1 + i % 10], 1 FROM generate_series(1, " + runs + ") i");
            st.execute("ALTER TABLE run ENABLE TRIGGER run_notify_insert");
            st.execute("ANALYZE job");
            st.execute("ANALYZE run");
        }
    }

    private static String cursorAfter(Supplier<Page<?>> first, int pages, java.util.function.UnaryOperator<String> next) {
        String cursor = first.get().next();
        for (int i = 1; i < pages && cursor != null; i++) {
            cursor = next.apply(cursor);
        }
        return cursor;
    }

    private static void time(String what, Supplier<?> query) {
        query.get();
        double[] ms = new double[REPEAT];
        for (int i = 0; i < REPEAT; i++) {
            long t = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-34s median %7.1f ms  (min %.1f, max %.1f)%n", what, ms[REPEAT / 2], ms[0], ms[REPEAT - 1]);
    }

    private static void explain(RotaDatabase db, String what, String sql) throws Exception {
        List<String> plan = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)) {
            while (rs.next()) {
                plan.add(rs.getString(1));
            }
        }
        System.out.println();
        System.out.println("-- " + what + ": " + sql);
        plan.stream().filter(l -> !l.contains("Buffers:") && !l.startsWith("Planning") && !l.startsWith("Execution")).limit(6)
                .forEach(l -> System.out.println("   " + l));
        plan.stream().filter(l -> l.startsWith("Execution")).forEach(l -> System.out.println("   " + l));
    }
}
