package dev.rota.db;

import java.util.Objects;

/**
 * What an admin write is, for its {@code audit_event} row; the row's before and after are taken by the
 * write itself, in its transaction.
 *
 * @param actor  who (a token name, or {@code cli:<user>} for direct database access)
 * @param action what, e.g. {@code job.update}
 * @param target on what, e.g. {@code job:billing/invoice-sweep}
 * @param team   the target's team, or null for cluster-wide actions
 */
public record AuditEntry(String actor, String action, String target, String team) {
    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
    }
}
