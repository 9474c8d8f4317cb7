package io.runlight.plugin.api;

import java.util.Optional;

import com.github.packageurl.PackageURL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canonical purls are what SBOMs and scan reports of different tools are joined on, so two
 * spellings of one package must become one purl. The expected forms follow the purl spec's
 * type definitions and test suite (package-url/purl-spec {@code types/*-definition.json},
 * {@code tests/types/*-test.json}); each case is also checked against packageurl-java, the
 * reference implementation for Java, which agrees except where it still follows an older
 * spec (marked).
 */
class TestPurlCanonicalForm
{
    private record ReferenceComponents(String type, Optional<String> namespace, String name, Optional<String> version) {}

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # the spec's and packageurl-java's forms agree
            pkg:pypi/PyYAML@6.0                                   | pkg:pypi/pyyaml@6.0                                    | same
            pkg:PYPI/Django_package@1.11.1.dev1                   | pkg:pypi/django-package@1.11.1.dev1                    | same
            pkg:pypi/typing_extensions@4.8.0                      | pkg:pypi/typing-extensions@4.8.0                       | same
            pkg:github/Package-url/purl-Spec@244fd47e07d1004f0aed9c | pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c | same
            pkg:bitbucket/birKenfeld/pyGments-main@244fd47e07d1014f0aed9c | pkg:bitbucket/birkenfeld/pygments-main@244fd47e07d1014f0aed9c | same
            pkg:deb/Debian/Curl@7.50.3-1?arch=i386&distro=jessie  | pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie   | same
            pkg:rpm/Fedora/curl@7.50.3-1.fc25?arch=i386           | pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386            | same
            pkg:npm/%40angular/animation@12.3.1                   | pkg:npm/%40angular/animation@12.3.1                    | same
            pkg:npm/Express@4.18.2                                | pkg:npm/Express@4.18.2                                 | same
            pkg:maven/org.apache.commons/Commons-Lang3@3.12.0     | pkg:maven/org.apache.commons/Commons-Lang3@3.12.0      | same
            pkg:nuget/EnterpriseLibrary.Common@6.0.1304           | pkg:nuget/EnterpriseLibrary.Common@6.0.1304            | same
            pkg:gem/Rails@7.0.0                                   | pkg:gem/Rails@7.0.0                                    | same
            pkg:cargo/Rand@0.8.5                                  | pkg:cargo/Rand@0.8.5                                   | same
            # packageurl-java 1.5.0 keeps these as written; the spec declares them not case sensitive
            pkg:apk/Alpine/Curl@7.83.0-r0?arch=x86               | pkg:apk/alpine/curl@7.83.0-r0?arch=x86                 | older
            pkg:composer/Laravel/Laravel@5.5.0                    | pkg:composer/laravel/laravel@5.5.0                     | older
            pkg:hex/Phoenix_HTML@2.13.3                           | pkg:hex/phoenix_html@2.13.3                            | older
            pkg:alpm/Arch/Pacman@6.0.1-1?arch=x86_64              | pkg:alpm/arch/pacman@6.0.1-1?arch=x86_64               | older
            pkg:oci/Debian@sha256%3AABCDEF?repository_url=docker.io/library/debian | pkg:oci/debian@sha256:abcdef?repository_url=docker.io/library/debian | older
            pkg:pub/Flutter-Foo@1.0.0                             | pkg:pub/flutter_foo@1.0.0                              | older
            # packageurl-java 1.5.0 lower-cases golang, which the spec no longer does: module paths are case sensitive
            pkg:golang/github.com/Masterminds/semver@v1.5.0      | pkg:golang/github.com/Masterminds/semver@v1.5.0        | older
            """)
    void spellingsOfOnePackageBecomeOnePurl(String written, String canonical, String reference)
            throws Exception
    {
        Purl purl = Purl.parse(written);

        assertThat(purl.toString()).isEqualTo(canonical);
        assertThat(Purl.parse(canonical)).isEqualTo(purl);
        PackageURL referenceForm = new PackageURL(written);
        ReferenceComponents components = new ReferenceComponents(referenceForm.getType(), Optional.ofNullable(referenceForm.getNamespace()),
                referenceForm.getName(), Optional.ofNullable(referenceForm.getVersion()));
        ReferenceComponents ours = new ReferenceComponents(purl.type(), purl.namespace(), purl.name(), purl.version());
        if (reference.equals("same")) {
            assertThat(components).isEqualTo(ours);
        }
        else {
            // the divergence is the reference implementation's normalisation, not a parse difference
            assertThat(components).isNotEqualTo(ours);
            assertThat(components.type()).isEqualTo(ours.type());
        }
    }
}
