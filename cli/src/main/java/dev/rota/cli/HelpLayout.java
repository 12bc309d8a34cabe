package dev.rota.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/** One help layout for every command: headings, blank lines between sections, wrapping to the terminal. */
final class HelpLayout {
    private HelpLayout() {
    }

    static void apply(CommandLine commandLine) {
        UsageMessageSpec usage = commandLine.getCommandSpec().usageMessage();
        usage.autoWidth(true);
        usage.synopsisHeading("%nUsage: ");
        usage.descriptionHeading("%n");
        usage.parameterListHeading("%nArguments:%n");
        usage.optionListHeading("%nOptions:%n");
        usage.commandListHeading("%nCommands:%n");
        usage.sortOptions(false);
        usage.abbreviateSynopsis(commandLine.getCommandSpec().options().size() > 8);
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            apply(sub);
        }
    }
}
