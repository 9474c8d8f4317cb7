package io.runlight.plugin.api;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.github.packageurl.PackageURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPurl
{
    @Test
    void osPackagePurlFollowsTheDistroConvention()
            throws Exception
    {
        InstalledPackage libssl = InstalledPackage.osPackage(PackageType.APK, "libssl3", "3.0.8-r0", new OsInfo("alpine", "3.17.2", Optional.of("x86_64")));

        assertThat(libssl.purl().toString()).isEqualTo("pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2");
        assertSameAsReferenceImplementation(libssl.purl());
    }

    @Test
    void debianVersionWithPlusAndEpochColonIsValid()
            throws Exception
    {
        InstalledPackage openssl = InstalledPackage.osPackage(PackageType.DEB, "openssl", "1:1.1.1n-0+deb11u3", new OsInfo("debian", "11", Optional.of("amd64")));

        assertThat(openssl.purl().toString()).isEqualTo("pkg:deb/debian/openssl@1:1.1.1n-0+deb11u3?arch=amd64&distro=debian-11");
        assertSameAsReferenceImplementation(openssl.purl());
    }

    @Test
    void applicationPackagesOfEveryEcosystemAreValid()
            throws Exception
    {
        for (PackageType type : PackageType.values()) {
            if (type.isOperatingSystem()) {
                continue;
            }
            InstalledPackage pkg = InstalledPackage.applicationPackage(type, type == PackageType.NPM ? "@angular" : "org.example", "core lib", "1.2.3");
            assertSameAsReferenceImplementation(pkg.purl());
        }
    }

    @Test
    void scopedNpmNamespaceIsEncoded()
            throws Exception
    {
        Purl purl = InstalledPackage.applicationPackage(PackageType.NPM, "@babel", "core", "7.23.0").purl();

        assertThat(purl.toString()).isEqualTo("pkg:npm/%40babel/core@7.23.0");
        assertSameAsReferenceImplementation(purl);
    }

    @Test
    void qualifiersAreSortedAndEmptyOnesDropped()
    {
        Purl purl = Purl.parse("pkg:deb/debian/curl@7.88.1?distro=debian-12&arch=amd64&epoch=");

        assertThat(purl.toString()).isEqualTo("pkg:deb/debian/curl@7.88.1?arch=amd64&distro=debian-12");
        assertThat(purl.qualifiers()).containsExactly(Map.entry("arch", "amd64"), Map.entry("distro", "debian-12"));
    }

    @Test
    void parseAndPrintRoundTrip()
    {
        String[] purls = {
                "pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2",
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "pkg:golang/github.com/sirupsen/logrus@v1.9.0",
                "pkg:oci/app@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501?repository_url=docker.io/acme/app",
                "pkg:pypi/requests@2.31.0",
                "pkg:generic/openssl@3.0.8#crypto/evp"};
        for (String text : purls) {
            assertThat(Purl.parse(text).toString()).isEqualTo(text);
        }
    }

    @Test
    void percentEncodedInputEqualsPlainInput()
    {
        assertThat(Purl.parse("pkg:npm/%40babel/core@7.23.0")).isEqualTo(Purl.parse("pkg:NPM/%40babel/core@7.23.0"));
        assertThat(Purl.parse("pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3").version()).contains("1.1.1n-0+deb11u3");
    }

    @Test
    void withoutQualifiersKeepsIdentity()
    {
        Purl purl = Purl.parse("pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2");

        assertThat(purl.withoutQualifiers().toString()).isEqualTo("pkg:apk/alpine/libssl3@3.0.8-r0");
        assertThat(purl.qualifier("ARCH")).contains("x86_64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "npm/lodash@4.17.4", "pkg:", "pkg:npm", "pkg:npm/", "pkg:1npm/x", "pkg:npm/x?arch", "pkg:npm/x%G1", "pkg:npm/x%4", "pkg:npm/x?a=1&a=2"})
    void invalidPurlsAreRejectedWithAReason(String text)
    {
        assertThatThrownBy(() -> Purl.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(text.length() > 0 && text.startsWith("pkg:") ? "invalid purl" : "invalid purl '" + text + "'");
        assertThat(Purl.isValid(text)).isFalse();
    }

    @Test
    void overlongPurlIsRejected()
    {
        assertThatThrownBy(() -> Purl.parse("pkg:npm/" + "a".repeat(5000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("purl is longer than 4096 characters");
    }

    @Test
    void qualifiersAreCopied()
    {
        TreeMap<String, String> qualifiers = new TreeMap<>(Map.of("arch", "amd64"));
        Purl purl = new Purl("deb", Optional.of("debian"), "curl", Optional.of("7.88.1"), qualifiers, Optional.empty());
        qualifiers.put("distro", "debian-12");

        assertThat(purl.qualifiers()).containsOnlyKeys("arch");
        assertThatThrownBy(() -> purl.qualifiers().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertSameAsReferenceImplementation(Purl purl)
            throws Exception
    {
        PackageURL reference = new PackageURL(purl.toString());
        assertThat(reference.getType()).isEqualTo(purl.type());
        assertThat(Optional.ofNullable(reference.getNamespace())).isEqualTo(purl.namespace());
        assertThat(reference.getName()).isEqualTo(purl.name());
        assertThat(Optional.ofNullable(reference.getVersion())).isEqualTo(purl.version());
        assertThat(reference.getQualifiers() == null ? Map.of() : reference.getQualifiers()).isEqualTo(purl.qualifiers());
        assertThat(Optional.ofNullable(reference.getSubpath())).isEqualTo(purl.subpath());
        // and the reference implementation's canonical form reads back to the same value
        assertThat(Purl.parse(reference.canonicalize())).isEqualTo(purl);
    }
}
