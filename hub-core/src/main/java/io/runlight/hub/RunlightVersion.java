package io.runlight.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Runlight's version, as the build recorded it in {@code version.properties} beside this
 * class. It sits at the root of the hub so that the server and the CLI both read it
 * without one depending on the other.
 */
public final class RunlightVersion
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

    private RunlightVersion() {}
}
