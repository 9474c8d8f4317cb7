package com.stops;

/** Says "exit" and "halt" in its names and strings, and stops nothing. */
public final class ExitCodes
{
    private final int exitCode;

    public ExitCodes(int exitCode)
    {
        this.exitCode = exitCode;
    }

    public int exitCode()
    {
        return exitCode;
    }

    public String describe()
    {
        return "halted with exit code " + exitCode;
    }
}
