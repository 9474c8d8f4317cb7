package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static io.runlight.insights.catalog.ImageArchiveBuilder.write;
import static io.runlight.insights.catalog.TestEcosystemCatalogers.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * rpm databases made by Debian's rpm tool from rpms built by rpmbuild in the test: the SQLite
 * back-end (what rpm 4.18 writes), and the same headers in a Berkeley DB hash database written by
 * Berkeley DB's own db_load, which rpm's read-only BDB back-end reads back as the test checks.
 */
@Tag("package-managers")
class TestRpmDatabases
{
    @TempDir
    static Path work;
    static Path sqliteRoot;
    static Path bdbRoot;

    @BeforeAll
    static void buildDatabases()
            throws IOException, SQLException
    {
        Path top = work.resolve("rpmbuild");
        List<Path> rpms = new ArrayList<>();
        rpms.add(build(top, "hello-rpm", "1.2", "3.el9", "Epoch: 1\n", List.of("/usr/bin/hello-rpm", "/usr/share/doc/hello-rpm/README")));
        rpms.add(build(top, "tiny-lib", "0.9", "1.el9", "", List.of("/usr/lib64/libtiny.so.0", "/usr/lib64/libtiny.so.0.9")));

        sqliteRoot = Files.createDirectories(work.resolve("sqlite-root"));
        write(sqliteRoot, "etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.3\"\n");
        rpm(sqliteRoot, "--initdb");
        List<String> install = new ArrayList<>(List.of("-i", "--justdb", "--nodeps", "--noscripts", "--notriggers"));
        rpms.forEach(path -> install.add(path.toString()));
        rpm(sqliteRoot, install.toArray(String[]::new));

        // the same headers as Berkeley DB wrote Packages for RHEL 7/8: small pages, so headers go to overflow pages
        bdbRoot = Files.createDirectories(work.resolve("bdb-root/var/lib/rpm")).getParent().getParent().getParent();
        write(bdbRoot, "etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.3\"\n");
        StringBuilder dump = new StringBuilder("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=512\nHEADER=END\n");
        // key 0 holds the next instance number, as rpm's BDB back-end wrote it
        dump.append(" 00000000\n 03000000\n");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteRoot.resolve("var/lib/rpm/rpmdb.sqlite"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT hnum, blob FROM Packages")) {
            while (rows.next()) {
                int hnum = rows.getInt(1);
                byte[] key = {(byte) hnum, (byte) (hnum >>> 8), (byte) (hnum >>> 16), (byte) (hnum >>> 24)};
                dump.append(' ').append(HexFormat.of().formatHex(key)).append('\n');
                dump.append(' ').append(HexFormat.of().formatHex(rows.getBytes(2))).append('\n');
            }
        }
        dump.append("DATA=END\n");
        Path dumpFile = work.resolve("packages.dump");
        Files.writeString(dumpFile, dump);
        ImageArchiveBuilder.run(List.of("db5.3_load", "-f", dumpFile.toString(), bdbRoot.resolve("var/lib/rpm/Packages").toString()));
    }

    @Test
    void sqliteDatabaseGivesWhatRpmQueryLists()
    {
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(sqliteRoot, ImageIdentity.UNKNOWN);
        assertThat(packages(catalog)).isEqualTo(rpmQuery(sqliteRoot, List.of()));
        assertThat(catalog.packages()).extracting(sbomPackage -> sbomPackage.pkg().purl().toString()).containsExactly(
                "pkg:rpm/rhel/hello-rpm@1.2-3.el9?arch=noarch&distro=rhel-9.3&epoch=1",
                "pkg:rpm/rhel/tiny-lib@0.9-1.el9?arch=noarch&distro=rhel-9.3");
        // rpm wrote its write-ahead log and lock beside the database; cataloging changed nothing there
        assertThat(sqliteRoot.resolve("var/lib/rpm")).isDirectoryNotContaining(path -> path.getFileName().toString().endsWith("-journal"));
    }

    @Test
    void berkeleyDbDatabaseReadByRpmItselfGivesTheSamePackages()
    {
        Map<String, List<String>> fromRpm = rpmQuery(bdbRoot, List.of("--define", "_db_backend bdb_ro"));
        assertThat(fromRpm).isEqualTo(rpmQuery(sqliteRoot, List.of()));
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(bdbRoot, ImageIdentity.UNKNOWN);
        assertThat(packages(catalog)).isEqualTo(fromRpm);
        assertThat(catalog.warnings()).isEmpty();
    }

