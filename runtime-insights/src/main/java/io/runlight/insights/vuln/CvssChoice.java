package io.runlight.insights.vuln;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * Picks the CVSS score a finding carries out of the several a report may give (one per
 * source and version): the highest version-3 base score, or, when there is none, the
 * highest score of any version. The first of equal candidates wins, so the result does
 * not depend on anything but document order.
 */
final class CvssChoice
{
    private double bestScore = -1;
    private boolean bestIsV3;
    private Optional<String> bestVector = Optional.empty();

    /**
     * Offers one score; returns whether it is now the chosen one.
     *
     * @param isV3 whether the score is a CVSS 3.x base score
     */
    boolean offer(double score, Optional<String> vector, boolean isV3)
    {
        requireNonNull(vector, "vector is null");
        boolean better = bestScore < 0
                || (isV3 && !bestIsV3)
                || (isV3 == bestIsV3 && score > bestScore);
        if (better) {
            bestScore = score;
            bestIsV3 = isV3;
            bestVector = vector;
        }
        return better;
    }

    OptionalDouble score()
    {
        return bestScore < 0 ? OptionalDouble.empty() : OptionalDouble.of(bestScore);
    }

    Optional<String> vector()
    {
        return bestVector;
    }

    /** Whether a version text names CVSS 3.x ({@code 3.0}, {@code 3.1}, {@code CVSSv3}, {@code CVSSv31}). */
    static boolean isVersion3(Optional<String> version)
    {
        return version.map(value -> value.startsWith("3") || value.toUpperCase(Locale.ROOT).startsWith("CVSSV3")).orElse(false);
    }
}
