package io.runlight.hub.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The counts of a fleet-wide list, told honestly: a working-set reduction is claimed only
 * when no verdict is unknown; otherwise the counts say what is known, and when the unknown
 * verdicts become final if waiting is what they need.
 *
 * @param vulnerabilities distinct vulnerability ids
 * @param inUse of which in use
 * @param notInUse of which not in use
 * @param unknown of which unknown
 * @param workingSetReduction the share of vulnerabilities not in use (0..1), only when none is unknown
 * @param learningImages images whose profile is still learning and that hold an unknown verdict
 * @param observationLeft how much longer those images must be observed before their verdicts
 *        are final, when that is all the unknown verdicts wait for
 * @param finalAt when that observation ends if collectors keep reporting, likewise
 */
public record FleetSummary(int vulnerabilities, int inUse, int notInUse, int unknown, OptionalDouble workingSetReduction, int learningImages,
        Optional<Duration> observationLeft, Optional<Instant> finalAt)
{
    public FleetSummary
    {
        checkArgument(inUse + notInUse + unknown == vulnerabilities, "counts do not add up: " + inUse + " + " + notInUse + " + " + unknown + " != " + vulnerabilities);
        requireNonNull(workingSetReduction, "workingSetReduction is null");
        checkArgument(workingSetReduction.isEmpty() || unknown == 0, "a working-set reduction is claimed only when no verdict is unknown");
        requireNonNull(observationLeft, "observationLeft is null");
        requireNonNull(finalAt, "finalAt is null");
    }
}
