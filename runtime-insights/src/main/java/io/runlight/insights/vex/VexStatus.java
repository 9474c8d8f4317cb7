package io.runlight.insights.vex;

/**
 * What a statement says about a (vulnerability, package) of an image.
 */
enum VexStatus
{
    /** The package was not loaded during a complete observation. */
    NOT_AFFECTED,
    /** The package is loaded at run time. */
    AFFECTED,
    /** Not enough observation to tell. */
    UNDER_INVESTIGATION
}
