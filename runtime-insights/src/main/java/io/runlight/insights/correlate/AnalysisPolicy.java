package io.runlight.insights.correlate;

import java.time.Duration;

import io.runlight.insights.profile.ProfileLimits;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The knobs of the verdicts.
 *
 * @param learningWindow how long an image must be observed before "not in use" can be said (PT24H by default; zero: any event completes the profile)
 * @param dataOpensCount whether opening a data file (not code) makes its package in use (false by default: it is only "accessed")
 * @param maxEvidencePerPackage evidence records kept per package verdict, at least 1 (5 by default)
 * @param maxProcessesPerEvidence process examples kept per file and kind in a profile, at least 1 (3 by default)
 */
public record AnalysisPolicy(Duration learningWindow, boolean dataOpensCount, int maxEvidencePerPackage, int maxProcessesPerEvidence)
{
    /** A day of learning, data opens do not count, 5 evidence records of 3 processes each. */
    public static final AnalysisPolicy DEFAULT = new AnalysisPolicy(Duration.ofHours(24), false, 5, 3);

    public AnalysisPolicy
    {
        requireNonNull(learningWindow, "learningWindow is null");
        checkArgument(!learningWindow.isNegative(), "learningWindow must not be negative: " + learningWindow);
        checkArgument(maxEvidencePerPackage >= 1, "maxEvidencePerPackage must be at least 1: " + maxEvidencePerPackage);
        checkArgument(maxProcessesPerEvidence >= 1, "maxProcessesPerEvidence must be at least 1: " + maxProcessesPerEvidence);
    }

    /** The default policy with another learning window. */
    public static AnalysisPolicy withLearningWindow(Duration learningWindow)
    {
        return new AnalysisPolicy(learningWindow, DEFAULT.dataOpensCount, DEFAULT.maxEvidencePerPackage, DEFAULT.maxProcessesPerEvidence);
    }

    /** The profile bounds this policy implies. */
    public ProfileLimits profileLimits()
    {
        return new ProfileLimits(maxProcessesPerEvidence, ProfileLimits.DEFAULT.maxAccessedFiles());
    }
}
