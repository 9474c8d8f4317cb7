package io.runlight.insights.vuln;

import io.runlight.plugin.api.Vulnerability;

import static java.util.Objects.requireNonNull;

/**
 * One vulnerability reported for one package.
 *
 * @param vulnerability the vulnerability
 * @param pkg the package it affects
 */
public record Finding(Vulnerability vulnerability, PackageCoordinates pkg)
{
    public Finding
    {
        requireNonNull(vulnerability, "vulnerability is null");
        requireNonNull(pkg, "pkg is null");
    }
}
