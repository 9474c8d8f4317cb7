package io.runlight.plugin.api.connector;

import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Usage;

import static java.util.Objects.requireNonNull;

/**
 * One package whose verdict changed.
 *
 * @param purl the package
 * @param previous the verdict before
 * @param current the verdict now
 */
public record PackageUsageChange(Purl purl, Usage previous, Usage current)
{
    public PackageUsageChange
    {
        requireNonNull(purl, "purl is null");
        requireNonNull(previous, "previous is null");
        requireNonNull(current, "current is null");
    }
}
