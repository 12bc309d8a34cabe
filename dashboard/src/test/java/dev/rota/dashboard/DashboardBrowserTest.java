package dev.rota.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.http.ApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against a real cluster: two masters, a
 * worker, PostgreSQL, RabbitMQ and an in-process ZooKeeper, the API and the dashboard served by the
 * first master. The steps build on each other (a job added in one is paused in the next), so they run
 * in order in one browser. Every page is saved under target/screenshots/. Nothing sleeps: each step
 * waits for a condition in the page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final String JOB = "every-second";
    private static final String WITNESS = "witness";

    private DashboardCluster cluster;
    private Browser browser;
    private long jobId;

    @BeforeAll
    void startClusterAndBrowser() throws Exception {
        // Fail, not skip: a skipped browser test would pass a build that never looked at the dashboard.
        assertThat(Browser.installed()).as(Browser.CHROMIUM + " and " + Browser.CHROMEDRIVER
                + " must be installed: run .ci/start-services (Debian packages chromium and chromium-driver)").isTrue();
        Browser.clearScreenshots();
        cluster = new DashboardCluster();
        browser = new Browser(cluster.url(), new Dimension(1280, 900));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aRefusedTokenStaysOnTheLoginPageAndAGoodOneOpensTheOverview() {
        browser.open("");
        browser.visible(By.id("token")).sendKeys("not-a-token");
        browser.click(By.id("signin"));
        assertThat(browser.untilText(By.id("token-error"), "refused")).contains("refused");
        browser.screenshot("01-login-refused");

        signIn(cluster.adminToken);
        browser.until(d -> cluster.leader() != null);
        String leader = browser.until(d -> {
            String t = d.findElement(By.id("leader")).getText();
            return t.startsWith("master-") ? t : null;
        });
        assertThat(leader).isEqualTo(cluster.leader().id());
        assertThat(browser.untilText(By.id("workers"), "worker-1")).contains("noop");
        assertThat(browser.text(By.id("who"))).contains("ada-admin").contains("admin");
        browser.untilText(By.id("live"), "live");
        WebElement started = browser.visible(By.cssSelector("#masters time"));
        assertThat(started.getAttribute("title")).as("UTC on hover").endsWith(" UTC");
        assertThat(started.getText()).as("shown in the viewer's zone, " + Browser.TIME_ZONE).doesNotContain("UTC");
        browser.screenshot("02-overview");
    }

    @Test
    @Order(2)
    void theOverviewPaintsFastAfterAFullLoad() {
        browser.driver.navigate().refresh();
        waitForView("overview");
        browser.untilText(By.id("leader"), "master-");
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) browser.js("""
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                const nav = performance.getEntriesByType('navigation')[0];
                const data = performance.getEntriesByName('rota:rendered:overview')[0];
                return {fcp: fcp ? fcp.startTime : -1, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                        data: data ? data.startTime : -1};
                """);
        double fcp = ((Number) t.get("fcp")).doubleValue();
        double data = ((Number) t.get("data")).doubleValue();
        System.out.printf("overview: first contentful paint %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms,"
                        + " cluster and failures shown at %.0f ms (full load from the master, signed in)%n",
                fcp, ((Number) t.get("dcl")).doubleValue(), ((Number) t.get("load")).doubleValue(), data);
        // The figures are printed; the bounds only catch a regression by an order of magnitude, since this
        // machine is shared and its load swings (the target is 1 s for the paint).
        assertThat(fcp).as("first contentful paint (ms)").isPositive().isLessThan(5000);
        assertThat(data).as("overview data shown (ms)").isPositive().isLessThan(10_000);
    }

    @Test
    @Order(3)
    void anInvalidCronIsNamedNextToItsFieldAndAValidJobRunsLiveOnItsPage() throws Exception {
        browser.route("#/jobs");
        browser.click(By.id("new-job"));
        browser.visible(By.id("job-form"));
        type("job-name", JOB);
        type("job-cron", "every second please");
        type("job-taskType", "noop");
        browser.click(By.id("save"));
        String error = browser.until(d -> {
            String t = d.findElement(By.id("err-cron")).getText();
            return t.isEmpty() ? null : t;
        });
        assertThat(error).containsIgnoringCase("cron");
        assertThat(browser.driver.findElement(By.id("job-cron")).getAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("03-job-form-invalid-cron");

        type("job-cron", "* * * * * ?");
        browser.click(By.id("save"));
        waitForView("job");
        jobId = Long.parseLong(browser.driver.getCurrentUrl().replaceAll(".*#/jobs/(\\d+).*", "$1"));
        browser.js("window.__noReload = true");
        assertThat(browser.driver.findElements(By.cssSelector("#fire-times li"))).hasSize(10);

        browser.until(Duration.ofSeconds(20), d -> d.findElements(
                By.cssSelector("#job-runs-table tr[data-state='SUCCEEDED']")).size() >= 3);
        assertThat(browser.js("return window.__noReload === true")).as("runs appeared without a reload").isEqualTo(true);
        browser.screenshot("04-job-with-live-runs");
        printCommitToScreenDelays();
    }

    @Test
    @Order(4)
    void aPausedJobGetsNoNewRunWhileAnotherKeepsFiring() throws Exception {
        cluster.call("POST", "/jobs", "{\"name\":\"" + WITNESS + "\",\"cron\":\"* * * * * ?\",\"taskType\":\"noop\"}");
        browser.route("#/jobs/" + jobId);
        waitForView("job");
        browser.click(By.id("pause"));
        browser.visible(By.id("resume"));
        assertThat(browser.text(By.id("job-head"))).contains("paused");
        long pausedAt = System.currentTimeMillis();
        long witnessBefore = cluster.queryLong("SELECT count(*) FROM run WHERE job_name = '" + WITNESS + "'");

        // Time passes by the witness's fires, not by a sleep: three more of them.
        browser.until(Duration.ofSeconds(20), d -> countOrFail(
                "SELECT count(*) FROM run WHERE job_name = '" + WITNESS + "' AND state = 'SUCCEEDED'") >= witnessBefore + 3);
        long late = cluster.queryLong("SELECT count(*) FROM run WHERE job_id = " + jobId
                + " AND scheduled_at > to_timestamp(" + (pausedAt + 1000) / 1000.0 + ")");
        assertThat(late).as("runs of the paused job scheduled more than a second after the pause").isZero();
        long inDb = Math.min(10, cluster.queryLong("SELECT count(*) FROM run WHERE job_id = " + jobId));
        // The table follows the stream: give the last change a moment to arrive, then it must match.
        browser.until(Duration.ofSeconds(5), d -> d.findElements(By.cssSelector("#job-runs-table tbody tr")).size() == inDb);
        assertThat((long) browser.driver.findElements(By.cssSelector("#job-runs-table tbody tr")).size()).isEqualTo(inDb);
        browser.screenshot("05-job-paused");
    }

    @Test
    @Order(5)
    void triggerNowAddsARunOfThePausedJob() throws Exception {
        long before = cluster.queryLong("SELECT count(*) FROM run WHERE job_id = " + jobId);
        browser.click(By.id("trigger"));
        String notice = browser.untilText(By.id("notice"), "Triggered");
        long runId = Long.parseLong(notice.replaceAll(".*#(\\d+).*", "$1"));
        browser.until(d -> !d.findElements(By.cssSelector("#job-runs-table tr[data-run='" + runId + "'][data-state='SUCCEEDED']")).isEmpty());
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE job_id = " + jobId)).isEqualTo(before + 1);
        browser.click(By.cssSelector("#job-runs-table tr[data-run='" + runId + "'] a"));
        waitForView("run");
        assertThat(browser.untilText(By.id("run-props"), "ada-admin")).contains("Triggered by");
        browser.screenshot("06-run-triggered");
    }

    @Test
    @Order(6)
    void runsFilterByStateAndTaskTypeAndAFailedRunShowsItsError() throws Exception {
        JsonNode failed = cluster.call("POST", "/tasks", "{\"taskType\":\"fail\",\"payload\":{\"message\":\"fails on purpose\"}}");
        long failedId = failed.get("id").asLong();
        cluster.call("POST", "/tasks", "{\"taskType\":\"fail\",\"payload\":{\"message\":\"dies on purpose\"},"
                + "\"maxAttempts\":2,\"retryInitial\":\"PT0.1S\"}");
        browser.route("#/runs");
        waitForView("runs");
        browser.click(By.id("f-state-FAILED"));
        type("f-task-type", "fail");
        browser.click(By.id("apply"));
        By failedRow = By.cssSelector("#runs-table tr[data-run='" + failedId + "']");
        browser.until(Duration.ofSeconds(20), d -> !d.findElements(failedRow).isEmpty());
        @SuppressWarnings("unchecked")
        List<String> states = (List<String>) browser.js(
                "return [...document.querySelectorAll('#runs-table tbody tr')].map(r => r.dataset.state)");
        assertThat(states).isNotEmpty().containsOnly("FAILED");
        assertThat(browser.driver.getCurrentUrl()).contains("state=FAILED").contains("taskType=fail");
        browser.screenshot("07-runs-filtered");

        browser.click(By.cssSelector("#runs-table tr[data-run='" + failedId + "'] a"));
        waitForView("run");
        assertThat(browser.text(By.id("run-error"))).contains("fails on purpose");
        assertThat(browser.text(By.id("attempts"))).contains("worker-1");
        assertThat(browser.driver.findElements(By.cssSelector("#timeline li")).size()).isGreaterThanOrEqualTo(2);
        browser.screenshot("08-run-failed");
        assertThat(browser.text(By.id("run-log-none"))).contains("logged nothing");

        long logged = cluster.call("POST", "/tasks", "{\"taskType\":\"log\",\"payload\":{\"message\":\"copied 12 rows\"}}")
                .get("id").asLong();
        browser.route("#/runs/" + logged);
        waitForView("run");
        assertThat(browser.untilText(By.id("run-log-1"), "copied 12 rows")).matches("\\S+Z copied 12 rows");
        assertThat(browser.text(By.cssSelector("#run-logs h3"))).contains("Attempt 1").contains("worker-1");
        browser.screenshot("08b-run-log");
    }

    @Test
    @Order(7)
    void aBulkReRunCountsFirstAndChangesNothingUntilConfirmed() throws Exception {
        browser.route("#/runs?state=FAILED&taskType=fail");
        waitForView("runs");
        browser.until(d -> !d.findElements(By.cssSelector("#runs-table tr[data-state='FAILED']")).isEmpty());
        long failedRuns = cluster.queryLong("SELECT count(*) FROM run WHERE state = 'FAILED' AND task_type = 'fail'");
        long attemptsBefore = cluster.queryLong("SELECT count(*) FROM run_attempt a JOIN run r ON r.id = a.run_id"
                + " WHERE r.task_type = 'fail' AND r.state = 'FAILED'");

        browser.click(By.id("bulk-rerun"));
        String question = browser.untilText(By.id("confirm-text"), "match");
        assertThat(question).startsWith(failedRuns + " run");
        browser.screenshot("09-bulk-rerun-dry-run");
        browser.click(By.id("confirm-cancel"));
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE state = 'FAILED' AND task_type = 'fail'"))
                .as("a dry run and a cancelled dialog change nothing").isEqualTo(failedRuns);

        browser.click(By.id("bulk-rerun"));
        browser.untilText(By.id("confirm-text"), "match");
        browser.click(By.id("confirm-ok"));
        assertThat(browser.untilText(By.id("notice"), "changed")).contains(failedRuns + " changed");
        browser.until(Duration.ofSeconds(20), d -> countOrFail("SELECT count(*) FROM run_attempt a JOIN run r ON r.id = a.run_id"
                + " WHERE r.task_type = 'fail' AND r.state = 'FAILED'") >= attemptsBefore + failedRuns);
    }

    @Test
    @Order(8)
    void aScheduledTaskIsCancelledFromItsPageAfterAConfirmation() throws Exception {
        JsonNode later = cluster.call("POST", "/tasks", "{\"taskType\":\"noop\",\"runAt\":\""
                + java.time.Instant.now().plus(Duration.ofHours(1)) + "\"}");
        long id = later.get("id").asLong();
        browser.route("#/runs/" + id);
        waitForView("run");
        assertThat(browser.text(By.id("run-detail"))).contains("SCHEDULED");
        browser.click(By.id("cancel"));
        browser.click(By.id("confirm-ok"));
        browser.untilText(By.cssSelector("#run-detail h1"), "CANCELLED");
        assertThat(browser.present(By.id("rerun"))).as("a cancelled run may be re-run").isTrue();
        assertThat(cluster.queryLong("SELECT count(*) FROM run WHERE id = " + id + " AND state = 'CANCELLED'")).isOne();
        browser.screenshot("10-run-cancelled");
    }

    @Test
    @Order(9)
    void aDeadRunIsReRunFromTheDeadLetters() throws Exception {
        browser.route("#/dead");
        waitForView("dead");
        long deadId = Long.parseLong(browser.until(Duration.ofSeconds(20), d -> (String) browser.js(
                "const b = document.querySelector('#dead-table button[data-rerun]'); return b ? b.dataset.rerun : null;")));
        long attemptsBefore = cluster.queryLong("SELECT count(*) FROM run_attempt WHERE run_id = " + deadId);
        browser.screenshot("11-dead-letters");
        browser.click(By.cssSelector("#dead-table button[data-rerun='" + deadId + "']"));
        browser.untilText(By.id("notice"), "scheduled again");
        // The fail handler fails again, so the run comes back DEAD after new attempts.
        browser.until(Duration.ofSeconds(20), d -> countOrFail("SELECT count(*) FROM run_attempt WHERE run_id = " + deadId
                + " AND outcome IS NOT NULL") > attemptsBefore);
        browser.route("#/runs/" + deadId);
        waitForView("run");
        browser.until(d -> d.findElements(By.cssSelector("#attempts tbody tr")).size() > attemptsBefore);
        assertThat(browser.text(By.id("timeline"))).isNotEmpty();
        browser.screenshot("12-run-rerun");

        long failedId = cluster.queryLong("SELECT min(id) FROM run WHERE state = 'FAILED'");
        long failedAttempts = cluster.queryLong("SELECT count(*) FROM run_attempt WHERE run_id = " + failedId);
        long parkedId = cluster.masters.get(0).database().parked().park("rota.test.results", "refused on purpose",
                ("{\"version\":1,\"runId\":" + failedId + ",\"attempt\":1,\"status\":\"FAILED\"}").getBytes());
        cluster.masters.get(0).database().brokerClients().recordRejected(dev.rota.db.BrokerClients.Source.SUBMISSION,
                "task type 'bad.type' is invalid", "{\"taskType\":\"bad.type\"}".getBytes(), null, null);
        browser.route("#/dead");
        waitForView("dead");
        By parkedRow = By.cssSelector("#parked-table tr[data-message='" + parkedId + "']");
        assertThat(browser.untilText(parkedRow, "refused on purpose")).contains("#" + failedId).contains("FAILED");
        assertThat(browser.untilText(By.id("rejected-table"), "bad.type")).contains("SUBMISSION");
        browser.screenshot("12b-parked-and-rejected");
        browser.click(By.cssSelector("#parked-table button[data-rerun='" + failedId + "']"));
        browser.untilText(By.id("notice"), "Run #" + failedId + " scheduled again");
        browser.until(Duration.ofSeconds(20), d -> countOrFail("SELECT count(*) FROM run_attempt WHERE run_id = " + failedId
                + " AND outcome IS NOT NULL") > failedAttempts);
    }

    @Test
    @Order(10)
    void aFailoverShowsOnTheOverviewLiveAndTheClusterPageHandsOver() throws Exception {
        browser.route("#/overview");
        waitForView("overview");
        long lastHour = cluster.queryLong("SELECT count(*) FROM run WHERE scheduled_at > now() - interval '50 minutes'"
                + " AND scheduled_at <= now()");
        long charted = browser.until(d -> {
            Object n = browser.js("return [...document.querySelectorAll('#fire-chart rect.fires')]"
                    + ".reduce((s, r) => s + Number(r.dataset.fires), 0)");
            return ((Number) n).longValue() >= lastHour ? ((Number) n).longValue() : null;
        });
        assertThat(charted).as("fires in the chart's hour, at least those of the last 50 minutes").isPositive();
        assertThat(browser.driver.findElements(By.cssSelector("#fire-chart polyline.p99"))).hasSize(1);
        assertThat(browser.text(By.id("fire-summary"))).contains("fires").contains("p99");
        WebElement noop = browser.visible(By.cssSelector("#queues tr[data-task-type='noop']"));
        List<WebElement> cells = noop.findElements(By.tagName("td"));
        assertThat(cells.get(cells.size() - 1).getText()).as("worker-1's capacity serves noop")
                .isEqualTo(String.valueOf(cluster.worker.config().capacity()));
        assertThat(browser.text(By.cssSelector("#workers thead"))).contains("In flight").contains("Last heartbeat");
        browser.screenshot("12c-overview-load");
        String first = browser.untilText(By.id("leader"), "master-");
        long epoch = Long.parseLong(browser.text(By.id("epoch")));
        long asked = System.currentTimeMillis();
        cluster.call("POST", "/cluster/failover", null);
        String second = browser.until(Duration.ofSeconds(20), d -> {
            String t = d.findElement(By.id("leader")).getText();
            return t.startsWith("master-") && !t.equals(first) ? t : null;
        });
        long shown = System.currentTimeMillis();
        browser.until(d -> Long.parseLong(d.findElement(By.id("epoch")).getText()) > epoch);
        long epochShown = System.currentTimeMillis();
        assertThat(second).isEqualTo(cluster.leader().id());
        System.out.printf("failover: new leader shown on the overview %d ms, its new epoch %d ms, after the API"
                + " accepted the request%n", shown - asked, epochShown - asked);
        browser.screenshot("13-overview-after-failover");

        browser.route("#/cluster");
        waitForView("cluster");
        browser.click(By.id("failover"));
        browser.click(By.id("confirm-ok"));
        browser.untilText(By.id("handover"), "asked " + second);
        String third = browser.until(Duration.ofSeconds(20), d -> {
            String t = d.findElement(By.id("leader")).getText();
            return t.startsWith("master-") && !t.equals(second) ? t : null;
        });
        long epochBefore = cluster.leader() == null ? 0 : cluster.leader().epoch();
        String handover = browser.untilText(By.id("handover"), third + " leads");
        assertThat(handover).contains(third + " leads, epoch " + browser.text(By.id("epoch")));
        assertThat(Long.parseLong(browser.text(By.id("epoch")))).isGreaterThanOrEqualTo(epochBefore);
        browser.screenshot("14-cluster-handover");
    }

    @Test
    @Order(11)
    void editingShowsTheBadFieldsMessageAndDeleteAsksFirst() throws Exception {
        long witnessId = cluster.queryLong("SELECT id FROM job WHERE name = '" + WITNESS + "'");
        browser.route("#/jobs/" + witnessId);
        waitForView("job");
        browser.click(By.id("edit"));
        waitForView("jobedit");
        type("job-timeZone", "Mars/Olympus_Mons");
        browser.click(By.id("save"));
        String error = browser.until(d -> {
            String t = d.findElement(By.id("err-timeZone")).getText();
            return t.isEmpty() ? null : t;
        });
        assertThat(error).contains("Mars/Olympus_Mons");
        assertThat(browser.driver.findElement(By.id("err-cron")).getText()).isEmpty();
        browser.screenshot("15-job-edit-invalid-zone");

        type("job-timeZone", "Europe/Paris");
        type("job-cron", "0 0 3 * * ?");
        browser.click(By.id("save"));
        waitForView("job");
        assertThat(browser.untilText(By.id("job-props"), "Europe/Paris")).contains("0 0 3 * * ?");
        assertThat(browser.text(By.id("fire-times"))).contains("3:00:00").contains("(Europe/Paris)");

        browser.click(By.id("delete"));
        assertThat(browser.untilText(By.id("confirm-text"), WITNESS)).contains("Delete job");
        browser.click(By.id("confirm-cancel"));
        assertThat(cluster.queryLong("SELECT count(*) FROM job WHERE id = " + witnessId)).isOne();
        browser.click(By.id("delete"));
        browser.click(By.id("confirm-ok"));
        waitForView("jobs");
        browser.untilText(By.id("notice"), "Deleted job " + WITNESS);
        assertThat(browser.driver.findElements(By.cssSelector("#jobs-table tr[data-job='" + WITNESS + "']"))).isEmpty();
        assertThat(cluster.queryLong("SELECT count(*) FROM job WHERE id = " + witnessId)).isZero();
        browser.screenshot("16-jobs-after-delete");

        JsonNode breaking = cluster.call("POST", "/jobs", "{\"name\":\"breaks\",\"cron\":\"* * * * * ?\",\"taskType\":\"fail\"}");
        browser.until(Duration.ofSeconds(20), d -> countOrFail("SELECT count(*) FROM run WHERE job_name = 'breaks'"
                + " AND state = 'FAILED'") > 0);
        cluster.call("POST", "/jobs/" + breaking.get("id").asLong() + "/pause", null);
        browser.js("document.getElementById('f-failing').value = 'true'");
        browser.click(By.cssSelector("#job-filters button[type='submit']"));
        browser.until(d -> d.getCurrentUrl().contains("failing=true")
                && d.findElements(By.cssSelector("#jobs-table tr[data-job='breaks']")).size() == 1);
        assertThat(browser.driver.findElements(By.cssSelector("#jobs-table tbody tr"))).as("only the failing job").hasSize(1);
        browser.screenshot("16b-jobs-failing");
    }

    @Test
    @Order(12)
    void theOverviewShowsAlertsAndBacklogAndAJobsPageSaysWhyItDidNotFire() throws Exception {
        cluster.call("POST", "/alerts/rules", "{\"kinds\":[\"RUN_FAILED\",\"FIRE_SKIPPED\"],"
                + "\"url\":\"http://127.0.0.1:9/rota-hook\"}");
        browser.route("#/overview");
        waitForView("overview");
        browser.js("window.__noReload = true");
        long failed = cluster.call("POST", "/tasks", "{\"taskType\":\"fail\",\"payload\":{\"message\":\"alarms\"}}")
                .get("id").asLong();
        String alert = browser.until(Duration.ofSeconds(20), d -> d.findElements(
                        By.cssSelector("#alerts-table tr[data-kind='RUN_FAILED']")).stream()
                .map(WebElement::getText).filter(t -> t.contains("run #" + failed)).findFirst().orElse(null));
        assertThat(alert).as("kind, what it is about, and a status in words").contains("RUN_FAILED")
                .contains("task fail").containsPattern("(PENDING|DELIVERED|FAILED)");

        // Runs of a task type that no worker serves: the overview flags it, in words, until they are cancelled.
        cluster.call("POST", "/tasks", "{\"taskType\":\"unserved\"}");
        cluster.call("POST", "/tasks", "{\"taskType\":\"unserved\"}");
        By unserved = By.cssSelector("#backlog-list li[data-task-type='unserved']");
        assertThat(browser.untilText(unserved, "2 waiting")).contains("backlog").contains("no worker serves it");
        assertThat(browser.text(By.cssSelector("#queues tr[data-task-type='unserved']"))).contains("behind");
        browser.screenshot("16c-overview-alerts-and-backlog");
        cluster.call("POST", "/runs/bulk-cancel?taskType=unserved&dryRun=false", null);
        browser.until(Duration.ofSeconds(20), d -> d.findElements(unserved).isEmpty());
        assertThat(browser.js("return window.__noReload === true")).as("alerts and backlog changed without a reload")
                .isEqualTo(true);

        // The paused job of the first steps, with one fire skipped by its concurrency policy.
        cluster.execute("INSERT INTO run (job_id, job_name, team, task_type, state, scheduled_at, finished_at, error)"
                + " SELECT id, name, team, task_type, 'SKIPPED', now() - interval '1 second', now(),"
                + " 'skipped by concurrency policy FORBID: run 1 is still RUNNING' FROM job WHERE id = " + jobId);
        browser.route("#/jobs/" + jobId);
        waitForView("job");
        String window = "(SELECT * FROM run WHERE job_id = " + jobId
                + " AND scheduled_at <= now() ORDER BY scheduled_at DESC, id DESC LIMIT 100) w";
        long runs = cluster.queryLong("SELECT count(*) FROM " + window);
        long p50 = cluster.queryLong("SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY"
                + " extract(epoch FROM started_at - scheduled_at) * 1000))::bigint FROM " + window + " WHERE started_at IS NOT NULL");
        long max = cluster.queryLong("SELECT round(max(extract(epoch FROM started_at - scheduled_at) * 1000))::bigint FROM "
                + window);
        assertThat(browser.text(By.cssSelector("#job-lateness [data-stat='runs']"))).isEqualTo(String.valueOf(runs));
        assertThat(browser.js("return Math.round(Number(document.querySelector(\"#job-lateness [data-stat='p50']\").dataset.ms))"))
                .as("lateness p50 of the last 100 runs, as the database computes it").isEqualTo(p50);
        assertThat(browser.js("return Math.round(Number(document.querySelector(\"#job-lateness [data-stat='max']\").dataset.ms))"))
                .isEqualTo(max);
        assertThat(browser.text(By.cssSelector("#job-lateness [data-stat='p50']"))).matches("\\d+(\\.\\d)? m?s");
        WebElement forbid = browser.visible(By.cssSelector("#skips-table tr[data-reason='concurrency policy FORBID']"));
        assertThat(forbid.getAttribute("data-count")).isEqualTo("1");
        assertThat(forbid.getText()).contains("run 1 is still RUNNING");
        browser.screenshot("16d-job-why-not");

        browser.route("#/overview");
        waitForView("overview");
        assertThat(browser.untilText(By.cssSelector("#alerts-table tr[data-kind='FIRE_SKIPPED']"), JOB))
                .as("the skipped fire raised an alert naming its job").contains("FIRE_SKIPPED");
    }

    @Test
    @Order(13)
    void theAuditLogNamesWhoDidWhat() {
        browser.route("#/audit");
        waitForView("audit");
        String audit = browser.text(By.id("audit-table"));
        assertThat(audit).contains("ada-admin").contains(JOB);
        browser.screenshot("17-audit");
    }

    @Test
    @Order(14)
    void aNarrowWindowStillShowsEveryPage() {
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        browser.route("#/overview");
        waitForView("overview");
        browser.untilText(By.id("leader"), "master-");
        Object overflow = browser.js("return document.documentElement.scrollWidth > window.innerWidth + 1");
        browser.screenshot("18-narrow-overview");
        browser.route("#/runs");
        waitForView("runs");
        browser.screenshot("19-narrow-runs");
        browser.driver.manage().window().setSize(new Dimension(1280, 900));
        assertThat(overflow).as("overview scrolls sideways at 390 px").isEqualTo(false);
    }

    @Test
    @Order(15)
    void aViewerSeesNoButtonsItMayNotPressAndTheApiRefusesItAnyway() {
        browser.click(By.id("signout"));
        signIn(cluster.viewerToken);
        assertThat(browser.text(By.id("who"))).contains("vic-viewer").contains("viewer");
        browser.route("#/jobs/" + jobId);
        waitForView("job");
        browser.visible(By.id("read-only"));
        for (String id : List.of("pause", "resume", "trigger", "edit", "delete")) {
            assertThat(browser.present(By.id(id))).as("viewer sees #" + id).isFalse();
        }
        browser.screenshot("20-viewer-job");
        browser.route("#/jobs");
        waitForView("jobs");
        assertThat(browser.present(By.id("new-job"))).isFalse();
        browser.route("#/runs");
        waitForView("runs");
        assertThat(browser.present(By.id("bulk-rerun"))).isFalse();
        browser.route("#/dead");
        waitForView("dead");
        assertThat(browser.present(By.cssSelector("button[data-rerun]"))).isFalse();
        long failedRun = countOrFail("SELECT min(id) FROM run WHERE state IN ('FAILED', 'DEAD')");
        browser.route("#/runs/" + failedRun);
        waitForView("run");
        assertThat(browser.present(By.id("rerun"))).isFalse();
        assertThat(browser.present(By.id("cancel"))).isFalse();
        browser.route("#/cluster");
        waitForView("cluster");
        assertThat(browser.present(By.id("failover"))).isFalse();
        browser.visible(By.id("failover-denied"));
        browser.screenshot("21-viewer-cluster");

        @SuppressWarnings("unchecked")
        Map<String, Object> refused = (Map<String, Object>) browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const h = {Authorization: 'Bearer ' + sessionStorage.getItem('rota.token'), 'Idempotency-Key': 'viewer-' + Date.now()};
                Promise.all([
                  fetch('/api/v1/jobs/' + arguments[0] + '/pause', {method: 'POST', headers: h}).then(r => r.status),
                  fetch('/api/v1/cluster/failover', {method: 'POST', headers: {...h, 'Idempotency-Key': 'viewer-f-' + Date.now()}}).then(r => r.status),
                  fetch('/api/v1/jobs/' + arguments[0], {headers: h}).then(r => r.status),
                ]).then(([pause, failover, read]) => done({pause, failover, read}));
                """, jobId);
        assertThat(refused).containsEntry("pause", 403L).containsEntry("failover", 403L).containsEntry("read", 200L);
    }

    @Test
    @Order(16)
    void aLoopbackOnlyApiWithoutTokensOpensTheOverviewWithoutASignIn() {
        try (ApiServer local = cluster.startInsecureLocalApi()) {
            browser.driver.get(local.url() + "/");
            waitForView("overview");
            assertThat(browser.text(By.id("who"))).contains("local").contains("admin");
            assertThat(browser.untilText(By.id("leader"), "master-")).isEqualTo(cluster.leader().id());
            browser.untilText(By.id("live"), "live");
            assertThat(browser.text(By.id("live"))).doesNotContain("reconnecting");
            browser.screenshot("22-insecure-local-overview");
        }
    }

    /** Signs in with the keyboard only: the token field has the focus, Enter submits. */
    private void signIn(String token) {
        browser.visible(By.id("token"));
        browser.until(d -> "token".equals(d.switchTo().activeElement().getAttribute("id")));
        browser.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        browser.driver.switchTo().activeElement().sendKeys(token, Keys.ENTER);
        waitForView("overview");
    }

    /** Waits until the app has rendered {@code view} for the current address (not a view left from before). */
    private void waitForView(String view) {
        browser.until(d -> browser.js("""
                const m = document.getElementById('main');
                return m.dataset.view === arguments[0] && m.dataset.hash === location.hash && m.dataset.ready !== undefined
                    ? m.dataset.ready : null;
                """, view));
        assertThat(browser.driver.findElement(By.id("main")).getAttribute("data-ready")).as("view " + view).isEqualTo("true");
    }

    private void type(String id, String text) {
        WebElement e = browser.visible(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    private long countOrFail(String sql) {
        try {
            return cluster.queryLong(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For each run the page showed SUCCEEDED: the time it appeared minus its finished_at (set just before the commit). */
    private void printCommitToScreenDelays() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.js("return window.__rotaSeen || {}");
        List<Long> delays = new ArrayList<>();
        for (long[] run : cluster.queryPairs("SELECT id, (extract(epoch FROM finished_at) * 1000)::bigint FROM run WHERE job_id = "
                + jobId + " AND state = 'SUCCEEDED'")) {
            Object at = seen.get(run[0] + ":SUCCEEDED");
            if (at != null) {
                delays.add(((Number) at).longValue() - run[1]);
            }
        }
        delays.sort(Long::compare);
        assertThat(delays).as("runs seen SUCCEEDED live").hasSizeGreaterThanOrEqualTo(2);
        long median = delays.get(delays.size() / 2);
        long max = delays.get(delays.size() - 1);
        System.out.printf("commit to screen (run finished_at to shown SUCCEEDED on the job page): n=%d, median %d ms,"
                + " max %d ms, all %s%n", delays.size(), median, max, delays);
        // Printed for the 1 s target; bounded loosely (see the paint figure) so that load cannot fail the build.
        assertThat(median).as("median commit-to-screen delay (ms)").isLessThan(5000);
    }
}
