package io.runlight.hub.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code runlight} command. Without a subcommand it prints its usage
 * and exits with 2 (bad usage), as picocli does for any other usage error.
 */
@Command(
        name = "runlight",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = {
                "Runtime Insights hub: of the vulnerabilities in your images, which are in packages that actually run.",
                ""},
        footer = {
                "",
                "Exit codes: 0 success, 1 the job failed, 2 bad usage.",
                "Documentation: docs/ in the distribution, or https://github.com/runlight/runlight"})
public final class RunlightCommand
        implements Callable<Integer>
{
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            AnalyzeCommand.class,
            ServeCommand.class,
            DemoCommand.class,
            AdminTokenCommand.class,
            TokenCommand.class,
            IntegrationCommand.class,
            PluginCommand.class,
            IngestCommand.class,
            SbomCommand.class,
            AgentCommand.class,
            VulnsCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    private CommandSpec spec;

    /** The configured command line with every subcommand, with Runlight's error handling. */
    public static CommandLine commandLine()
    {
        return commandLine(SUBCOMMANDS);
    }

    /**
     * The command line that runs {@code arguments}: when they start with a subcommand's name, the
     * top command with that subcommand alone, otherwise with all of them (usage, help, a mistyped
     * name). Picocli builds each command's model by reflection, and building all of them took a
     * third of the main thread's work in a hub start.
     */
    public static CommandLine forArguments(String... arguments)
    {
        if (arguments.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                String name = subcommand.getAnnotation(Command.class).name();
                if (name.equals(arguments[0]) && subcommand != CommandLine.HelpCommand.class) {
                    return commandLine(List.of(subcommand));
                }
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(List<Class<?>> subcommands)
    {
        CommandLine commandLine = new CommandLine(new RunlightCommand());
        subcommands.forEach(commandLine::addSubcommand);
        // after the subcommands: picocli gives the handler to those present when it is set
        commandLine.setExecutionExceptionHandler(new CliExceptionHandler());
        return commandLine;
    }

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
