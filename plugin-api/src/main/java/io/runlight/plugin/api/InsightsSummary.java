package io.runlight.plugin.api;

import static io.runlight.plugin.api.Preconditions.checkArgument;

/**
 * Counts for an image: the working-set reduction at a glance
 * ("140 vulnerabilities, 12 in use").
 *
 * @param packages packages in the image
 * @param packagesInUse of which in use
 * @param packagesNotInUse of which not in use
 * @param packagesUnknown of which unknown
 * @param vulnerabilities vulnerabilities (distinct id and package) in the image
 * @param vulnerabilitiesInUse of which in packages in use
 */
public record InsightsSummary(int packages, int packagesInUse, int packagesNotInUse, int packagesUnknown, int vulnerabilities, int vulnerabilitiesInUse)
{
    public InsightsSummary
    {
        checkArgument(packages >= 0 && packagesInUse >= 0 && packagesNotInUse >= 0 && packagesUnknown >= 0, "package counts must not be negative");
        checkArgument(packagesInUse + packagesNotInUse + packagesUnknown == packages,
                "package counts do not add up: " + packagesInUse + " + " + packagesNotInUse + " + " + packagesUnknown + " != " + packages);
        checkArgument(vulnerabilities >= 0 && vulnerabilitiesInUse >= 0 && vulnerabilitiesInUse <= vulnerabilities,
                "vulnerability counts are inconsistent: " + vulnerabilitiesInUse + " in use of " + vulnerabilities);
    }
}
