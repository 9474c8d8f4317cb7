package io.runlight.hub.cli;

import io.runlight.hub.RunlightVersion;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: Runlight's version and the Java runtime it runs on.
 */
public final class VersionLines
        implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new String[] {
                "runlight " + RunlightVersion.current(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
