package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import io.runlight.hub.RunlightVersion;

import static org.assertj.core.api.Assertions.assertThat;

class TestRunlightCommand
{
    @Test
    void versionPrintsTheBuildVersion()
    {
        Result result = run("--version");

        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.out()).startsWith("runlight " + RunlightVersion.current() + "\n");
        assertThat(RunlightVersion.current()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void helpDescribesTheCommandAndExitCodes()
    {
        Result result = run("--help");

        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.out())
                .contains("Usage: runlight")
                .contains("-V, --version")
                .contains("Exit codes: 0 success, 1 the job failed, 2 bad usage.");
    }

    @Test
    void noSubcommandIsBadUsage()
    {
        Result result = run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Usage: runlight");
    }

    @Test
    void unknownOptionIsBadUsageWithOneSentence()
    {
        Result result = run("--no-such-option");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Unknown option: '--no-such-option'");
    }

    @Test
    void aSubcommandRunsWithOnlyItselfBuiltAndReadsTheSame()
    {
        CommandLine serveOnly = RunlightCommand.forArguments("serve", "--help");

        assertThat(serveOnly.getSubcommands()).containsOnlyKeys("serve");
        assertThat(run(serveOnly, "serve", "--help")).isEqualTo(run(RunlightCommand.commandLine(), "serve", "--help"));
        assertThat(run(RunlightCommand.forArguments("token", "create", "--bogus"), "token", "create", "--bogus"))
                .isEqualTo(run(RunlightCommand.commandLine(), "token", "create", "--bogus"));
    }

    @Test
    void helpUsageAndAMistypedNameGetEveryCommand()
    {
        assertThat(RunlightCommand.forArguments().getSubcommands()).hasSameSizeAs(RunlightCommand.commandLine().getSubcommands());
        assertThat(RunlightCommand.forArguments("help", "serve").getSubcommands()).containsKeys("serve", "token", "help");

        Result mistyped = run(RunlightCommand.forArguments("serv"), "serv");
        assertThat(mistyped.exitCode()).isEqualTo(2);
        assertThat(mistyped.err()).contains("Did you mean: runlight serve");
    }

    private static Result run(String... args)
    {
        return run(RunlightCommand.commandLine(), args);
    }

    private static Result run(CommandLine commandLine, String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
