package io.runlight.insights.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * npm packages: every {@code node_modules/<name>/package.json} and
 * {@code node_modules/@scope/<name>/package.json}, at any depth (npm nests a package under
 * the one that needs another version of it). A package owns every file below its folder
 * except those of packages nested in it: a file belongs to the innermost package folder
 * that holds it, as Node's module resolution loads it.
 */
final class NpmPackages
        implements Ecosystem
{
    private static final String NODE_MODULES = "/node_modules/";
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
            .build());

    @Override
    public boolean wantsMetadata(String path)
    {
        return path.endsWith("/package.json") && path.contains(NODE_MODULES) && packageFolder(path.substring(0, path.length() - "/package.json".length()));
    }

    @Override
    public void finish(CatalogContext context)
    {
        FileTree tree = context.tree();
        // package folder -> its files, found in one pass over every path below a node_modules
        Map<String, Identity> packages = new TreeMap<>();
        for (FileTree.Entry file : tree.entries()) {
            String path = file.path();
            if (path.endsWith("/package.json") && wantsMetadata(path) && file.node().isFile()) {
                String folder = path.substring(0, path.length() - "/package.json".length());
                identity(path, folder, context).ifPresent(identity -> packages.put(folder, identity));
            }
        }
        if (packages.isEmpty()) {
            return;
        }
        Map<String, List<String>> owned = new HashMap<>();
        for (FileTree.Entry file : tree.entries()) {
            String path = file.path();
            if (file.node().kind() == FileNode.Kind.DIRECTORY || !path.contains(NODE_MODULES)) {
                continue;
            }
            innermostPackage(path, packages).ifPresent(folder -> owned.computeIfAbsent(folder, key -> new ArrayList<>()).add(path));
        }
        for (Map.Entry<String, Identity> entry : packages.entrySet()) {
            Identity identity = entry.getValue();
            Purl purl = Purl.of("npm", identity.scope().orElse(null), identity.name(), identity.version().isEmpty() ? null : identity.version());
            String fullName = identity.scope().map(scope -> scope + "/" + identity.name()).orElse(identity.name());
            InstalledPackage pkg = new InstalledPackage(PackageType.NPM, fullName, identity.version(), purl, Optional.empty());
            List<String> packageFiles = owned.getOrDefault(entry.getKey(), List.of());
            context.add(new SbomPackage(purl.toString(), pkg, packageFiles, List.of(entry.getKey() + "/package.json"), Optional.empty()));
        }
    }

    private record Identity(Optional<String> scope, String name, String version) {}

    private static Optional<Identity> identity(String packageJson, String folder, CatalogContext context)
    {
        JsonNode json;
        try {
            Optional<byte[]> bytes = context.metadataBytes(packageJson);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            json = JSON.readTree(bytes.get());
        }
        catch (IOException e) {
            context.warn("left out the npm package '" + folder + "': its package.json is not valid JSON (" + firstLine(e.getMessage()) + ")");
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            context.warn("left out the npm package '" + folder + "': its package.json is not a JSON object");
            return Optional.empty();
        }
        // the folder is what require() resolves; package.json's name is what the registry knows
        String name = json.path("name").isTextual() && !json.path("name").asText().isBlank() ? json.path("name").asText() : folderName(folder);
        String version = json.path("version").isTextual() ? json.path("version").asText() : "";
        if (name.startsWith("@") && name.indexOf('/') > 1) {
            return Optional.of(new Identity(Optional.of(name.substring(0, name.indexOf('/'))), name.substring(name.indexOf('/') + 1), version));
        }
        return Optional.of(new Identity(Optional.empty(), name, version));
    }

    // the deepest ".../node_modules/<name>" or ".../node_modules/@scope/<name>" prefix of the path that is a package
    private static Optional<String> innermostPackage(String path, Map<String, Identity> packages)
    {
        int index = path.lastIndexOf(NODE_MODULES);
        while (index >= 0) {
            int nameStart = index + NODE_MODULES.length();
            int nameEnd = path.indexOf('/', nameStart);
            if (nameEnd > 0 && path.charAt(nameStart) == '@') {
                nameEnd = path.indexOf('/', nameEnd + 1);
            }
            if (nameEnd > 0) {
                String folder = path.substring(0, nameEnd);
                if (packages.containsKey(folder)) {
                    return Optional.of(folder);
                }
            }
            index = index == 0 ? -1 : path.lastIndexOf(NODE_MODULES, index - 1);
        }
        return Optional.empty();
    }

    private static boolean packageFolder(String folder)
    {
        int slash = folder.lastIndexOf('/');
        String parent = folder.substring(0, Math.max(slash, 0));
        String name = folder.substring(slash + 1);
        if (name.startsWith(".") || name.startsWith("@")) {
            return false;
        }
        if (parent.endsWith("/node_modules")) {
            return true;
        }
        int parentSlash = parent.lastIndexOf('/');
        return parent.substring(parentSlash + 1).startsWith("@") && parent.substring(0, Math.max(parentSlash, 0)).endsWith("/node_modules");
    }

    private static String folderName(String folder)
    {
        String name = folder.substring(folder.lastIndexOf('/') + 1);
        String parent = folder.substring(0, folder.lastIndexOf('/'));
        String parentName = parent.substring(parent.lastIndexOf('/') + 1);
        return parentName.startsWith("@") ? parentName + "/" + name : name;
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
