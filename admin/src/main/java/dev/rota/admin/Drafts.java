package dev.rota.admin;

import dev.rota.admin.internal.Validation;
import dev.rota.model.ClusterSettings;
import java.time.Instant;

/**
 * The admin layer's input rules, callable before connecting anywhere, so a command line can refuse bad
 * input at once. {@link Admin} applies the same rules again on every write.
 */
public final class Drafts {
    private static final Validation RULES = new Validation(ClusterSettings.DEFAULT_MAX_PAYLOAD_BYTES);

    private Drafts() {
    }

    /** @throws InvalidInputException naming the field and the rule or limit */
    public static void check(JobDraft draft) {
        RULES.job(draft);
    }

    /** @throws InvalidInputException naming the field and the rule or limit */
    public static void check(TaskDraft task) {
        RULES.task(task, Instant.EPOCH);
    }
}
