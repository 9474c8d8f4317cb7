package io.runlight.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the build put the distribution (system properties set by the dist pom), and
 * how a user unpacks it: with {@code tar}, as the README says.
 */
final class Distribution
{
    private Distribution() {}

    /** The unpacked tree under {@code dist/target/runlight-<version>/}. */
    static Path unpackedTree()
    {
        return Path.of(property("runlight.dist.dir"));
    }

    /** {@code dist/target/runlight-<version>.tar.gz}. */
    static Path tarball()
    {
        return Path.of(property("runlight.dist.tarball"));
    }

    /** {@code runlight-<version>}: the tarball's top folder. */
    static String name()
    {
        return property("runlight.dist.name");
    }

    /** The repository's {@code examples/} folder with the sample fixtures. */
    static Path examples()
    {
        return Path.of(property("runlight.examples.dir"));
    }

    /** Unpacks the tarball into {@code folder} with the system's {@code tar} and returns the distribution's folder. */
    static Path unpack(Path folder)
            throws IOException, InterruptedException
    {
        Process tar = new ProcessBuilder(List.of("tar", "-xzf", tarball().toString(), "-C", folder.toString()))
                .redirectErrorStream(true)
                .start();
        if (!tar.waitFor(60, TimeUnit.SECONDS)) {
            tar.destroyForcibly();
            throw new IllegalStateException("tar did not unpack '" + tarball() + "' within 60 s");
        }
        String output = new String(tar.getInputStream().readAllBytes());
        if (tar.exitValue() != 0) {
            throw new IllegalStateException("tar could not unpack '" + tarball() + "' (exit " + tar.exitValue() + "): " + output);
        }
        Path home = folder.resolve(name());
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("the tarball has no top folder '" + name() + "'");
        }
        return home;
    }

    private static String property(String name)
    {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property '" + name + "' is not set: run these tests through Maven (mvn -pl dist -am verify)");
        }
        return value;
    }
}
