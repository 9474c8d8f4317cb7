package io.runlight.insights.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
 * PHP packages Composer installed: {@code vendor/composer/installed.json}, a JSON array
 * (Composer 1) or {@code {"packages": [...]}} (Composer 2). Each package owns the files below
 * its install folder: {@code install-path}, relative to {@code vendor/composer/} (Composer 2;
 * installers may put a package outside {@code vendor/}, never outside the project), else
 * {@code vendor/<vendor>/<name>/}. A file belongs to the innermost package folder holding it.
 */
final class ComposerPackages
        implements Ecosystem
{
    private static final String INSTALLED = "/vendor/composer/installed.json";
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
            .build());

    @Override
    public boolean wantsMetadata(String path)
    {
        return path.endsWith(INSTALLED);
    }

    @Override
    public void finish(CatalogContext context)
    {
        FileTree tree = context.tree();
        // install folder -> package, over every project of the image
        Map<String, Found> packages = new TreeMap<>();
        for (FileTree.Entry entry : tree.entries()) {
            if (entry.path().endsWith(INSTALLED) && entry.node().isFile()) {
                read(entry.path(), context).forEach(found -> packages.putIfAbsent(found.folder(), found));
            }
        }
        // deepest folders first: a package installed inside another's folder keeps its own files
        List<String> folders = new ArrayList<>(packages.keySet());
        folders.sort(Comparator.comparingInt(String::length).reversed());
        Set<String> claimed = new HashSet<>();
        Map<String, List<String>> owned = new TreeMap<>();
        for (String folder : folders) {
            List<String> files = new ArrayList<>();
            for (FileTree.Entry below : tree.entriesBelow(folder)) {
                if (below.node().kind() != FileNode.Kind.DIRECTORY && claimed.add(below.path())) {
                    files.add(below.path());
                }
            }
            owned.put(folder, files);
        }
        for (Found found : packages.values()) {
            String vendor = found.name().substring(0, found.name().indexOf('/'));
            String name = found.name().substring(found.name().indexOf('/') + 1);
            Purl purl = Purl.of("composer", vendor, name, found.version().isEmpty() ? null : found.version());
            InstalledPackage pkg = new InstalledPackage(PackageType.COMPOSER, found.name(), found.version(), purl, Optional.empty());
            List<String> files = owned.get(found.folder()).stream().sorted().toList();
            context.add(new SbomPackage(purl.toString(), pkg, files, List.of(found.installedJson()), Optional.empty()));
        }
    }

    private record Found(String name, String version, String folder, String installedJson) {}

    private static List<Found> read(String installedJson, CatalogContext context)
    {
        JsonNode json;
        try {
            Optional<byte[]> bytes = context.metadataBytes(installedJson);
            if (bytes.isEmpty()) {
                return List.of();
            }
            json = JSON.readTree(bytes.get());
        }
        catch (InputException | IOException e) {
            context.warn("left out the Composer packages of '" + installedJson + "': " + firstLine(e.getMessage()));
            return List.of();
        }
        JsonNode list = json != null && json.isObject() ? json.path("packages") : json;
        if (list == null || !list.isArray()) {
            context.warn("left out the Composer packages of '" + installedJson + "': it is neither a JSON array nor an object with a \"packages\" array");
            return List.of();
        }
        String composerFolder = installedJson.substring(0, installedJson.length() - "/installed.json".length());
        String vendorFolder = composerFolder.substring(0, composerFolder.lastIndexOf('/'));
        String project = vendorFolder.substring(0, vendorFolder.lastIndexOf('/'));
        List<Found> found = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : list) {
            index++;
            String name = entry.path("name").isTextual() ? entry.path("name").asText() : "";
            int slash = name.indexOf('/');
            if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0 || name.contains("..")) {
                context.warn("left out package " + index + " of '" + installedJson + "': its name " + (name.isEmpty() ? "is missing" : "'" + name + "' is not <vendor>/<name>"));
                continue;
            }
            String version = entry.path("version").isTextual() ? entry.path("version").asText() : "";
            Optional<String> folder = entry.path("install-path").isTextual()
                    ? inside(composerFolder + "/" + entry.path("install-path").asText(), project)
                    : Optional.of(vendorFolder + "/" + name);
            if (folder.isEmpty()) {
                context.warn("left out the Composer package '" + name + "' of '" + installedJson + "': its install-path '"
                        + entry.path("install-path").asText() + "' is not a folder inside the project '" + project + "'");
                continue;
            }
            found.add(new Found(name, version, folder.get(), installedJson));
        }
        return found;
    }

    // the normalised folder, if it lies strictly below the project folder (never the project itself: it would own everything)
    private static Optional<String> inside(String path, String project)
    {
        List<String> resolved = new ArrayList<>();
        for (String segment : FileTree.segments(path)) {
            if (segment.equals("..")) {
                if (resolved.isEmpty()) {
                    return Optional.empty();
                }
                resolved.remove(resolved.size() - 1);
            }
            else {
                resolved.add(segment);
            }
        }
        String folder = "/" + String.join("/", resolved);
        return folder.startsWith(project + "/") && !folder.equals(project + "/vendor/composer") ? Optional.of(folder) : Optional.empty();
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
