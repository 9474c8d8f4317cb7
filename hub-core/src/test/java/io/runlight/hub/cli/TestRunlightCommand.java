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

    private static Result run(String... args)
    {
        CommandLine commandLine = RunlightCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
