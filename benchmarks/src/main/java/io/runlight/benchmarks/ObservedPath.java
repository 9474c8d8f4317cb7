package io.runlight.benchmarks;

import static java.util.Objects.requireNonNull;

/**
 * One path as a runtime source reports it, with the canonical path the generator derived
 * it from, so a benchmark can feed the raw form to the engine and the canonical form to a
 * baseline that does no normalisation.
 *
 * @param raw the path as an event carries it ({@code /proc/<pid>/root/...}, {@code /lib/...},
 *        {@code ... (deleted)}, or without the leading {@code /})
 * @param canonical the same path in the ownership index's canonical form
 * @param owned whether a package of the synthetic image owns the path
 */
public record ObservedPath(String raw, String canonical, boolean owned)
{
    public ObservedPath
    {
        requireNonNull(raw, "raw is null");
        requireNonNull(canonical, "canonical is null");
    }
}
