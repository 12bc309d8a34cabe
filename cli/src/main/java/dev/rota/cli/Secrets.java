package dev.rota.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Secrets come from the environment or from files, never from the command line, where every local
 * user can read them (in {@code ps} and {@code /proc}). The secret options exist only so that their
 * environment variables work like every other option's; typing one refuses to run.
 */
final class Secrets {
    /** Options whose value is a secret; their environment variable or a {@code -file} option gives them. */
    static final Set<String> SECRET_OPTIONS = Set.of("--db-password", "--amqp-password", "--zk-auth",
            "--zk-tls-truststore-password");
    /** {@code scheme://user:password@}: a URI carrying a password. */
    private static final Pattern URI_WITH_PASSWORD = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]*:[^/@]*@.*");

    private Secrets() {
    }

    /**
     * @throws ParameterException naming the option when a secret was given on the command line
     */
    static void refuseOnCommandLine(ParseResult parseResult) {
        for (CommandLine command : parseResult.asCommandLineList()) {
            ParseResult pr = command.getParseResult();
            for (OptionSpec option : pr.matchedOptions()) {
                if (SECRET_OPTIONS.contains(option.longestName())) {
                    throw new ParameterException(command, option.longestName() + " is not accepted on the command"
                            + " line, where every local user can read it; set " + envOf(option)
                            + " or give a file with " + option.longestName() + "-file");
                }
                List<String> values = option.originalStringValues();
                if (option.longestName().endsWith("-url") && values.stream().anyMatch(v -> v.contains("password="))) {
                    throw new ParameterException(command, option.longestName() + " carries a password, which every"
                            + " local user can read on the command line; set " + envOf(option)
                            + " instead, or use --db-password-file");
                }
                if (option.longestName().endsWith("-uri") && values.stream().anyMatch(v -> URI_WITH_PASSWORD.matcher(v).matches())) {
                    throw new ParameterException(command, option.longestName() + " carries a password, which every"
                            + " local user can read on the command line; set " + envOf(option)
                            + " instead, or give the URI without the password and the password with --amqp-password-file");
                }
            }
        }
    }

    private static String envOf(OptionSpec option) {
        String variable = EnvironmentDefaults.variableOf(option);
        return variable == null ? "its environment variable" : variable;
    }

    /**
     * The secret in {@code file} (one line; a trailing newline is dropped) when a file is given, else
     * {@code fromEnvironment}.
     *
     * @throws IllegalArgumentException naming the option and the file when it cannot be read
     */
    static String fromFileOr(String option, Path file, String fromEnvironment) {
        if (file == null) {
            return fromEnvironment;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
