package io.runlight.insights.input;

import static io.runlight.plugin.api.Preconditions.checkArgument;

/**
 * Bounds every reader enforces, so hostile input cannot exhaust memory or stack.
 *
 * @param maxDocumentBytes the largest document accepted
 * @param maxNestingDepth the deepest JSON nesting accepted
 * @param maxStringLength the longest JSON string (or NDJSON line) accepted, in characters
 * @param maxItems the most packages, files, findings or events in one document
 */
public record InputLimits(long maxDocumentBytes, int maxNestingDepth, int maxStringLength, int maxItems)
{
    /** Large enough for a 200 MB SBOM of a fat image, small enough to refuse abuse. */
    public static final InputLimits DEFAULT = new InputLimits(512L * 1024 * 1024, 64, 4 * 1024 * 1024, 5_000_000);

    public InputLimits
    {
        checkArgument(maxDocumentBytes > 0, "maxDocumentBytes must be positive: " + maxDocumentBytes);
        checkArgument(maxNestingDepth >= 8, "maxNestingDepth must be at least 8: " + maxNestingDepth);
        checkArgument(maxStringLength >= 1024, "maxStringLength must be at least 1024: " + maxStringLength);
        checkArgument(maxItems > 0, "maxItems must be positive: " + maxItems);
    }
}
