package io.runlight.hub.cli;

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
                "Documentation: docs/ in the distribution, or https://github.com/runlight/runlight"},
        subcommands = {
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
                CommandLine.HelpCommand.class})
public final class RunlightCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /** The configured command line, with Runlight's error handling. */
    public static CommandLine commandLine()
    {
        CommandLine commandLine = new CommandLine(new RunlightCommand());
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
