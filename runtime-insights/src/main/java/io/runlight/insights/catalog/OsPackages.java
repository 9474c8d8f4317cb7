package io.runlight.insights.catalog;

import java.util.ArrayList;
import java.util.List;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.sbom.ApkDatabaseReader;
import io.runlight.insights.sbom.DpkgDatabaseReader;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;

/**
 * dpkg ({@code var/lib/dpkg/status} + {@code info/*.list}, or distroless {@code status.d/})
 * and apk ({@code lib/apk/db/installed}), read by the engine's database readers. Folders the
 * lists name ({@code /usr}, {@code /usr/share/doc}) are left out of the owned files: opening
 * a folder says nothing about a package, and they would bloat every SBOM.
 */
final class OsPackages
        implements Ecosystem
{
    private static final String DPKG = "/var/lib/dpkg/";

    @Override
    public boolean wantsMetadata(String path)
    {
        if (path.equals("/etc/os-release") || path.equals("/usr/lib/os-release") || path.equals("/lib/apk/db/installed")) {
            return true;
        }
        if (!path.startsWith(DPKG)) {
            return false;
        }
        return path.equals(DPKG + "status") || path.startsWith(DPKG + "status.d/") || path.startsWith(DPKG + "info/") && path.endsWith(".list");
    }

    @Override
    public void finish(CatalogContext context)
    {
        FileTree tree = context.tree();
        boolean dpkg = tree.get(DPKG + "status").isPresent() || tree.get(DPKG + "status.d").isPresent();
        if (dpkg) {
            add(new DpkgDatabaseReader(context.limits().readerLimits()).read(context.metadata(DocumentFormat.DPKG_DATABASE)), context);
        }
        if (tree.get("/lib/apk/db/installed").isPresent()) {
            add(new ApkDatabaseReader(context.limits().readerLimits()).read(context.metadata(DocumentFormat.APK_DATABASE)), context);
        }
    }

    // a folder, or a link to one (/bin -> usr/bin on usrmerge systems)
    private static boolean isFolder(FileTree tree, String path)
    {
        FileNode node = tree.node(path);
        if (node == null) {
            return false;
        }
        if (node.kind() == FileNode.Kind.SYMLINK) {
            FileNode target = tree.resolve(path, true).map(tree::node).orElse(null);
            return target != null && target.kind() == FileNode.Kind.DIRECTORY;
        }
        return node.kind() == FileNode.Kind.DIRECTORY;
    }

    private static void add(Sbom sbom, CatalogContext context)
    {
        context.os(sbom.os());
        for (SbomPackage sbomPackage : sbom.packages()) {
            List<String> files = new ArrayList<>(sbomPackage.ownedFiles().size());
            for (String file : sbomPackage.ownedFiles()) {
                if (!isFolder(context.tree(), file)) {
                    files.add(file);
                }
            }
            context.add(new SbomPackage(sbomPackage.id(), sbomPackage.pkg(), files, sbomPackage.locations(), sbomPackage.nestedIn()));
        }
    }
}
