package dev.rota.admin.internal;

import dev.rota.admin.AlertRuleDraft;
import dev.rota.admin.CreatedAlertRule;
import dev.rota.admin.ForbiddenException;
import dev.rota.admin.InvalidInputException;
import dev.rota.admin.NotFoundException;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.db.AlertDelivery;
import dev.rota.db.AlertKind;
import dev.rota.db.AlertRule;
import dev.rota.db.AlertRuleSpec;
import dev.rota.db.Alerts;
import dev.rota.db.AuditEntry;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Alert rules and deliveries for the admin facade: a team's admins make and remove its rules (rules for every
 * team need an admin of every team), its viewers list them and their deliveries; each write is audited.
 */
final class AlertAdmin {
    static final int MAX_URL_LENGTH = 2000;
    static final int MIN_SECRET_LENGTH = 16;
    static final int MAX_SECRET_LENGTH = 200;
    static final Duration MAX_LATE_AFTER = Duration.ofDays(7);
    static final Duration MIN_LEADERLESS_AFTER = Duration.ofSeconds(1);
    static final Duration MAX_LEADERLESS_AFTER = Duration.ofDays(1);

    private final Alerts alerts;
    private final SecureRandom random = new SecureRandom();

    AlertAdmin(Alerts alerts) {
        this.alerts = alerts;
    }

    CreatedAlertRule create(Principal who, AlertRuleDraft d) {
        if (d.team() == null) {
            Guard.requireAllTeams(who, Role.ADMIN, "create alert rules for every team");
        } else {
            Guard.require(who, Role.ADMIN, "create alert rules", Validation.name("team", d.team()));
        }
        String jobName = d.jobName() == null || d.jobName().isEmpty() ? null : d.jobName();
        if (jobName != null && jobName.length() > Validation.MAX_NAME_LENGTH) {
            throw new InvalidInputException("jobName", "jobName must be at most " + Validation.MAX_NAME_LENGTH
                    + " characters, was " + jobName.length());
        }
        Set<AlertKind> kinds = kinds(d.kinds());
        Duration lateAfter = threshold("lateAfter", kinds.contains(AlertKind.FIRE_LATE), "FIRE_LATE",
                "how late a fire may start before it is reported", d.lateAfter(), Duration.ofMillis(1), MAX_LATE_AFTER);
        Duration leaderlessAfter = threshold("leaderlessAfter", kinds.contains(AlertKind.NO_LEADER), "NO_LEADER",
                "how long the cluster may be without a leader", d.leaderlessAfter(), MIN_LEADERLESS_AFTER,
                MAX_LEADERLESS_AFTER);
        String secret = d.secret() == null ? HexFormat.of().formatHex(randomBytes()) : secret(d.secret());
        AlertRule rule = alerts.createRule(new AlertRuleSpec(d.team(), jobName, kinds, url(d.url()), secret, lateAfter,
                leaderlessAfter),
                new AuditEntry(who.name(), "alert.create", "alert-rule:" + (d.team() == null ? "*" : d.team()) + "/"
                        + (jobName == null ? "*" : jobName), d.team()));
        return new CreatedAlertRule(rule, secret);
    }

    List<AlertRule> rules(Principal who, String team) {
        Guard.require(who, Role.VIEWER, "list alert rules");
        return alerts.rules(DefaultAdmin.teams(who, team));
    }

    AlertRule delete(Principal who, long id) {
        AlertRule rule = alerts.rule(id).filter(r -> visible(who, r))
                .orElseThrow(() -> new NotFoundException("no alert rule with id " + id));
        if (rule.team() == null) {
            Guard.requireAllTeams(who, Role.ADMIN, "delete alert rules for every team");
        } else {
            Guard.require(who, Role.ADMIN, "delete alert rules", rule.team());
        }
        return alerts.deleteRule(id, new AuditEntry(who.name(), "alert.delete", "alert-rule:" + id, rule.team()))
                .orElseThrow(() -> new NotFoundException("no alert rule with id " + id));
    }

    List<AlertDelivery> deliveries(Principal who, Long ruleId, Integer limit) {
        Guard.require(who, Role.VIEWER, "list alert deliveries");
        int n = Validation.limit(limit);
        if (ruleId != null) {
            alerts.rule(ruleId).filter(r -> visible(who, r))
                    .orElseThrow(() -> new NotFoundException("no alert rule with id " + ruleId));
        }
        return alerts.deliveries(who.visibleTeams(), ruleId, n);
    }

    private static boolean visible(Principal who, AlertRule r) {
        return who.allTeams() || who.team().equals(r.team());
    }

    private static Set<AlertKind> kinds(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new InvalidInputException("kinds", "kinds must name at least one of " + EnumSet.allOf(AlertKind.class));
        }
        Set<AlertKind> kinds = EnumSet.noneOf(AlertKind.class);
        for (String n : names) {
            kinds.add(Validation.constant("kinds", AlertKind.class, Validation.required("kinds", n)));
        }
        return kinds;
    }

    /** A kind's threshold: required with the kind, refused without it (it would mean nothing), within limits. */
    private static Duration threshold(String field, boolean wanted, String kind, String meaning, Duration value,
            Duration min, Duration max) {
        if (value == null) {
            if (wanted) {
                throw new InvalidInputException(field, field + " is required with " + kind + ": " + meaning);
            }
            return null;
        }
        if (!wanted) {
            throw new InvalidInputException(field, field + " applies to " + kind + " only, which kinds does not list");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidInputException(field, field + " must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }

    private static String url(String url) {
        Validation.required("url", url);
        if (url.length() > MAX_URL_LENGTH) {
            throw new InvalidInputException("url", "url must be at most " + MAX_URL_LENGTH + " characters, was "
                    + url.length());
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidInputException("url", "url must be an absolute http:// or https:// URL with a host,"
                        + " was '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url", "url is not a URL: " + e.getMessage());
        }
        return url;
    }

    private static String secret(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH) {
            throw new InvalidInputException("secret", "secret must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH
                    + " characters, was " + secret.length());
        }
        return secret;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }
}
