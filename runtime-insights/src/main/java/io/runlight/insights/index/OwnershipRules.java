package io.runlight.insights.index;

import java.util.Optional;

import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.PackageType;

/**
 * The ecosystem rules of docs/architecture.md, "Matching files to packages": which paths and
 * directories a package claims, from its owned files and its locations.
 *
 * <ul>
 * <li>Every package: each owned file (dpkg/apk/rpm lists, Python {@code RECORD}, NuGet
 *     assemblies, CycloneDX occurrences) is a {@link Confidence#FILE} claim.</li>
 * <li>OS packages (deb, apk, rpm): nothing else; their location is the package database.</li>
 * <li>A package nested in an archive: the outer archive (and its locations) are
 *     {@link Confidence#NESTED} claims.</li>
 * <li>Maven: the jar (location, without any {@code :inner/path} suffix) is a FILE claim.</li>
 * <li>Go and Cargo: the binary is a {@link Confidence#BINARY} claim ({@code go.mod},
 *     {@code go.sum}, {@code Cargo.lock}, {@code Cargo.toml} stay FILE claims).</li>
 * <li>npm: {@code .../node_modules/<name>/package.json} (or {@code @scope/<name>}) claims its
 *     directory ({@link Confidence#DIRECTORY}); a lock file ({@code package-lock.json},
 *     {@code npm-shrinkwrap.json}, {@code yarn.lock}, {@code pnpm-lock.yaml}) claims
 *     {@code <lock dir>/node_modules/<scope/name>}.</li>
 * <li>Composer: {@code vendor/<vendor>/<name>/composer.json} claims its directory;
 *     {@code vendor/composer/installed.json} and {@code composer.lock} claim
 *     {@code vendor/<vendor>/<name>} by the purl's namespace and name.</li>
 * <li>Ruby gems: {@code .../specifications/<name>-<version>.gemspec} claims
 *     {@code .../gems/<name>-<version>}; a location inside {@code gems/<name>-<version>/} claims that directory.</li>
 * <li>NuGet: a {@code .nuspec} or {@code .nupkg} claims its directory (the packages folder
 *     layout); a {@code .deps.json} claims the assembly {@code <its dir>/<name>.dll}.</li>
 * <li>Any other location is a FILE claim (opening it is evidence of access, not of a load,
 *     unless it is code).</li>
 * </ul>
 *
 * <p>Owned files, jars, binaries and package directories are <em>complete</em> claims: they
 * stand for everything of the package that could run, so a package that has one and was
 * never seen can be judged not in use. Manifests ({@code package.json} outside
 * {@code node_modules}, {@code METADATA}, {@code pom.xml}, lock files) and the directory a
 * lock file guesses are hints: matched, but they never make a package judgeable
 * (DESIGN.md decision 8).
 */
final class OwnershipRules
{
    /** Receives claims; paths are as the SBOM writes them, normalised by the receiver. */
    interface ClaimSink
    {
        /**
         * @param complete whether the claim stands for everything of the package that could
         *        run (an owned-file list, the jar itself, a package directory), rather than a
         *        hint such as a manifest or a guessed folder: only complete claims let an
         *        unseen package be judged not in use
         */
        void file(String path, Confidence confidence, boolean complete);

        void directory(String path, Confidence confidence, boolean complete);
    }

    private OwnershipRules() {}

    static void claims(SbomPackage sbomPackage, ClaimSink sink)
    {
        for (String file : sbomPackage.ownedFiles()) {
            sink.file(file, Confidence.FILE, true);
        }
        PackageType type = sbomPackage.pkg().type();
        if (type.isOperatingSystem()) {
            return;
        }
        if (sbomPackage.nestedIn().isPresent()) {
            sink.file(archivePath(sbomPackage.nestedIn().get()), Confidence.NESTED, true);
            for (String location : sbomPackage.locations()) {
                sink.file(archivePath(location), Confidence.NESTED, true);
            }
            return;
        }
        for (String location : sbomPackage.locations()) {
            locationClaims(sbomPackage, type, location, sink);
        }
    }

