package io.runlight.hub.cli;

import io.runlight.hub.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one or two plain sentences on stderr and exit
 * code 1 (2 for an invalid configuration). The stack trace is printed only with {@code RUNLIGHT_DEBUG=1}: a user needs
 * to know what failed and what to do, not where in our code it happened.
 */
final class CliExceptionHandler
        implements IExecutionExceptionHandler
{
    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult)
    {
        String message = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        commandLine.getErr().println("runlight: " + message);
        if ("1".equals(System.getenv("RUNLIGHT_DEBUG"))) {
            exception.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        // a configuration that does not validate is bad usage, like a bad flag
        return exception instanceof ConfigException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
    }
}
