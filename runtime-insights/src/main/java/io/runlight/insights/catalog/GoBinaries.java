package io.runlight.insights.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * Go modules built into executables (Go 1.13+ build information): the main module, every
 * dependency (after {@code replace}), and the standard library as {@code stdlib} at the Go
 * version, as Syft names it. Each is owned through the binary: running or mapping it runs them.
 */
final class GoBinaries
        implements Ecosystem
{
    // the smallest Go binary is over a megabyte; smaller executables are scripts and C tools
    private static final long MIN_SIZE = 256 * 1024;

    private final Set<String> pending = new TreeSet<>();

    @Override
    public boolean wantsMetadata(String path)
    {
        return false;
    }

    @Override
    public boolean wantsStream(String path, FileNode node)
    {
        return ElfSections.mayCarrySections(path, node, MIN_SIZE);
    }

    @Override
    public void stream(String path, FileNode node, InputStream content, CatalogContext context)
            throws IOException
    {
        try {
            if (content instanceof ChannelRegion.Content random) {
                GoBuildInfo.read(random.region()).ifPresent(info -> add(path, info, context));
                return;
            }
        }
        catch (EOFException e) {
            context.warn("left out the Go build information of '" + path + "': " + e.getMessage());
            return;
        }
        byte[] head = content.readNBytes(64);
        if (!GoBuildInfo.isElf(head)) {
            return;
        }
        try {
            GoBuildInfo.Scan scan = GoBuildInfo.scan(new SequenceInputStream(new ByteArrayInputStream(head), content));
            if (scan instanceof GoBuildInfo.Found found) {
                add(path, found.info(), context);
            }
            else if (scan instanceof GoBuildInfo.NeedsRandomAccess) {
                pending.add(path);
            }
        }
        catch (EOFException e) {
            context.warn("left out the Go build information of '" + path + "': " + e.getMessage());
        }
    }

    @Override
    public Set<String> pendingFiles()
    {
        return pending;
    }

    @Override
    public void readFile(String path, Path file, CatalogContext context)
            throws IOException
    {
        try {
            GoBuildInfo.read(file).ifPresent(info -> add(path, info, context));
        }
        catch (EOFException e) {
            context.warn("left out the Go build information of '" + path + "': " + e.getMessage());
        }
    }

    @Override
    public void finish(CatalogContext context)
    {
        // modules were added as binaries were read
    }

    private static void add(String binary, GoBuildInfo.Info info, CatalogContext context)
    {
        for (GoBuildInfo.Module module : info.modules()) {
            if (module.path().isEmpty() || module.path().startsWith(".") || module.path().startsWith("/")) {
                // a replacement by a local folder names no module a scanner could know
                continue;
            }
            add(binary, module.path(), module.version(), context);
        }
        if (info.goVersion().startsWith("go")) {
            String version = info.goVersion().split(" ")[0];
            add(binary, "stdlib", version, context);
        }
    }

    private static void add(String binary, String modulePath, String version, CatalogContext context)
    {
        int slash = modulePath.lastIndexOf('/');
        String namespace = slash > 0 ? modulePath.substring(0, slash) : null;
        String name = slash > 0 ? modulePath.substring(slash + 1) : modulePath;
        String purlVersion = modulePath.equals("stdlib") && version.startsWith("go") ? version.substring(2) : version;
        Purl purl = Purl.of("golang", namespace, name, purlVersion.isEmpty() ? null : purlVersion);
        InstalledPackage pkg = new InstalledPackage(PackageType.GOLANG, modulePath, version, purl, Optional.empty());
        context.add(new SbomPackage(purl.toString(), pkg, List.of(), List.of(binary), Optional.empty()));
    }
}
