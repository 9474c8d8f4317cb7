package io.runlight.insights.vex;

import java.time.Instant;
import java.util.Optional;

import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Vulnerability;

import static java.util.Objects.requireNonNull;

/**
 * One verdict to state, independent of the VEX format that states it.
 *
 * @param vulnerability the vulnerability
 * @param purl the affected package
 * @param packageName the package's name
 * @param packageVersion the package's version ({@code ""} when unknown)
 * @param status what is stated
 * @param explanation the impact statement (not affected), action statement (affected) or status notes (under investigation)
 * @param timestamp when the evidence was last updated (the profile's last event), if known
 */
record VexStatement(Vulnerability vulnerability, Purl purl, String packageName, String packageVersion, VexStatus status, String explanation, Optional<Instant> timestamp)
{
    VexStatement
    {
        requireNonNull(vulnerability, "vulnerability is null");
        requireNonNull(purl, "purl is null");
        requireNonNull(packageName, "packageName is null");
        requireNonNull(packageVersion, "packageVersion is null");
        requireNonNull(status, "status is null");
        requireNonNull(explanation, "explanation is null");
        requireNonNull(timestamp, "timestamp is null");
    }
}
