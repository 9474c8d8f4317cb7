package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A package while its document is still being read: what the package entry said, plus
 * files and locations gathered so far. It becomes an {@link SbomPackage} only once the
 * whole document has been read, because the distro, and files linked by relationships,
 * may come later in the document.
 */
final class PackageDraft
{
    private final String id;
    private final PackageType type;
    private final String name;
    private final String version;
    // held compactly as they are read: a package database lists hundreds of thousands of files
    private final CompactPaths.Builder ownedFiles = new CompactPaths.Builder();
    private final List<String> locations = new ArrayList<>();
    private Optional<Purl> purl = Optional.empty();
    private Optional<String> namespace = Optional.empty();
    private Optional<String> arch = Optional.empty();
    private Optional<String> nestedIn = Optional.empty();

    /**
     * @param id the document's id for the package
     * @param type the ecosystem, already resolved against the purl
     * @param version {@code ""} if the document gives none
     */
    PackageDraft(String id, PackageType type, String name, String version)
    {
        this.id = requireNonBlank(id, "id");
        this.type = requireNonNull(type, "type is null");
        this.name = requireNonBlank(name, "name");
        this.version = requireNonNull(version, "version is null");
    }

    String id()
    {
        return id;
    }

    PackageType type()
    {
        return type;
    }

    String name()
    {
        return name;
    }

    /** The purl the document gave, if valid. */
    PackageDraft purl(Optional<Purl> value)
    {
        purl = requireNonNull(value, "value is null");
        return this;
    }

    /** The namespace (group, vendor, scope) to use if a purl has to be built. */
    PackageDraft namespace(Optional<String> value)
    {
        namespace = requireNonNull(value, "value is null").filter(text -> !text.isBlank());
        return this;
    }

    /** The architecture the package was built for (OS packages). */
    PackageDraft arch(Optional<String> value)
    {
        arch = requireNonNull(value, "value is null").filter(text -> !text.isBlank());
        return this;
    }

    /** For a jar inside a jar, the outermost archive on disk. */
    PackageDraft nestedIn(Optional<String> value)
    {
        nestedIn = requireNonNull(value, "value is null").filter(text -> !text.isBlank());
        return this;
    }

    /** A file the package owns, already absolute and normalised where the format allows. */
    void addOwnedFile(String path)
    {
        ownedFiles.add(path);
    }

    /** Makes room for this many more owned files of about this many characters in all. */
    void expectOwnedFiles(int files, long characters)
    {
        ownedFiles.expect(files, characters);
    }

    /** Where the scanner found the package. */
    void addLocation(String path)
    {
        if (!locations.contains(path)) {
            locations.add(path);
        }
    }

    List<String> locations()
    {
        return locations;
    }

    /**
     * The finished package.
     *
     * @param uniqueId the id, made unique within the SBOM
     * @param documentOs the distribution the document names, if any
     * @param linkedFiles files linked to the package by relationships
     * @return the package, its owned files sorted and distinct
     */
    SbomPackage build(String uniqueId, Optional<OsInfo> documentOs, List<String> linkedFiles)
    {
        Optional<OsInfo> os = type.isOperatingSystem() ? osOf(documentOs) : Optional.empty();
        Purl packageUrl = purl.orElseGet(() -> buildPurl(os));
        InstalledPackage pkg = new InstalledPackage(type, name, version, packageUrl, os);
        return new SbomPackage(uniqueId, pkg, ownedFiles(linkedFiles), locations, nestedIn);
    }

    // sorted and distinct: the same files in any document order give the same package
    private List<String> ownedFiles(List<String> linkedFiles)
    {
        // package databases list files in order already: then neither sorting nor removing duplicates changes anything
        if (linkedFiles.isEmpty() && ownedFiles.strictlyAscending()) {
            return ownedFiles.build();
        }
        List<String> all = ownedFiles.strings();
        all.addAll(linkedFiles);
        if (isStrictlyAscending(all)) {
            return CompactPaths.of(all);
        }
        all.sort(null);
        List<String> distinct = new ArrayList<>(all.size());
        for (String path : all) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(path)) {
                distinct.add(path);
            }
        }
        return CompactPaths.of(distinct);
    }

    private static boolean isStrictlyAscending(List<String> paths)
    {
        for (int i = 1; i < paths.size(); i++) {
            if (paths.get(i - 1).compareTo(paths.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private Optional<OsInfo> osOf(Optional<OsInfo> documentOs)
    {
        Optional<OsInfo> fromPurl = purl.flatMap(PackageTypes::osFromPurl);
        Optional<OsInfo> base = documentOs.isPresent() ? documentOs : fromPurl;
        if (base.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> packageArch = arch.isPresent() ? arch : fromPurl.flatMap(OsInfo::arch);
        return Optional.of(packageArch.map(base.get()::withArch).orElse(new OsInfo(base.get().family(), base.get().version(), Optional.empty())));
    }

    private Purl buildPurl(Optional<OsInfo> os)
    {
        String purlVersion = version.isEmpty() ? null : version;
        if (type.isOperatingSystem()) {
            if (os.isPresent()) {
                return InstalledPackage.osPackage(type, name, version, os.get()).purl();
            }
            return Purl.of(type.purlType(), null, name, purlVersion).withQualifier("arch", arch.orElse(""));
        }
        if (namespace.isPresent()) {
            return Purl.of(type.purlType(), namespace.get(), name, purlVersion);
        }
        int slash = name.lastIndexOf('/');
        boolean pathLikeName = type == PackageType.GOLANG || type == PackageType.COMPOSER || type == PackageType.NPM;
        if (pathLikeName && slash > 0 && slash < name.length() - 1) {
            return Purl.of(type.purlType(), name.substring(0, slash), name.substring(slash + 1), purlVersion);
        }
        return Purl.of(type.purlType(), null, name, purlVersion);
    }
}
