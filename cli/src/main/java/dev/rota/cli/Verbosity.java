package dev.rota.cli;

import picocli.CommandLine.ParseResult;

/** Whether {@code --verbose} was given anywhere on the command line (it is inherited by every subcommand). */
final class Verbosity {
    static final String OPTION = "--verbose";

    private Verbosity() {
    }

    static boolean requested(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(OPTION)) {
                return true;
            }
        }
        return false;
    }
}
