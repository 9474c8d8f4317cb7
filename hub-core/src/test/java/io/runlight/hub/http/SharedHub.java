package io.runlight.hub.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import static java.util.Objects.requireNonNull;

/**
 * One running hub for every test class of this JVM that needs a hub with the default
 * settings ({@link RunningHub#start(Path, Clock)}: learning window 0, the system clock) and
 * nothing else of its own. A class declares {@code @ExtendWith(SharedHub.class)} and takes
 * the {@link RunningHub} as a parameter of its {@code @BeforeAll} method; it never closes
 * it. The hub is started by the first class that asks, kept in the root context's store,
 * and closed, its data folder deleted, after the last test of the JVM.
 *
 * <p>A hub start costs a second or two (Hazelcast, the H2 file, TLS material, Vert.x), so
 * sharing one keeps the fast test set fast. Classes that share it stay independent only if
 * each keeps to data of its own: its own names, integration ids and image digests, and no
 * assertion on what the whole hub holds (listings without a filter, map sizes, absolute
 * metric values). Refused credentials count towards the hub's limit of failed attempts from
 * one address ({@code FailedAttemptLimiter}, 10 a minute): a class that sends more than a
 * few, that changes settings or the clock, or that restarts the hub starts its own.
 */
final class SharedHub
        implements ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedHub.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
    {
        return parameter.getParameter().getType() == RunningHub.class;
    }

    @Override
    public RunningHub resolveParameter(ParameterContext parameter, ExtensionContext context)
    {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Started.class, ignored -> Started.start(), Started.class)
                .hub();
    }

    /** The hub and its folder; the root store closes it at the end of the run. */
    private record Started(RunningHub hub, Path folder)
            implements AutoCloseable
    {
        Started
        {
            requireNonNull(hub, "hub is null");
            requireNonNull(folder, "folder is null");
        }

        static Started start()
        {
            Path folder;
            try {
                folder = Files.createTempDirectory("runlight-shared-hub-");
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot make a folder for the shared hub", e);
            }
            return new Started(RunningHub.start(folder, Clock.systemUTC()), folder);
        }

        @Override
        public void close()
                throws IOException
        {
            try {
                hub.close();
            }
            finally {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }
}
