package io.runlight.plugin.api;

import java.util.List;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The verdict for one package, with the evidence behind it.
 *
 * @param pkg the package
 * @param usage in use, not in use or unknown
 * @param confidence how directly the evidence ties the package to what ran; present when in use
 * @param evidence a bounded sample of the observations (files loaded, and files only accessed)
 */
public record PackageInsight(InstalledPackage pkg, Usage usage, Optional<Confidence> confidence, List<Evidence> evidence)
{
    public PackageInsight
    {
        requireNonNull(pkg, "pkg is null");
        requireNonNull(usage, "usage is null");
        requireNonNull(confidence, "confidence is null");
        evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
        checkArgument(confidence.isPresent() == (usage == Usage.IN_USE), "confidence is given exactly when the package is in use");
    }

    /** Whether a file of the package was opened without that counting as a load. */
    public boolean accessed()
    {
        return evidence.stream().anyMatch(item -> item.kind() == EvidenceKind.OPEN);
    }
}
