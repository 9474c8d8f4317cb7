package io.runlight.insights.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * rpm packages from rpm's own database, in its three file formats:
 * <ul>
 *   <li>SQLite {@code rpmdb.sqlite} (RHEL 9, Fedora 33+, Amazon Linux 2023), in
 *       {@code /var/lib/rpm} or {@code /usr/lib/sysimage/rpm} ({@link RpmSqliteDatabase});</li>
 *   <li>Berkeley DB hash {@code Packages} (RHEL 7/8, CentOS, Amazon Linux 2), parsed page by page;</li>
 *   <li>NDB {@code Packages.db} (SUSE Linux Enterprise 15, openSUSE), parsed slot by slot ({@link RpmNdbDatabase}).</li>
 * </ul>
 * Each blob is an rpm header: name, epoch, version, release, arch and the files the package owns.
 * Purls: {@code pkg:rpm/<os id>/<name>@<version>-<release>?arch=<arch>&epoch=<epoch>&distro=<id>-<version>}.
 */
final class RpmPackages
        implements Ecosystem
{
    private static final DocumentFormat FORMAT = DocumentFormat.RPM_DATABASE;
    private static final List<String> FOLDERS = List.of("/var/lib/rpm/", "/usr/lib/sysimage/rpm/");

    @Override
    public boolean metadataOnDisk()
    {
        return true;
    }

    @Override
    public boolean wantsMetadata(String path)
    {
        for (String folder : FOLDERS) {
            if (path.startsWith(folder)) {
                String name = path.substring(folder.length());
                return name.equals("rpmdb.sqlite") || name.equals("rpmdb.sqlite-wal") || name.equals("Packages") || name.equals("Packages.db");
            }
        }
        return false;
    }

    @Override
    public void finish(CatalogContext context)
    {
        for (String folder : FOLDERS) {
            FileTree tree = context.tree();
            String sqlite = folder + "rpmdb.sqlite";
            String bdb = folder + "Packages";
            String ndb = folder + "Packages.db";
            try {
                if (isFile(tree, sqlite)) {
                    add(sqlite(context, sqlite), sqlite, context);
                    return;
                }
                if (isFile(tree, bdb)) {
                    add(berkeleyDb(context, bdb), bdb, context);
                    return;
                }
                if (isFile(tree, ndb)) {
                    add(RpmNdbDatabase.headers(context.metadataRoot().resolve(ndb.substring(1))), ndb, context);
                    return;
                }
            }
            catch (IOException e) {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT.displayName(), folder, "cannot read the database: " + e.getMessage(), e);
            }
        }
    }

    private static boolean isFile(FileTree tree, String path)
    {
        FileNode node = tree.node(path);
        return node != null && node.isFile();
    }

    private static List<byte[]> sqlite(CatalogContext context, String database)
            throws IOException
    {
        return RpmSqliteDatabase.headers(context.metadataRoot().resolve(database.substring(1)), context.scratchRoot());
    }

    private static List<byte[]> berkeleyDb(CatalogContext context, String database)
            throws IOException
    {
        return BerkeleyDbHash.values(context.metadataRoot().resolve(database.substring(1)));
    }

    private static void add(List<byte[]> blobs, String database, CatalogContext context)
    {
        Optional<OsInfo> os = context.os();
        for (byte[] blob : blobs) {
            // Berkeley DB's Packages also holds a 4-byte record (key 0: the next instance number)
            if (blob.length <= 8) {
                continue;
            }
            RpmHeader header;
            try {
                header = RpmHeader.parse(blob);
            }
            catch (RpmHeader.BadHeaderException e) {
                context.warn("left out a package of '" + database + "': " + e.getMessage());
                continue;
            }
            if (header.name().equals("gpg-pubkey")) {
                // imported signing keys are stored as packages; they install no files
                continue;
            }
            context.add(sbomPackage(header, os, database, context.tree()));
        }
    }

    private static SbomPackage sbomPackage(RpmHeader header, Optional<OsInfo> os, String database, FileTree tree)
    {
        String versionRelease = header.release().isEmpty() ? header.version() : header.version() + "-" + header.release();
        Purl purl = Purl.of("rpm", os.map(OsInfo::family).orElse(null), header.name(), versionRelease.isEmpty() ? null : versionRelease)
                .withQualifier("arch", header.arch())
                .withQualifier("epoch", header.epoch().map(String::valueOf).orElse(""))
                .withQualifier("distro", os.map(value -> value.version().isEmpty() ? value.family() : value.family() + "-" + value.version()).orElse(""));
        Optional<OsInfo> packageOs = os.map(value -> header.arch().isEmpty() ? value : value.withArch(header.arch()));
        InstalledPackage pkg = new InstalledPackage(PackageType.RPM, header.name(), header.fullVersion(), purl, packageOs);
        List<String> files = new ArrayList<>(header.files().size());
        for (String file : header.files()) {
            FileNode node = tree.node(file);
            if (node == null || node.kind() != FileNode.Kind.DIRECTORY) {
                files.add(file);
            }
        }
        files.sort(null);
        return new SbomPackage(purl.toString(), pkg, files, List.of(database), Optional.empty());
    }
}
