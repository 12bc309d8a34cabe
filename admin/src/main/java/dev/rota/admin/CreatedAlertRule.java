package dev.rota.admin;

import dev.rota.db.AlertRule;

/** A new alert rule and its signing secret, which is shown here once and never listed again. */
public record CreatedAlertRule(AlertRule rule, String secret) {
    @Override
    public String toString() {
        return "CreatedAlertRule[" + rule + ", secret=(hidden)]";
    }
}
