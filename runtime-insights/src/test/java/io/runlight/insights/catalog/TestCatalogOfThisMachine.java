package io.runlight.insights.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static io.runlight.insights.catalog.TestEcosystemCatalogers.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The test machine's own root file system (a real Debian), read only: the dpkg cataloger agrees
 * with dpkg itself. Tagged with the tests of real package managers (CONTRIBUTING.md, Tests): it
 * catalogs this machine's whole dpkg database and runs dpkg-query and dpkg for it, 2 to 7 s.
 */
@Tag("package-managers")
class TestCatalogOfThisMachine
{
    private static final Set<String> FILES_ON_DISK = Set.of("installed", "unpacked", "half-configured", "half-installed", "triggers-awaited", "triggers-pending");

    @Test
    void dpkgPackagesAndFilesAreWhatDpkgSays()
    {
        assumeTrue(Files.isRegularFile(Path.of("/var/lib/dpkg/status")), "this machine has no dpkg database");
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.empty(), Set.of(PackageType.DEB)).catalogRootFolder(Path.of("/"), ImageIdentity.UNKNOWN);

        Map<String, String> expected = new TreeMap<>();
        for (String line : output(List.of("dpkg-query", "-W", "-f", "${Package}:${Architecture}\\t${Version}\\t${Status}\\n")).split("\n")) {
            String[] fields = line.split("\t");
            String[] status = fields[2].split(" ");
            if (status.length == 3 && FILES_ON_DISK.contains(status[2])) {
                expected.put(fields[0], fields[1]);
            }
        }
        Map<String, SbomPackage> byName = new TreeMap<>();
        for (SbomPackage sbomPackage : catalog.packages()) {
            byName.put(sbomPackage.pkg().name() + ":" + sbomPackage.pkg().purl().qualifier("arch").orElse(""), sbomPackage);
        }
        Map<String, String> found = new TreeMap<>();
        byName.forEach((name, sbomPackage) -> found.put(name, sbomPackage.pkg().version()));
        assertThat(found).hasSizeGreaterThan(100).isEqualTo(expected);
        assertThat(catalog.os()).map(os -> os.family()).contains("debian");

        // dpkg -L of every 20th package: the same files (dpkg also lists folders, which the catalog leaves out)
        List<String> names = new ArrayList<>(expected.keySet());
        for (int index = 0; index < names.size(); index += 20) {
            String name = names.get(index);
            TreeSet<String> listed = new TreeSet<>();
            for (String line : output(List.of("dpkg", "-L", name)).split("\n")) {
                if (line.startsWith("/") && !line.equals("/.") && !Files.isDirectory(Path.of(line))) {
                    listed.add(line);
                }
            }
            assertThat(new TreeSet<>(byName.get(name).ownedFiles())).as(name).isEqualTo(listed);
        }
    }
}
