package io.runlight.hub.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * Runlight's version, as the build recorded it.
 */
public final class RunlightVersion
        implements IVersionProvider
{
    private static final String RESOURCE = "/io/runlight/hub/version.properties";

    /** The version, for example {@code 0.1.0}. */
    public static String current()
    {
        try (InputStream in = RunlightVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource '" + RESOURCE + "' is missing from the hub-core jar: rebuild Runlight");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException("resource '" + RESOURCE + "' was not filtered by the build: rebuild Runlight with Maven");
            }
            return version;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + RESOURCE + "'", e);
        }
    }

    @Override
    public String[] getVersion()
    {
        return new String[] {
                "runlight " + current(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
