package dev.rota.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports failures as one line on stderr, {@code rota: <what went wrong>}, with a stack trace only under
 * {@code --verbose}. Exit codes: 2 for a bad command line (also when a command rejects a value after
 * parsing, by throwing {@link ParameterException}), 1 for everything else.
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int EXIT_FAILED = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult fullParseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("rota: " + dev.rota.model.Printable.escape(Errors.describe(ex)));
        if (Verbosity.requested(fullParseResult)) {
            ex.printStackTrace(err);
        }
        if (ex instanceof dev.rota.admin.InvalidInputException) {
            // the admin layer refused a value: a usage error, like one picocli finds
            err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        }
        err.flush();
        return EXIT_FAILED;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("rota: " + dev.rota.model.Printable.escape(Errors.describe(ex)));
        UnmatchedArgumentException.printSuggestions(ex, err);
        if (Verbosity.requested(commandLine.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
