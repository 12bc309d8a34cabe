package dev.rota.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.db.RotaDatabase;
import dev.rota.http.ApiServer;
import dev.rota.http.ApiServerConfig;
import dev.rota.master.Master;
import dev.rota.master.MasterTimings;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.Dimension;

/**
 * The figure issue 11 asks for: first contentful paint and data shown for the overview, the jobs list, the runs
 * list and one job's page, served by a master on this machine with {@value #JOBS} jobs and {@value #RUNS} runs in
 * the database. Opt-in, as it fills the tables for about a minute:
 * {@code ./mvnw -B -pl dashboard -am verify -Dtest=DashboardLargeTest -Drota.dashboard.large=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. It prints the median and the spread of {@value #LOADS} full page loads
 * per page; the bounds only make sure that every page showed its data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "rota.dashboard.large", matches = "true")
class DashboardLargeTest {
    static final int JOBS = 100_000;
    static final int RUNS = 1_000_000;
    static final int LOADS = 5;

    private final InProcessZooKeeper zk = new InProcessZooKeeper();
    private final String namespace = TestServers.uniqueName("dashlarge");
    private Master master;
    private Admin admin;
    private ApiServer api;
    private Browser browser;
    private String token;

    @BeforeAll
    void fillTheDatabaseAndStartAMaster() throws Exception {
        assertThat(Browser.installed()).as(Browser.CHROMIUM + " and " + Browser.CHROMEDRIVER + " must be installed").isTrue();
        TestServers.Postgres pg = TestServers.postgres();
        try (RotaDatabase db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password())
                .schema(namespace).maxPoolSize(2).build()) {
            db.migrate();
        }
        long started = System.nanoTime();
        fill();
        System.out.printf("large dashboard: %,d jobs and %,d runs inserted and analysed in %d s%n", JOBS, RUNS,
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        master = Master.builder()
                .masterId("master-1")
                .registry(new RegistryConfig(zk.connectString(), namespace, Duration.ofSeconds(2), Duration.ofSeconds(10)))
                .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(namespace)
                        .maxPoolSize(8).config())
                .amqpUri(TestServers.amqpUri())
                .timings(MasterTimings.fast())
                .build();
        master.start();
        admin = new AdminBuilder().database(master.database()).registry(master.registry()).build();
        token = admin.createToken(Principal.databaseUser("dashboard-large"), "ada-admin", null, Role.ADMIN).secret();
        api = new ApiServer(new ApiServerConfig(ApiServerConfig.LOOPBACK, 0, false, Duration.ofMillis(100)), admin,
                master.database(), master.registry(), Clock.systemUTC());
        api.start();
        browser = new Browser(api.url(), new Dimension(1280, 900));
    }

    /**
     * Set-based: one INSERT ... SELECT from generate_series per table, with the run triggers (change notices, the
     * event outbox, alerts) off for the filling session only, as a restore would. Runs are spread over the last 29
     * days, 10 per job: 2 % FAILED, 1 % SKIPPED, the rest SUCCEEDED, started up to a second late.
     */
    private void fill() throws Exception {
        try (Connection c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
            st.execute("SET session_replication_role = replica");
            // Every tenth job enabled, firing once a year (the master plans it, nothing fires during the measure).
            st.execute("INSERT INTO job (team, name, cron, task_type, enabled, payload)"
                    + " SELECT 'team-' || (g % 20), 'job-' || lpad(g::text, 6, '0'),"
                    + " CASE WHEN g % 10 = 0 THEN '0 0 3 1 1 ?' ELSE '0 0 * * * ?' END,"
                    + " (ARRAY['noop', 'sleep', 'log', 'fail'])[1 + g % 4], g % 10 = 0, jsonb_build_object('n', g)"
                    + " FROM generate_series(1, " + JOBS + ") g");
            // Run g: job 1 + g % JOBS, scheduled g * 2.5 s ago (unique per job, the last hour has 1,440 runs).
            st.execute("INSERT INTO run (job_id, job_name, team, task_type, payload, scheduled_at, due_at, state,"
                    + " attempt, worker_id, dispatched_at, started_at, finished_at, error)"
                    + " SELECT j.id, j.name, j.team, j.task_type, j.payload, s.at, s.at, s.state,"
                    + " CASE WHEN s.state = 'SKIPPED' THEN 0 ELSE 1 END,"
                    + " CASE WHEN s.state = 'SKIPPED' THEN NULL ELSE 'worker-' || (g % 8) END,"
                    + " CASE WHEN s.state = 'SKIPPED' THEN NULL ELSE s.at END,"
                    + " CASE WHEN s.state = 'SKIPPED' THEN NULL ELSE s.at + (g % 997) * interval '1 millisecond' END,"
                    + " s.at + interval '2 seconds',"
                    + " CASE s.state WHEN 'FAILED' THEN 'boom ' || g WHEN 'SKIPPED'"
                    + " THEN 'skipped by concurrency policy FORBID: run ' || g || ' is still RUNNING' END"
                    + " FROM generate_series(1, " + RUNS + ") g"
                    + " CROSS JOIN LATERAL (SELECT now() - g * interval '2.5 seconds' AS at,"
                    + "   CASE WHEN g % 50 = 0 THEN 'FAILED' WHEN g % 97 = 0 THEN 'SKIPPED' ELSE 'SUCCEEDED' END AS state) s"
                    + " JOIN job j ON j.id = 1 + g % " + JOBS);
            st.execute("RESET session_replication_role");
            st.execute("ANALYZE job");
            st.execute("ANALYZE run");
        }
    }

    private long unplanned() {
        try (Connection c = TestServers.postgres().connect(); var st = c.createStatement()) {
            st.execute("SET search_path TO " + namespace);
            try (var rs = st.executeQuery("SELECT count(*) FROM job WHERE planned_seq IS DISTINCT FROM change_seq")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
            if (api != null) {
                api.close();
            }
            if (admin != null) {
                admin.close();
            }
            if (master != null) {
                master.close();
            }
            zk.close();
        } finally {
            TestServers.dropSchema(namespace);
            RabbitCleanup.deleteNamespace(namespace, List.of("noop", "sleep", "log", "fail"));
        }
    }

    @Test
    void pagesPaintAndShowTheirDataWithAHundredThousandJobsAndAMillionRuns() {
        browser.open("");
        browser.js("sessionStorage.setItem('rota.token', arguments[0])", token);
        browser.until(Duration.ofSeconds(30), d -> master.isLeader());
        // The measure starts once the new leader has planned every job (as a master that has run for a while).
        browser.until(Duration.ofSeconds(300), d -> unplanned() == 0);
        long someJob = JOBS / 2;
        String dayAgo = java.time.Instant.now().minus(Duration.ofDays(1)).toString();
        for (String path : List.of("/me", "/cluster", "/stats/fires?minutes=60", "/alerts/deliveries?limit=10",
                "/runs?state=FAILED,DEAD,TIMED_OUT&from=" + dayAgo + "&limit=20", "/jobs", "/runs",
                "/jobs/" + someJob, "/jobs/" + someJob + "/stats?runs=100", "/runs?jobId=" + someJob + "&limit=10")) {
            apiTime(path);
        }
        measure("overview", "#/overview", "#failures-table tbody tr");
        measure("jobs", "#/jobs", "#jobs-table tbody tr");
        measure("runs", "#/runs", "#runs-table tbody tr");
        measure("job", "#/jobs/" + someJob, "#job-lateness");
        browser.screenshot("large-overview");
    }

    /** Prints how long the API takes to answer {@code path} (the second of two calls), outside the browser. */
    private void apiTime(String path) {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.url() + "/api/v1" + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build();
        try {
            int status = 0;
            long nanos = 0;
            for (int i = 0; i < 2; i++) {
                long t = System.nanoTime();
                status = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                nanos = System.nanoTime() - t;
            }
            System.out.printf("large dashboard, API GET %s: %d in %.1f ms%n", path, status, nanos / 1e6);
            assertThat(status).as(path).isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Loads {@code hash} {@value #LOADS} times from a blank page (after one more to warm up); prints the medians of paint and data shown. */
    private void measure(String view, String hash, String dataSelector) {
        List<Double> paints = new ArrayList<>();
        List<Double> shown = new ArrayList<>();
        for (int i = 0; i <= LOADS; i++) {
            // A fresh navigation each time. Before events.js closed its stream on pagehide, the pages left this way
            // stayed in the back-forward cache with their streams open, and the sixth load hung: Chromium opens at
            // most six connections to a host.
            browser.driver.get("about:blank");
            browser.open(hash);
            try {
                browser.until(Duration.ofSeconds(30), d -> browser.js("""
                        const m = document.getElementById('main');
                        return m && m.dataset.view === arguments[0] && m.dataset.ready === 'true'
                            && performance.getEntriesByName('rota:rendered:' + arguments[0]).length > 0 ? true : null;
                        """, view));
            } catch (org.openqa.selenium.TimeoutException e) {
                browser.screenshot("large-timeout-" + view);
                Object imported = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + " import('/js/views/overview.js').then(() => done('imported'), e => done(String(e.stack || e)));");
                throw new AssertionError(view + " load " + i + " not shown in 30 s; import: " + imported + "; page: " + browser.js(
                        "const m = document.getElementById('main'); return JSON.stringify({url: location.href,"
                        + " data: m && {...m.dataset}, text: document.body.innerText.slice(0, 500)})"), e);
            }
            assertThat(browser.driver.findElements(org.openqa.selenium.By.cssSelector(dataSelector)))
                    .as("%s shows its data", view).isNotEmpty();
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) browser.js("""
                    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                    const data = performance.getEntriesByName('rota:rendered:' + arguments[0])[0];
                    return {fcp: fcp ? fcp.startTime : -1, data: data.startTime};
                    """, view);
            if (i == 0) {
                continue; // the first load warms the master's caches and the JIT; not counted
            }
            paints.add(((Number) t.get("fcp")).doubleValue());
            shown.add(((Number) t.get("data")).doubleValue());
        }
        paints.sort(Double::compare);
        shown.sort(Double::compare);
        System.out.printf("large dashboard, %s (%s): first contentful paint median %.0f ms (%.0f to %.0f),"
                        + " data shown median %.0f ms (%.0f to %.0f), %d loads%n", view, hash,
                paints.get(paints.size() / 2), paints.get(0), paints.get(paints.size() - 1),
                shown.get(shown.size() / 2), shown.get(0), shown.get(shown.size() - 1), paints.size());
        assertThat(paints).as("first contentful paint of %s", view).allMatch(p -> p > 0);
    }
}
