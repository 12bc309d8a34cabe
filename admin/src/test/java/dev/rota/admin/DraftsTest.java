package dev.rota.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The admin layer's input rules: each refusal names the field (as the API spells it) and the limit. */
class DraftsTest {
    private static final JobDraft OK = JobDraft.of("nightly", "0 30 2 * * ?", "report");

    private static InvalidInputException refused(JobDraft draft) {
        return catchThrowableOfType(() -> Drafts.check(draft), InvalidInputException.class);
    }

    @Test
    void aCompleteDraftPasses() {
        Drafts.check(OK.withTeam("billing").withTimeZone("Europe/Paris").withPayload("{\"a\": [1, 2]}")
                .withRetry(5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1)).withTimeout(Duration.ofMinutes(5))
                .withPolicies("fire_all", 10, "forbid"));
    }

    @Test
    void eachFieldIsNamedWithItsRule() {
        assertThat(refused(OK.withCron("* * * *")).field()).isEqualTo("cron");
        assertThat(refused(OK.withCron(null)).getMessage()).isEqualTo("cron is required");
        assertThat(refused(OK.withTimeZone("Europe/Atlantis")).field()).isEqualTo("timeZone");
        assertThat(refused(OK.withTeam("no spaces")).field()).isEqualTo("team");
        assertThat(refused(JobDraft.of("x".repeat(201), "0 0 1 * * ?", "report")).getMessage())
                .isEqualTo("name must be 1 to 200 characters, was 201");
        assertThat(refused(OK.withPolicies("SOMETIMES", null, null)).getMessage())
                .contains("misfirePolicy 'SOMETIMES' is not one of [FIRE_ONCE, FIRE_ALL, SKIP]");
        assertThat(refused(OK.withPolicies(null, 0, null)).field()).isEqualTo("misfireLimit");
        assertThat(refused(OK.withRetry(1001, null, null, null)).getMessage())
                .isEqualTo("maxAttempts must be at most 1000, was 1001");
        assertThat(refused(OK.withRetry(null, null, 0.5, null)).field()).isEqualTo("retryMultiplier");
        assertThat(refused(OK.withTimeout(Duration.ZERO)).field()).isEqualTo("timeout");
    }

    @Test
    void payloadsAreJsonWithinTheLimit() {
        String big = "{\"s\":\"" + "x".repeat(262_144) + "\"}";
        assertThat(refused(OK.withPayload(big)).getMessage())
                .isEqualTo("payload is " + big.length() + " bytes of JSON; the limit is 262144 bytes (256 KiB)");
        assertThat(refused(OK.withPayload("{\"a\": }")).getMessage()).startsWith("payload is not valid JSON")
                .contains("line 1, column");
        assertThat(refused(OK.withPayload("{} {}")).getMessage())
                .startsWith("payload is not valid JSON: unexpected text after the JSON value");
    }

    @Test
    void tasksFollowTheSameRules() {
        assertThatThrownBy(() -> Drafts.check(TaskDraft.of("bad.type", "{}"))).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("task type 'bad.type' is invalid");
        assertThat(catchThrowableOfType(() -> Drafts.check(new TaskDraft(null, "noop", null, null, "", null, null, null,
                null, null)), InvalidInputException.class).field()).isEqualTo("idempotencyKey");
    }

    @Test
    void rolesIncludeTheWeakerOnes() {
        assertThat(Role.ADMIN.allows(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.allows(Role.ADMIN)).isFalse();
        assertThat(Role.VIEWER.allows(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.allows(Role.WORKER)).isTrue();
        assertThat(Role.WORKER.allows(Role.VIEWER)).as("a worker token reads only its settings").isFalse();
        assertThat(Role.parse("role", " Operator ")).isEqualTo(Role.OPERATOR);
        assertThat(Role.parse("role", "worker")).isEqualTo(Role.WORKER);
        assertThat(catchThrowableOfType(() -> Role.parse("role", "root"), InvalidInputException.class).getMessage())
                .isEqualTo("role 'root' is not a role: use worker, viewer, operator or admin");
        Principal worker = new Principal("php-worker", Role.WORKER, null);
        assertThat(worker.mayAct("default")).as("sees no team's jobs or runs").isFalse();
        assertThat(worker.visibleTeams()).isEmpty();
    }
}