    private static void locationClaims(SbomPackage sbomPackage, PackageType type, String location, ClaimSink sink)
    {
        String name = fileName(location);
        String parent = parent(location);
        switch (type) {
            case MAVEN -> {
                // the jar itself is everything the package loads; a pom.xml or a folder is only a hint
                String archive = archivePath(location);
                sink.file(archive, Confidence.FILE, LoadKind.ofFile(archive) == LoadKind.INTERPRETED_CODE);
            }
            case GOLANG, CARGO -> {
                boolean manifest = name.equals("go.mod") || name.equals("go.sum") || name.equals("Cargo.lock") || name.equals("Cargo.toml");
                sink.file(location, manifest ? Confidence.FILE : Confidence.BINARY, !manifest);
            }
            case NPM -> {
                sink.file(location, Confidence.FILE, false);
                if (name.equals("package.json") && isNodeModulesPackageDirectory(parent)) {
                    sink.directory(parent, Confidence.DIRECTORY, true);
                }
                else if (isLockFile(name)) {
                    // a guess: the package may sit nested below another one (two versions of one name), not hoisted here
                    sink.directory(parent + "/node_modules/" + qualifiedName(sbomPackage), Confidence.DIRECTORY, false);
                }
            }
            case COMPOSER -> {
                sink.file(location, Confidence.FILE, false);
                if (name.equals("composer.json") && fileName(parent(parent(parent))).equals("vendor")) {
                    sink.directory(parent, Confidence.DIRECTORY, true);
                }
                else if (name.equals("installed.json") && fileName(parent).equals("composer") && fileName(parent(parent)).equals("vendor")) {
                    sink.directory(parent(parent) + "/" + qualifiedName(sbomPackage), Confidence.DIRECTORY, true);
                }
                else if (name.equals("composer.lock")) {
                    sink.directory(parent + "/vendor/" + qualifiedName(sbomPackage), Confidence.DIRECTORY, true);
                }
            }
            case GEM -> {
                sink.file(location, Confidence.FILE, false);
                gemDirectory(location, name, parent).ifPresent(directory -> sink.directory(directory, Confidence.DIRECTORY, true));
            }
            case NUGET -> {
                sink.file(location, Confidence.FILE, false);
                if (name.endsWith(".nuspec") || name.endsWith(".nupkg")) {
                    sink.directory(parent, Confidence.DIRECTORY, true);
                }
                else if (name.endsWith(".deps.json")) {
                    sink.file(parent + "/" + sbomPackage.pkg().name() + ".dll", Confidence.FILE, true);
                }
            }
            // a Python location is its METADATA (its files come from RECORD as owned files); other locations are hints
            case PYPI, OTHER, DEB, APK, RPM -> sink.file(location, Confidence.FILE, false);
        }
    }

    private static Optional<String> gemDirectory(String location, String name, String parent)
    {
        if (name.endsWith(".gemspec") && fileName(parent).equals("specifications")) {
            return Optional.of(parent(parent) + "/gems/" + name.substring(0, name.length() - ".gemspec".length()));
        }
        int gems = location.lastIndexOf("/gems/");
        if (gems >= 0) {
            int end = location.indexOf('/', gems + "/gems/".length());
            if (end > 0) {
                return Optional.of(location.substring(0, end));
            }
        }
        return Optional.empty();
    }

    private static boolean isNodeModulesPackageDirectory(String directory)
    {
        String up = parent(directory);
        if (fileName(up).equals("node_modules")) {
            return true;
        }
        return fileName(up).startsWith("@") && fileName(parent(up)).equals("node_modules");
    }

    private static boolean isLockFile(String name)
    {
        return name.equals("package-lock.json") || name.equals("npm-shrinkwrap.json") || name.equals("yarn.lock") || name.equals("pnpm-lock.yaml");
    }

    // "@scope/name" for npm, "vendor/name" for Composer, from the purl (its namespace is the scope or vendor)
    private static String qualifiedName(SbomPackage sbomPackage)
    {
        String name = sbomPackage.pkg().purl().name();
        return sbomPackage.pkg().purl().namespace().map(namespace -> namespace + "/" + name).orElse(name);
    }

    // "/app/app.jar:BOOT-INF/lib/inner.jar" -> "/app/app.jar"
    private static String archivePath(String path)
    {
        int colon = path.indexOf(':');
        return colon > 0 ? path.substring(0, colon) : path;
    }

    private static String fileName(String path)
    {
        String trimmed = stripTrailingSlash(path);
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String parent(String path)
    {
        String trimmed = stripTrailingSlash(path);
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? "" : trimmed.substring(0, slash);
    }

    private static String stripTrailingSlash(String path)
    {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
