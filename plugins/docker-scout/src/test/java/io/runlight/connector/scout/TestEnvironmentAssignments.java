package io.runlight.connector.scout;

import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Usage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform sent with {@code setStreamImages}: SBOM readers give the image's OS
 * without an architecture, so it comes from the OS packages.
 */
final class TestEnvironmentAssignments
{
    @Test
    void theArchitectureComesFromThePackagesWhenTheImageNamesNone()
    {
        ImageInsights alpine = AlpineFixture.insights(ProfileState.COMPLETE, Usage.NOT_IN_USE);
        assertThat(alpine.os()).contains(AlpineFixture.IMAGE_OS);

        assertThat(EnvironmentAssignments.architecture(alpine)).contains("x86_64");
        assertThat(EnvironmentAssignments.scoutArchitecture("x86_64")).isEqualTo("amd64");
    }

    @Test
    void theImagesOwnArchitectureWins()
    {
        ImageInsights alpine = AlpineFixture.insights(ProfileState.COMPLETE, Usage.NOT_IN_USE);

        assertThat(EnvironmentAssignments.architecture(withOs(alpine, Optional.of(new OsInfo("alpine", "3.17.2", Optional.of("aarch64")))))).contains("aarch64");
    }

    @Test
    void theMostCommonPackageArchitectureCountsAndNoarchSaysNothing()
    {
        ImageInsights alpine = AlpineFixture.insights(ProfileState.COMPLETE, Usage.NOT_IN_USE);
        OsInfo noarch = new OsInfo("rhel", "9", Optional.of("noarch"));
        OsInfo aarch64 = new OsInfo("rhel", "9", Optional.of("aarch64"));
        List<PackageInsight> packages = List.of(
                notInUse(InstalledPackage.osPackage(PackageType.RPM, "tzdata", "2024a-1.el9", noarch)),
                notInUse(InstalledPackage.osPackage(PackageType.RPM, "python3-setuptools", "53.0.0-12.el9", noarch)),
                notInUse(InstalledPackage.osPackage(PackageType.RPM, "bash", "5.1.8-9.el9", aarch64)));

        assertThat(EnvironmentAssignments.architecture(withPackages(alpine, packages))).contains("aarch64");
        assertThat(EnvironmentAssignments.architecture(withPackages(alpine, packages.subList(0, 2)))).isEmpty();
        assertThat(EnvironmentAssignments.architecture(withPackages(alpine, List.of()))).isEmpty();
    }

    private static PackageInsight notInUse(InstalledPackage pkg)
    {
        return new PackageInsight(pkg, Usage.NOT_IN_USE, Optional.empty(), List.of());
    }

    private static ImageInsights withOs(ImageInsights image, Optional<OsInfo> os)
    {
        return new ImageInsights(image.digest(), image.aliases(), image.names(), os, image.profile(), image.summary(), image.packages(), image.vulnerabilities());
    }

    private static ImageInsights withPackages(ImageInsights image, List<PackageInsight> packages)
    {
        return new ImageInsights(image.digest(), image.aliases(), image.names(), image.os(), image.profile(), image.summary(), packages, List.of());
    }
}
