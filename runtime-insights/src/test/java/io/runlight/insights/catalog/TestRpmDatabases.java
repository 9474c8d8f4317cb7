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
 * Debian's rpm has no NDB back-end (SUSE's): the same headers go into an NDB {@code Packages.db}
 * written by {@link #ndb} as rpm's {@code lib/backend/ndb/rpmpkg.c} lays it out.
 */
@Tag("package-managers")
class TestRpmDatabases
{
    @TempDir
    static Path work;
    static Path sqliteRoot;
    static Path bdbRoot;
    static Path ndbRoot;
    static List<byte[]> headerBlobs = new ArrayList<>();

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
                headerBlobs.add(rows.getBytes(2));
            }
        }
        dump.append("DATA=END\n");
        Path dumpFile = work.resolve("packages.dump");
        Files.writeString(dumpFile, dump);
        ImageArchiveBuilder.run(List.of("db5.3_load", "-f", dumpFile.toString(), bdbRoot.resolve("var/lib/rpm/Packages").toString()));

        // SUSE: the database in /usr/lib/sysimage/rpm, /var/lib/rpm a link to it
        ndbRoot = Files.createDirectories(work.resolve("ndb-root"));
        write(ndbRoot, "etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.3\"\n");
        Files.createDirectories(ndbRoot.resolve("usr/lib/sysimage/rpm"));
        Files.createDirectories(ndbRoot.resolve("var/lib"));
        Files.createSymbolicLink(ndbRoot.resolve("var/lib/rpm"), Path.of("../../usr/lib/sysimage/rpm"));
        Files.write(ndbRoot.resolve("usr/lib/sysimage/rpm/Packages.db"), ndb(headerBlobs));
    }

    /**
     * An NDB database as rpm writes it: the 32-byte header ("RpmP", version 0, generation, one
     * page of slots, next package index), 16-byte slots ("Slot", package index, block offset,
     * block count; a free slot first, as an erased package leaves it), then each blob in 16-byte
     * blocks, the last package's first: "BlbS" head, the header, zero padding, and a tail with the
     * Adler-32 of all before it, the length and "BlbE".
     */
    static byte[] ndb(List<byte[]> headers)
    {
        int blobBlocks = 0;
        for (byte[] header : headers) {
            blobBlocks += (16 + header.length + 12 + 15) / 16;
        }
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(4096 + blobBlocks * 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.put("RpmP".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0).putInt(7).putInt(1).putInt(headers.size() + 2);
        for (int slot = 32; slot < 4096; slot += 16) {
            file.put(slot, "Slot".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        int block = 4096 / 16;
        for (int index = headers.size() - 1; index >= 0; index--) {
            byte[] header = headers.get(index);
            int blocks = (16 + header.length + 12 + 15) / 16;
            int packageIndex = index + 2;
            int slot = 32 + 16 * (index + 1);
            file.putInt(slot + 4, packageIndex).putInt(slot + 8, block).putInt(slot + 12, blocks);
            int start = block * 16;
            file.put(start, "BlbS".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(start + 4, packageIndex).putInt(start + 8, 7).putInt(start + 12, header.length);
            file.put(start + 16, header);
            int tail = start + blocks * 16 - 12;
            java.util.zip.Adler32 adler = new java.util.zip.Adler32();
            adler.update(file.array(), start, tail - start);
            file.putInt(tail, (int) adler.getValue()).putInt(tail + 4, header.length).put(tail + 8, "BlbE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            block += blocks;
        }
        return file.array();
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
    void ndbDatabaseOfSuseGivesTheSamePackages()
            throws IOException
    {
        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(ndbRoot, ImageIdentity.UNKNOWN);
        assertThat(packages(catalog)).isEqualTo(rpmQuery(sqliteRoot, List.of()));
        assertThat(catalog.packages()).extracting(sbomPackage -> sbomPackage.locations().get(0)).containsOnly("/usr/lib/sysimage/rpm/Packages.db");
        assertThat(catalog.warnings()).isEmpty();
        // an image saved by docker: the link and the database travel in a layer
        Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("ndb-archive"))).layer(ndbRoot, true).dockerSave("suse-like:15");
        assertThat(new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive).packages()).isEqualTo(catalog.packages());
    }

    @Test
    void damagedTruncatedAndHostileNdbDatabasesAreRefusedWithTheReason()
            throws IOException
    {
        byte[] good = ndb(headerBlobs);
        int firstBlob = 4096;
        int lastBlock = good.length;
        assertThat(ndbProblem(java.util.Arrays.copyOf(good, 16))).isEqualTo("the file ends in the file header: it is truncated");
        assertThat(ndbProblem("not a database, only text".repeat(200).getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo("not an rpm NDB database (no RpmP magic at its start)");
        assertThat(ndbProblem(changed(good, 4, 1))).isEqualTo("an NDB database of version 1; Runlight reads version 0");
        assertThat(ndbProblem(changed(good, 12, 0x7fffffff))).isEqualTo("the file header claims 2147483647 pages of slots");
        assertThat(ndbProblem(java.util.Arrays.copyOf(good, lastBlock - 5))).startsWith("the file has " + (lastBlock - 5) + " bytes, not a whole number of 16-byte blocks");
        assertThat(ndbProblem(java.util.Arrays.copyOf(good, lastBlock - 16))).isEqualTo("the slot of package 2 points past the end of the file: it is truncated");
        assertThat(ndbProblem(changed(good, 48, 0x12345678))).isEqualTo("the slot at byte 48 has no Slot magic");
        assertThat(ndbProblem(changed(good, 48 + 8, 3))).isEqualTo("the slot at byte 48 is damaged (package 2 at block 3)");
        // the first blob in the file is the last package's: a byte of its header changed, its head, its length
        byte[] flipped = good.clone();
        flipped[firstBlob + 40] ^= 1;
        assertThat(ndbProblem(flipped)).isEqualTo("the blob of package 3 has a wrong checksum: the database is damaged");
        assertThat(ndbProblem(changed(good, firstBlob, 0))).isEqualTo("the blob of package 3 does not start with its BlbS head");
        assertThat(ndbProblem(changed(good, firstBlob + 12, 0x7ffffff0))).isEqualTo("the blob of package 3 claims 2147483632 bytes, which do not fit its "
                + (16 + headerBlobs.get(1).length + 12 + 15) / 16 + " blocks");
        // through the catalog: the message names the database's folder
        Path root = Files.createDirectories(work.resolve("broken-ndb-root/usr/lib/sysimage/rpm")).getParent().getParent().getParent().getParent();
        Files.write(root.resolve("usr/lib/sysimage/rpm/Packages.db"), flipped);
        assertThatThrownBy(() -> new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN))
                .isInstanceOf(InputException.class)
                .hasMessage("rpm database at /usr/lib/sysimage/rpm/: cannot read the database: the blob of package 3 has a wrong checksum: the database is damaged");
    }

    private static String ndbProblem(byte[] database)
            throws IOException
    {
        Path file = Files.write(Files.createTempFile(work, "Packages", ".db"), database);
        try {
            RpmNdbDatabase.headers(file);
            return "read without a problem";
        }
        catch (java.io.EOFException e) {
            return e.getMessage();
        }
    }

    // a copy with the little-endian number at the offset changed
    private static byte[] changed(byte[] bytes, int offset, int value)
    {
        byte[] copy = bytes.clone();
        java.nio.ByteBuffer.wrap(copy).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
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
