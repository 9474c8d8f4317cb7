package io.runlight.hub.cli;

/**
 * The {@code runlight} executable's entry point.
 */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        System.exit(RunlightCommand.forArguments(args).execute(args));
    }
}
