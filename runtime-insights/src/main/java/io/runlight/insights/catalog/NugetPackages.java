package io.runlight.insights.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * NuGet packages of a .NET application: its {@code <app>.deps.json}, the dependency manifest
 * the .NET host reads to load assemblies. Every {@code libraries} entry of type
 * {@code package} is a package; it owns the assemblies the runtime target lists for it
 * ({@code runtime} and {@code native} assets), deployed beside the deps.json by
 * {@code dotnet publish} (app-local: the asset's file name in that folder), and its
 * {@code runtimeTargets} assets, published under their own path ({@code runtimes/<rid>/…}).
 */
final class NugetPackages
        implements Ecosystem
{
    private static final String SUFFIX = ".deps.json";
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
            .build());

    @Override
    public boolean wantsMetadata(String path)
    {
        return path.endsWith(SUFFIX) && path.lastIndexOf('/') < path.length() - SUFFIX.length();
    }

    @Override
    public void finish(CatalogContext context)
    {
        for (FileTree.Entry entry : context.tree().entries()) {
            if (wantsMetadata(entry.path()) && entry.node().isFile()) {
                read(entry.path(), context);
            }
        }
    }

    private static void read(String depsJson, CatalogContext context)
    {
        JsonNode json;
        try {
            Optional<byte[]> bytes = context.metadataBytes(depsJson);
            if (bytes.isEmpty()) {
                return;
            }
            json = JSON.readTree(bytes.get());
        }
        catch (InputException | IOException e) {
            context.warn("left out the NuGet packages of '" + depsJson + "': " + firstLine(e.getMessage()));
            return;
        }
        if (json == null || !json.path("targets").isObject() || !json.path("libraries").isObject()) {
            context.warn("left out the NuGet packages of '" + depsJson + "': it is not a .NET dependency manifest (no \"targets\" and \"libraries\" objects)");
            return;
        }
        String runtimeTarget = json.path("runtimeTarget").path("name").asText("");
        JsonNode target = json.path("targets").path(runtimeTarget);
        if (!target.isObject()) {
            // no runtimeTarget: the host takes the first target
            Iterator<JsonNode> targets = json.path("targets").elements();
            target = targets.hasNext() ? targets.next() : target;
        }
        String folder = depsJson.substring(0, depsJson.lastIndexOf('/'));
        FileTree tree = context.tree();
        Iterator<Map.Entry<String, JsonNode>> libraries = json.path("libraries").fields();
        while (libraries.hasNext()) {
            Map.Entry<String, JsonNode> library = libraries.next();
            if (!"package".equals(library.getValue().path("type").asText())) {
                // "project" is the application itself, "reference" an assembly without a package
                continue;
            }
            String key = library.getKey();
            int slash = key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
                context.warn("left out the NuGet library '" + key + "' of '" + depsJson + "': it is not <name>/<version>");
                continue;
            }
            String name = key.substring(0, slash);
            String version = key.substring(slash + 1);
            JsonNode assets = target.path(key);
            TreeSet<String> owned = new TreeSet<>();
            for (String kind : List.of("runtime", "native")) {
                assets.path(kind).fieldNames().forEachRemaining(asset -> {
                    String fileName = asset.substring(asset.lastIndexOf('/') + 1);
                    if (!fileName.isEmpty() && !fileName.equals("..") && !fileName.equals(".") && !fileName.contains("\\")) {
                        ownIfPresent(folder + "/" + fileName, tree, owned);
                    }
                });
            }
            assets.path("runtimeTargets").fieldNames().forEachRemaining(asset -> inside(folder, asset).ifPresent(path -> ownIfPresent(path, tree, owned)));
            Purl purl = Purl.of("nuget", null, name, version);
            InstalledPackage pkg = new InstalledPackage(PackageType.NUGET, name, version, purl, Optional.empty());
            context.add(new SbomPackage(purl.toString(), pkg, new ArrayList<>(owned), List.of(depsJson), Optional.empty()));
        }
    }

    private static void ownIfPresent(String path, FileTree tree, TreeSet<String> owned)
    {
        FileNode node = tree.node(path);
        if (node != null && node.kind() != FileNode.Kind.DIRECTORY) {
            owned.add(path);
        }
    }

    // the asset's path below the application folder; empty if it would leave it
    private static Optional<String> inside(String folder, String asset)
    {
        if (asset.startsWith("/") || asset.contains("\\")) {
            return Optional.empty();
        }
        List<String> segments = FileTree.segments(asset);
        if (segments.isEmpty() || segments.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(folder + "/" + String.join("/", segments));
    }

    private static String firstLine(String text)
    {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
