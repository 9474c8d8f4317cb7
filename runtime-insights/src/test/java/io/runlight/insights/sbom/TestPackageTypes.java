package io.runlight.insights.sbom;

import java.util.Optional;

import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestPackageTypes
{
    @Test
    void mapsScannerTypeWordsCaseInsensitively()
    {
        assertThat(PackageTypes.fromSyft("java-archive")).isEqualTo(PackageType.MAVEN);
        assertThat(PackageTypes.fromSyft("dotnet")).isEqualTo(PackageType.NUGET);
        assertThat(PackageTypes.fromSyft("nuget")).isEqualTo(PackageType.NUGET);
        assertThat(PackageTypes.fromSyft("APK")).isEqualTo(PackageType.APK);
        assertThat(PackageTypes.fromSyft("wordpress-plugin")).isEqualTo(PackageType.OTHER);

        assertThat(PackageTypes.fromTrivy("debian")).isEqualTo(PackageType.DEB);
        assertThat(PackageTypes.fromTrivy("suse")).isEqualTo(PackageType.RPM);
        assertThat(PackageTypes.fromTrivy("SUSE Linux Enterprise Server")).isEqualTo(PackageType.RPM);
        assertThat(PackageTypes.fromTrivy("bun")).isEqualTo(PackageType.NPM);
        assertThat(PackageTypes.fromTrivy("gemspec")).isEqualTo(PackageType.GEM);
        assertThat(PackageTypes.fromTrivy("conda-pkg")).isEqualTo(PackageType.OTHER);
    }

    @Test
    void invalidPurlIsAbsent()
    {
        assertThat(PackageTypes.parsePurl("pkg:apk/alpine/musl@1.2.3")).isEqualTo(Optional.of(Purl.parse("pkg:apk/alpine/musl@1.2.3")));
        assertThat(PackageTypes.parsePurl("not a purl")).isEmpty();
        assertThat(PackageTypes.parsePurl(Optional.empty())).isEmpty();
    }
}
