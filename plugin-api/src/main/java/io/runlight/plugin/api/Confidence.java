package io.runlight.plugin.api;

/**
 * How directly the evidence ties a package to what ran, strongest first.
 */
public enum Confidence
{
    /** A file the package owns (per its package database or SBOM) was loaded. */
    FILE,
    /** A file under the package's own directory was loaded (npm, Composer, gems). */
    DIRECTORY,
    /** The package is compiled into a binary that ran (Go modules, Cargo crates). */
    BINARY,
    /** The package is nested in an archive that was loaded (a jar inside a fat jar). */
    NESTED
}
