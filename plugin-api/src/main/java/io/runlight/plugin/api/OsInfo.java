package io.runlight.plugin.api;

import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * The operating system an OS package was built for.
 *
 * @param family the distribution id, for example {@code alpine}, {@code debian}, {@code rhel}, {@code amzn}
 * @param version the distribution version, for example {@code 3.17.2} or {@code 12}
 * @param arch the package architecture, for example {@code x86_64} or {@code amd64}, if known
 */
public record OsInfo(String family, String version, Optional<String> arch)
{
    public OsInfo
    {
        requireNonBlank(family, "family");
        requireNonNull(version, "version is null");
        requireNonNull(arch, "arch is null");
    }

    /** A copy with the given architecture. */
    public OsInfo withArch(String newArch)
    {
        return new OsInfo(family, version, Optional.of(newArch));
    }
}
