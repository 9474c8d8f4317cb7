package io.runlight.insights.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageType;

/**
 * Python distributions as pip, uv and Debian's python3-* packages install them.
 *
 * <ul>
 *   <li>{@code <name>-<version>.dist-info/}: name and version from {@code METADATA}; owned files
 *       from {@code RECORD}, whose paths are relative to the site-packages folder holding the
 *       {@code .dist-info} ({@code ../../../bin/pip} included).</li>
 *   <li>{@code <name>-<version>.egg-info/}: {@code PKG-INFO}; owned files from
 *       {@code installed-files.txt}, relative to the {@code .egg-info} folder. Without it
 *       (Debian's packages) the distribution has no file list here: dpkg owns its files.</li>
 *   <li>A {@code .py} file owns the {@code __pycache__/<module>.*.pyc} beside it, which the
 *       interpreter writes after the install and {@code RECORD} therefore cannot list.</li>
 * </ul>
 * A malformed record is a warning, and that distribution is left out: the rest still count.
 */
final class PythonPackages
        implements Ecosystem
{
    private static final DocumentFormat FORMAT = DocumentFormat.RUNLIGHT_CATALOG;
    // "cpython-311.pyc", "cpython-311.opt-2.pyc", "pypy39.pyc" (PEP 3147 and PEP 488)
    private static final java.util.regex.Pattern CACHE_TAG = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+(\\.opt-[0-9]+)?\\.pyc");

    @Override
    public boolean wantsMetadata(String path)
    {
        // asked of every file of an image: no substrings made
        int slash = path.lastIndexOf('/');
        if (endsAt(path, slash, ".dist-info")) {
            return path.endsWith("/METADATA") || path.endsWith("/RECORD");
        }
        if (endsAt(path, slash, ".egg-info")) {
            return path.endsWith("/PKG-INFO") || path.endsWith("/installed-files.txt");
        }
        // a single-file egg-info (distutils)
        return path.endsWith(".egg-info") && path.length() - slash - 1 >= ".egg-info".length();
    }

    private static boolean endsAt(String path, int end, String suffix)
    {
        return end >= suffix.length() && path.startsWith(suffix, end - suffix.length());
    }

    @Override
    public void finish(CatalogContext context)
    {
        FileTree tree = context.tree();
        for (FileTree.Entry entry : tree.entries()) {
            String path = entry.path();
            boolean distInfo = path.endsWith(".dist-info") && entry.node().kind() == FileNode.Kind.DIRECTORY;
            boolean eggInfo = path.endsWith(".egg-info") && entry.node().kind() != FileNode.Kind.SYMLINK;
            if (!distInfo && !eggInfo) {
                continue;
            }
            try {
                distribution(path, distInfo, entry.node(), context).ifPresent(context::add);
            }
            catch (InputException | java.io.IOException e) {
                context.warn("left out the Python distribution '" + path + "': " + e.getMessage());
            }
        }
    }

    private Optional<SbomPackage> distribution(String folder, boolean distInfo, FileNode node, CatalogContext context)
            throws java.io.IOException
    {
        String metadataPath = node.kind() == FileNode.Kind.DIRECTORY ? folder + (distInfo ? "/METADATA" : "/PKG-INFO") : folder;
        Map<String, String> headers = headers(context, metadataPath);
        String fileName = folder.substring(folder.lastIndexOf('/') + 1);
        String stem = fileName.substring(0, fileName.lastIndexOf('.'));
        String name = headers.getOrDefault("Name", nameFromFolder(stem));
        String version = headers.getOrDefault("Version", versionFromFolder(stem));
        if (name.isBlank()) {
            context.warn("left out the Python distribution '" + folder + "': it names no distribution");
            return Optional.empty();
        }
        String sitePackages = folder.substring(0, folder.lastIndexOf('/'));
        TreeSet<String> owned = new TreeSet<>();
        if (distInfo) {
            for (String line : lines(context, folder + "/RECORD")) {
                String relative = firstCsvField(line);
                if (!relative.isEmpty()) {
                    owned.add(join(sitePackages, relative));
                }
            }
        }
        else if (node.kind() == FileNode.Kind.DIRECTORY) {
            for (String line : lines(context, folder + "/installed-files.txt")) {
                if (!line.isBlank()) {
                    owned.add(join(folder, line.strip()));
                }
            }
        }
        addBytecode(owned, context.tree());
        owned.removeIf(path -> isFolder(context.tree(), path));
        InstalledPackage pkg = InstalledPackage.applicationPackage(PackageType.PYPI, null, normalizedName(name), version);
        return Optional.of(new SbomPackage(pkg.purl().toString(), new InstalledPackage(PackageType.PYPI, name, version, pkg.purl(), Optional.empty()),
                List.copyOf(owned), List.of(metadataPath), Optional.empty()));
    }

    // RFC 822 headers up to the first blank line (the description follows)
    private static Map<String, String> headers(CatalogContext context, String path)
            throws java.io.IOException
    {
        Map<String, String> headers = new java.util.HashMap<>();
        for (String line : lines(context, path)) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    // the file's lines (bytes that are not UTF-8 replaced); none if there is no such file
    private static List<String> lines(CatalogContext context, String path)
            throws java.io.IOException
    {
        Optional<byte[]> bytes = context.metadataBytes(path);
        if (bytes.isEmpty()) {
            return List.of();
        }
        return new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    // __pycache__/<module>.<tag>.pyc next to each owned <module>.py
    private static void addBytecode(TreeSet<String> owned, FileTree tree)
    {
        List<String> bytecode = new ArrayList<>();
        for (String path : owned) {
            if (!path.endsWith(".py")) {
                continue;
            }
            int slash = path.lastIndexOf('/');
            String module = path.substring(slash + 1, path.length() - 3);
            String cache = path.substring(0, slash) + "/__pycache__";
            for (FileTree.Entry below : tree.entriesBelow(cache)) {
                String cached = below.path();
                String cachedName = cached.substring(cached.lastIndexOf('/') + 1);
                if (cachedName.startsWith(module + ".") && CACHE_TAG.matcher(cachedName.substring(module.length() + 1)).matches()) {
                    bytecode.add(cached);
                }
            }
        }
        owned.addAll(bytecode);
    }

    private static boolean isFolder(FileTree tree, String path)
    {
        FileNode node = tree.node(path);
        return node != null && node.kind() == FileNode.Kind.DIRECTORY;
    }

    // "path,sha256=...,123" or "\"a,b.py\",sha256=...,1"
    static String firstCsvField(String line)
    {
        if (line.startsWith("\"")) {
            StringBuilder field = new StringBuilder();
            for (int i = 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                        continue;
                    }
                    return field.toString();
                }
                field.append(c);
            }
            return field.toString();
        }
        int comma = line.indexOf(',');
        return comma < 0 ? line.strip() : line.substring(0, comma);
    }

    static String join(String folder, String relative)
    {
        String combined = relative.startsWith("/") ? relative : folder + "/" + relative;
        List<String> segments = new ArrayList<>();
        for (String segment : combined.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                continue;
            }
            segments.add(segment);
        }
        return "/" + String.join("/", segments);
    }

    // PEP 503: lower case, runs of "-", "_", "." become one "-"
    static String normalizedName(String name)
    {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    // "requests-2.31.0" -> "requests"; wheel folder names escape "-" in names as "_"
    private static String nameFromFolder(String stem)
    {
        int dash = stem.indexOf('-');
        return dash < 0 ? stem : stem.substring(0, dash);
    }

    private static String versionFromFolder(String stem)
    {
        int dash = stem.indexOf('-');
        if (dash < 0) {
            return "";
        }
        String rest = stem.substring(dash + 1);
        int pyTag = rest.indexOf("-py");
        return pyTag < 0 ? rest : rest.substring(0, pyTag);
    }
}
