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
 * @param reason why the verdict is unknown, for a person ("no source that observed this image
 *        sees code opens: ..."); only for {@link Usage#UNKNOWN}, and absent in insights written
 *        before reasons were recorded
 */
public record PackageInsight(InstalledPackage pkg, Usage usage, Optional<Confidence> confidence, List<Evidence> evidence, Optional<String> reason)
{
    public PackageInsight
    {
        requireNonNull(pkg, "pkg is null");
        requireNonNull(usage, "usage is null");
        requireNonNull(confidence, "confidence is null");
        evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
        requireNonNull(reason, "reason is null");
        checkArgument(confidence.isPresent() == (usage == Usage.IN_USE), "confidence is given exactly when the package is in use");
        checkArgument(reason.isEmpty() || usage == Usage.UNKNOWN, "a reason is given only for an unknown verdict");
        checkArgument(reason.isEmpty() || !reason.get().isBlank(), "reason is blank");
    }

    /** A verdict without a reason: in use, not in use, or unknown for no recorded reason. */
    public PackageInsight(InstalledPackage pkg, Usage usage, Optional<Confidence> confidence, List<Evidence> evidence)
    {
        this(pkg, usage, confidence, evidence, Optional.empty());
    }

    /** Whether a file of the package was opened without that counting as a load. */
    public boolean accessed()
    {
        return evidence.stream().anyMatch(item -> item.kind() == EvidenceKind.OPEN);
    }
}
