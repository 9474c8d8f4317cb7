package io.runlight.plugin.api;

/**
 * Runlight's verdict on whether a package (and so its vulnerabilities) is loaded at run time.
 */
public enum Usage
{
    /** A file the package owns was executed, memory-mapped or opened as code. */
    IN_USE,
    /** No file of the package was loaded during a complete observation window. */
    NOT_IN_USE,
    /**
     * Runlight cannot say: the profile is still learning or absent, the SBOM records no files
     * the package owns, or no source that observed the image could have seen its kind of use.
     * {@link PackageInsight#reason()} says which.
     */
    UNKNOWN
}
