package dev.rota.cli;

import dev.rota.admin.Page;
import dev.rota.db.AuditEvent;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rota audit}: who changed what, newest first. */
@Command(name = "audit", header = "Show the audit log: every admin write, newest first.",
        description = "One line per write made through the CLI or the HTTP API: when, who (token name, or db:<user>"
                + " for direct database access), what and on which target. The API also returns the row before"
                + " and after. Times are UTC.",
        footerHeading = "%nExample:%n", footer = "  rota audit --limit 20")
final class AuditCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Most events shown, 1 to 500 (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Start after the previous page (its last line).")
    private String cursor;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() {
        Page<AuditEvent> page;
        try (AdminAccess.Session s = access.open(false)) {
            page = s.admin().audit(s.who(), cursor, limit);
        }
        PagedTable.print(spec.commandLine().getOut(), page, "no audit events", Table.of("WHEN", "WHO", "WHAT", "TARGET"),
                (table, e) -> table.row(e.at().truncatedTo(ChronoUnit.SECONDS), e.actor(), e.action(), e.target()));
        return 0;
    }
}