    @Test
    void anImageArchiveWithTheDatabaseGivesTheSamePackages()
            throws IOException
    {
        Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("archive"))).layer(sqliteRoot, true).dockerSave("rhel-like:9");
        Catalog fromArchive = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);
        Catalog fromFolder = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(sqliteRoot, ImageIdentity.UNKNOWN);
        assertThat(fromArchive.packages()).isEqualTo(fromFolder.packages());
    }

    @Test
    void aPackagesFileThatIsNoBerkeleyDbIsRefused()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("garbage-root"));
        write(root, "var/lib/rpm/Packages", "not a database at all, just text that is long enough to be read as a page".repeat(20));
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN))
                .isInstanceOf(InputException.class)
                .hasMessage("rpm database at /var/lib/rpm/: cannot read the database: not a Berkeley DB hash database (no hash magic on the metadata page)");
    }

    @Test
    void truncatedAndHostileHeadersAreRefusedWithTheReason()
    {
        assertThatThrownBy(() -> RpmHeader.parse(new byte[] {0, 0, 0, 1}))
                .hasMessage("a header has at least 8 bytes, found 4");
        assertThatThrownBy(() -> RpmHeader.parse(new byte[] {0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 0}))
                .hasMessage("the header claims 48 bytes, the blob has 12");
        assertThatThrownBy(() -> RpmHeader.parse(new byte[] {(byte) 0xff, 0, 0, 2, 0, 0, 0, 8}))
                .hasMessage("the header claims -16777214 entries and 8 bytes of data");
        // one entry: NAME (1000), STRING, offset 0, count 1, but its data has no terminating NUL
        byte[] unterminated = {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0x03, (byte) 0xe8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 'b'};
        assertThatThrownBy(() -> RpmHeader.parse(unterminated))
                .hasMessage("a string runs past the header's data");
    }

    // name -> [version, arch, files...], as the catalog has them
    private static Map<String, List<String>> packages(Catalog catalog)
    {
        Map<String, List<String>> packages = new TreeMap<>();
        for (SbomPackage sbomPackage : catalog.packages()) {
            assertThat(sbomPackage.pkg().type()).isEqualTo(PackageType.RPM);
            List<String> values = new ArrayList<>(List.of(sbomPackage.pkg().version(), sbomPackage.pkg().purl().qualifier("arch").orElse("")));
            values.addAll(sbomPackage.ownedFiles());
            packages.put(sbomPackage.pkg().name(), values);
        }
        return packages;
    }

    // the same, as rpm -qa prints them (one query: rpm's BDB back-end reads Packages but has no Name index for -ql)
    private static Map<String, List<String>> rpmQuery(Path root, List<String> options)
    {
        List<String> query = new ArrayList<>(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm"));
        query.addAll(options);
        query.addAll(List.of("-qa", "--qf", "P %{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH}\\n[F %{FILENAMES}\\n]"));
        Map<String, List<String>> packages = new TreeMap<>();
        List<String> current = null;
        for (String line : output(query).strip().split("\n")) {
            String[] fields = line.split(" ");
            if (fields[0].equals("P")) {
                current = new ArrayList<>(List.of(fields[2], fields[3]));
                packages.put(fields[1], current);
            }
            else {
                current.add(line.substring(2));
            }
        }
        packages.values().forEach(values -> values.subList(2, values.size()).sort(null));
        return packages;
    }

    private static Path build(Path top, String name, String version, String release, String extra, List<String> files)
            throws IOException
    {
        StringBuilder install = new StringBuilder();
        for (String file : files) {
            install.append("mkdir -p %{buildroot}").append(file, 0, file.lastIndexOf('/')).append('\n');
            install.append("echo ").append(name).append(" > %{buildroot}").append(file).append('\n');
        }
        String spec = "Name: " + name + "\nVersion: " + version + "\nRelease: " + release + "\n" + extra
                + "Summary: built by the test\nLicense: MIT\nBuildArch: noarch\n%description\nbuilt by the test\n%install\n" + install
                + "%files\n" + String.join("\n", files) + "\n";
        Path specFile = top.resolve("SPECS/" + name + ".spec");
        Files.createDirectories(specFile.getParent());
        Files.writeString(specFile, spec);
        ImageArchiveBuilder.run(List.of("rpmbuild", "--define", "_topdir " + top, "--define", "_build_id_links none", "-bb", specFile.toString()));
        return top.resolve("RPMS/noarch/" + name + "-" + version + "-" + release + ".noarch.rpm");
    }

    private static void rpm(Path root, String... args)
    {
        List<String> command = new ArrayList<>(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm"));
        command.addAll(List.of(args));
        ImageArchiveBuilder.run(command);
    }
}
