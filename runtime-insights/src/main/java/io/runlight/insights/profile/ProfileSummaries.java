package io.runlight.insights.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The learning-window rule: a profile is {@link ProfileState#NONE} without events,
 * {@link ProfileState#COMPLETE} once {@code asOf - firstSeen >= learningWindow}, and
 * {@link ProfileState#LEARNING} before that. {@code asOf} is a parameter, never the
 * clock: the CLI passes the last event's time, the hub its own clock. With a learning
 * window of zero any event makes the profile complete.
 */
public final class ProfileSummaries
{
    private ProfileSummaries() {}

    /**
     * The summary of an observation.
     *
     * @param containers how many containers contributed
     * @param asOf the time the verdicts are given for
     * @param learningWindow how long a profile must be observed before "not in use" can be said
     */
    public static ProfileSummary summarize(Optional<Instant> firstSeen, Optional<Instant> lastSeen, int containers, Instant asOf, Duration learningWindow)
    {
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        requireNonNull(asOf, "asOf is null");
        requireNonNull(learningWindow, "learningWindow is null");
        checkArgument(!learningWindow.isNegative(), "learningWindow must not be negative: " + learningWindow);
        if (firstSeen.isEmpty()) {
            return ProfileSummary.NONE;
        }
        Duration observedFor = Duration.between(firstSeen.get(), asOf);
        if (observedFor.isNegative()) {
            observedFor = Duration.ZERO;
        }
        ProfileState state = observedFor.compareTo(learningWindow) >= 0 ? ProfileState.COMPLETE : ProfileState.LEARNING;
        return new ProfileSummary(state, containers, observedFor, firstSeen, lastSeen);
    }
}
