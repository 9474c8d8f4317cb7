package io.runlight.plugin.api;

/**
 * How far runtime observation of an image or container has got.
 */
public enum ProfileState
{
    /** Nothing observed yet. */
    NONE,
    /** Observed for less than the learning window: only "in use" verdicts can be given. */
    LEARNING,
    /** Observed for at least the learning window: "not in use" verdicts can be given. */
    COMPLETE
}
