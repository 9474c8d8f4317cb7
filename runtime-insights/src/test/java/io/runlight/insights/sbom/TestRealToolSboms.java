package io.runlight.insights.sbom;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.runlight.insights.index.LoadKind;
import io.runlight.insights.index.Ownership;
import io.runlight.insights.index.OwnershipIndex;
import io.runlight.plugin.api.PackageType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SBOMs real tools write for one npm project (real-tools/README.md): which of their
 * fields become ownership, read as they are, with the project placed at {@code /srv/app}.
 */
class TestRealToolSboms
{
    private static final String ROOT = "/srv/app";
    private static final SbomReader READER = new SbomReader(SbomFixtures.DEFAULT);

    @Test
    void cyclonedxNpmPackagePathsAreThePackageFoldersBelowTheRoot()
    {
        Sbom sbom = read("real-tools/cyclonedx-npm.cdx.json");
        OwnershipIndex index = OwnershipIndex.of(sbom);

        assertThat(sbom.image().digests()).isEmpty();
        assertThat(sbom.packages()).hasSize(72);
        assertThat(owners(index, "/srv/app/node_modules/express/lib/router/index.js")).containsExactly("express DIRECTORY");
        assertThat(owners(index, "/srv/app/node_modules/accepts/index.js")).containsExactly("accepts DIRECTORY");
        // every package of the project has its folder, so every one can be judged, and needs code opens to be
        assertThat(sbom.packages()).filteredOn(pkg -> pkg.pkg().type() == PackageType.NPM)
                .allSatisfy(pkg -> assertThat(index.loadKinds(pkg.id())).contains(LoadKind.INTERPRETED_CODE));
        // without the root, the folders are taken relative to /
        OwnershipIndex rootless = OwnershipIndex.of(READER.read(SbomFixtures.stream(SbomFixtures.resource("real-tools/cyclonedx-npm.cdx.json"))));
        assertThat(owners(rootless, "/node_modules/express/index.js")).containsExactly("express DIRECTORY");
        assertThat(owners(rootless, "/srv/app/node_modules/express/index.js")).isEmpty();
    }

    @Test
    void npmSbomSpdxPackageFileNamesAreThePackageFolders()
    {
        Sbom sbom = read("real-tools/npm-sbom.spdx.json");
        OwnershipIndex index = OwnershipIndex.of(sbom);

        assertThat(owners(index, "/srv/app/node_modules/express/lib/router/index.js")).containsExactly("express DIRECTORY");
        assertThat(owners(index, "/srv/app/node_modules/mime-db/db.json")).containsExactly("mime-db DIRECTORY");
    }

    @Test
    void npmSbomCycloneDxRecordsNoFilesSoNothingCanBeJudged()
    {
        Sbom sbom = read("real-tools/npm-sbom.cdx.json");
        OwnershipIndex index = OwnershipIndex.of(sbom);

        assertThat(sbom.packages()).isNotEmpty();
        assertThat(sbom.packages()).noneMatch(pkg -> index.canMatch(pkg.id()));
    }

    @Test
    void cdxgenImportSitesAndManifestsAreNotOwnership()
    {
        for (String file : List.of("real-tools/cdxgen-npm.cdx.json", "real-tools/cdxgen-npm-evidence.cdx.json", "real-tools/cdxgen-jar.cdx.json",
                "real-tools/cdxgen-python.cdx.json", "real-tools/cyclonedx-maven.cdx.json")) {
            Sbom sbom = read(file);
            OwnershipIndex index = OwnershipIndex.of(sbom);

            assertThat(sbom.packages()).as(file).isNotEmpty();
            assertThat(sbom.packages()).as(file).noneMatch(pkg -> index.canMatch(pkg.id()));
            // express's occurrence is app.js, the file that requires it; accepts' is a file of express
            assertThat(owners(index, "/srv/app/app.js")).as(file).isEmpty();
            assertThat(owners(index, "/srv/app/node_modules/express/lib/request.js")).as(file).isEmpty();
        }
    }

    @Test
    void trivyInstalledFilesAreOwnedFilesOfEachDebianPackage()
    {
        Sbom sbom = read("real-tools/trivy-rootfs.cdx.json");
        OwnershipIndex index = OwnershipIndex.of(sbom);

        assertThat(sbom.packages()).hasSize(39);
        assertThat(owners(index, "/usr/lib/x86_64-linux-gnu/libssl.so.3")).containsExactly("libssl3 FILE");
        // Debian's usrmerge: /lib is /usr/lib
        assertThat(owners(index, "/lib/x86_64-linux-gnu/libc.so.6")).containsExactly("libc6 FILE");
        SbomPackage libssl = sbom.packages().stream().filter(pkg -> pkg.pkg().name().equals("libssl3")).findFirst().orElseThrow();
        assertThat(index.loadKinds(libssl.id())).contains(LoadKind.NATIVE_LIBRARY);
        assertThat(libssl.pkg().purl().toString()).isEqualTo("pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12.11");
    }

    private static Sbom read(String resource)
    {
        return READER.read(SbomFixtures.stream(SbomFixtures.resource(resource)), ROOT);
    }

    private static Set<String> owners(OwnershipIndex index, String path)
    {
        List<Ownership> owners = index.lookup(path);
        return owners.stream().map(owner -> owner.pkg().name() + " " + owner.confidence().name()).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
