package dev.rota.cli;

import dev.rota.db.ParkedMessages.Parked;
import dev.rota.db.RotaDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rota tasks parked}: messages the leader set aside, newest first. */
@Command(name = "parked",
        header = "List messages the leader set aside (malformed or refused results, unusable dead letters).",
        description = "One line per message in the parked_message table, newest first, with why it was set aside"
                + " and the start of its body (control characters escaped).")
final class TasksParkedCommand implements Callable<Integer> {
    /** Characters of a body shown; the full body stays in the table. */
    static final int BODY_PREVIEW = 80;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "How many to show (default: 50).")
    private int limit;

    @Mixin
    private DatabaseOptions database;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 10_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--limit must be between 1 and 10000, was " + limit);
        }
        List<Parked> parked;
        try (RotaDatabase db = database.open()) {
            parked = db.parked().recent(limit);
        }
        PagedTable.print(spec.commandLine().getOut(), parked, "no parked messages",
                Table.of("ID", "SOURCE", "PARKED_AT", "REASON", "BODY"), TasksParkedCommand::row);
        return 0;
    }

    private static void row(Table table, Parked p) {
        String body = new String(p.body(), StandardCharsets.UTF_8);
        table.row(p.id(), p.source(), p.createdAt(), escape(p.reason()),
                escape(body.length() > BODY_PREVIEW ? body.substring(0, BODY_PREVIEW) + "..." : body));
    }

    /** A line stays one line: control characters become escapes. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
