package io.runlight.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.benchmarks.SyntheticSbomGenerator.Flavor;
import io.runlight.benchmarks.SyntheticSbomGenerator.Options;
import io.runlight.insights.index.Ownership;
import io.runlight.insights.index.OwnershipIndex;
import io.runlight.insights.index.PathNormalizer;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.plugin.api.PackageType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSyntheticSbomGenerator
{
    private static final Options DEBIAN = new Options(400, 12_000, 7, Flavor.DEBIAN, 2_000);
    private static final Options ALPINE = new Options(400, 12_000, 7, Flavor.ALPINE, 2_000);

    @TempDir
    Path directory;

    @Test
    void theSameOptionsGiveTheSameBytes()
            throws IOException
    {
        SyntheticImage first = new SyntheticSbomGenerator(DEBIAN).generate(directory.resolve("first"));
        SyntheticImage second = new SyntheticSbomGenerator(DEBIAN).generate(directory.resolve("second"));
        SyntheticImage otherSeed = new SyntheticSbomGenerator(new Options(400, 12_000, 8, Flavor.DEBIAN, 2_000)).generate(directory.resolve("third"));

        assertThat(Files.mismatch(first.sbom(), second.sbom())).isEqualTo(-1);
        assertThat(Files.mismatch(first.ownedPaths(), second.ownedPaths())).isEqualTo(-1);
        assertThat(Files.mismatch(first.observedPaths(), second.observedPaths())).isEqualTo(-1);
        assertThat(Files.mismatch(first.sbom(), otherSeed.sbom())).isNotEqualTo(-1);
    }

    @Test
    void aDebianImageReadsBackWithEveryListedFileAndEveryPackageType()
            throws IOException
    {
        SyntheticImage image = new SyntheticSbomGenerator(DEBIAN).generate(directory);
        Sbom sbom = read(image);

        assertThat(sbom.format()).isEqualTo(DocumentFormat.SYFT_JSON);
        assertThat(sbom.packages()).hasSize(400);
        assertThat(sbom.os()).hasValueSatisfying(os -> assertThat(os.family() + " " + os.version()).isEqualTo("debian 12"));
        assertThat(image.listedFiles()).isEqualTo(12_000);
        assertThat(sbom.packages().stream().mapToInt(sbomPackage -> sbomPackage.ownedFiles().size()).sum()).isEqualTo(12_000);
        assertThat(sbom.packages().stream().map(sbomPackage -> sbomPackage.pkg().type()).distinct().sorted().toList())
                .containsExactly(PackageType.DEB, PackageType.MAVEN, PackageType.PYPI, PackageType.NPM, PackageType.GOLANG);
        assertThat(countType(sbom, PackageType.DEB)).isEqualTo(340);
        assertThat(countType(sbom, PackageType.NPM)).isEqualTo(28);
        assertThat(countType(sbom, PackageType.PYPI)).isEqualTo(16);
        assertThat(countType(sbom, PackageType.MAVEN)).isEqualTo(12);
        assertThat(countType(sbom, PackageType.GOLANG)).isEqualTo(4);
        assertThat(sbom.packages().stream().flatMap(sbomPackage -> sbomPackage.ownedFiles().stream()))
                .anyMatch(path -> path.startsWith("/usr/lib/x86_64-linux-gnu/"))
                .anyMatch(path -> path.startsWith("/usr/share/doc/"))
                .anyMatch(path -> path.startsWith("/usr/bin/"))
                .anyMatch(path -> path.startsWith("/usr/local/lib/python3.11/site-packages/"))
                .anyMatch(path -> path.startsWith("/usr/local/bin/"));
        everyOwnedPathFindsItsPackage(image, sbom);
    }

    @Test
    void anAlpineImageListsDirectoriesAndSplitLayoutPaths()
            throws IOException
    {
        SyntheticImage image = new SyntheticSbomGenerator(ALPINE).generate(directory);
        Sbom sbom = read(image);

        assertThat(countType(sbom, PackageType.APK)).isEqualTo(340);
        assertThat(image.listedFiles()).isEqualTo(12_000);
        List<String> listed = sbom.packages().stream().flatMap(sbomPackage -> sbomPackage.ownedFiles().stream()).toList();
        assertThat(listed).contains("/usr", "/usr/share", "/usr/share/doc")
                .anyMatch(path -> path.startsWith("/lib/lib"))
                .anyMatch(path -> path.startsWith("/bin/"));
        everyOwnedPathFindsItsPackage(image, sbom);
    }

    @Test
    void observedPathsMixHitsMissesAndRawForms()
            throws IOException
    {
        SyntheticImage image = new SyntheticSbomGenerator(DEBIAN).generate(directory);
        OwnershipIndex index = OwnershipIndex.of(read(image));
        List<ObservedPath> observed = image.readObservedPaths();

        assertThat(observed).hasSize(2_000);
        assertThat(image.observedOwned()).isEqualTo(1_400);
        assertThat(observed.stream().filter(ObservedPath::owned)).hasSize(1_400);
        assertThat(observed).extracting(ObservedPath::raw)
                .anyMatch(path -> path.matches("/proc/[0-9]+/root/.*"))
                .anyMatch(path -> path.endsWith(" (deleted)"))
                .anyMatch(path -> path.startsWith("/lib/x86_64-linux-gnu/"))
                .anyMatch(path -> path.startsWith("usr/"));
        List<String> wrong = new ArrayList<>();
        for (ObservedPath path : observed) {
            if (!PathNormalizer.normalize(path.raw()).equals(path.canonical()) || index.lookup(path.raw()).isEmpty() == path.owned()) {
                wrong.add(path.toString());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void cachedReusesACompleteGeneration()
            throws IOException
    {
        SyntheticImage generated = SyntheticSbomGenerator.cached(directory, DEBIAN);
        long modified = Files.getLastModifiedTime(generated.sbom()).toMillis();
        SyntheticImage cached = SyntheticSbomGenerator.cached(directory, DEBIAN);

        assertThat(cached).isEqualTo(generated);
        assertThat(cached.sbom()).isEqualTo(directory.resolve("syft-debian-400p-12000f-seed7-2000o/sbom.syft.json"));
        assertThat(Files.getLastModifiedTime(cached.sbom()).toMillis()).isEqualTo(modified);
    }

    @Test
    void optionsRefuseTooFewFiles()
    {
        assertThatThrownBy(() -> new Options(400, 1_000, 7, Flavor.DEBIAN, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ownedFiles must be at least 1100 for 400 packages: 1000");
    }

    private static void everyOwnedPathFindsItsPackage(SyntheticImage image, Sbom sbom)
    {
        OwnershipIndex index = OwnershipIndex.of(sbom);
        List<String> wrong = new ArrayList<>();
        int[] count = new int[1];
        image.forEachOwnedPath((path, packageIndex) -> {
            count[0]++;
            String id = sbom.packages().get(packageIndex).id();
            if (index.lookup(path).stream().map(Ownership::packageId).noneMatch(id::equals)) {
                wrong.add(path + " -> " + index.lookup(path));
            }
        });
        assertThat(wrong).isEmpty();
        assertThat(count[0]).isEqualTo(image.ownedPathCount()).isGreaterThan(image.listedFiles());
    }

    private static long countType(Sbom sbom, PackageType type)
    {
        return sbom.packages().stream().map(SbomPackage::pkg).filter(pkg -> pkg.type() == type).count();
    }

    private static Sbom read(SyntheticImage image)
            throws IOException
    {
        try (InputStream in = Files.newInputStream(image.sbom())) {
            return new SbomReader(InputLimits.DEFAULT).read(in);
        }
    }
}
