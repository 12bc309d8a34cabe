package dev.rota.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} for subcommands; the version option stays on {@code rota} itself. */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean requested;
}
