package io.runlight.plugin.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The observation behind a set of verdicts.
 *
 * @param state none, learning or complete
 * @param containers how many containers contributed observations
 * @param observedFor how long observation has lasted (first to last event)
 * @param firstSeen the first observation, if any
 * @param lastSeen the last observation, if any
 */
public record ProfileSummary(ProfileState state, int containers, Duration observedFor, Optional<Instant> firstSeen, Optional<Instant> lastSeen)
{
    /** No observation at all. */
    public static final ProfileSummary NONE = new ProfileSummary(ProfileState.NONE, 0, Duration.ZERO, Optional.empty(), Optional.empty());

    public ProfileSummary
    {
        requireNonNull(state, "state is null");
        checkArgument(containers >= 0, "containers must not be negative: " + containers);
        requireNonNull(observedFor, "observedFor is null");
        checkArgument(!observedFor.isNegative(), "observedFor must not be negative: " + observedFor);
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
    }
}
