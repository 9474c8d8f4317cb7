package io.runlight.insights.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.input.JsonDescriptions;
import io.runlight.insights.input.JsonFields;
import io.runlight.insights.input.JsonInput;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static java.util.Objects.requireNonNull;

/**
 * Reads a Trivy JSON report ({@code SchemaVersion} 2) as an SBOM, streaming
 * {@code Results[]} and, inside each result, one package or vulnerability at a time.
 *
 * <ul>
 *   <li>The image: {@code Metadata.ImageID} (config digest) first, then {@code Metadata.RepoDigests};
 *       {@code ArtifactName}, {@code Metadata.RepoTags} and {@code Metadata.Reference} as names.
 *       {@code Metadata.OS} gives the distro.</li>
 *   <li>Packages come from {@code Results[].Packages[]} (written with {@code --list-all-pkgs}):
 *       {@code Identifier.PURL}, {@code InstalledFiles} (made absolute: Trivy writes them
 *       without the leading {@code /}) and {@code FilePath} (a language package's location).</li>
 *   <li>A result without a {@code Packages} field (a report written without
 *       {@code --list-all-pkgs}) still names its vulnerable packages: they are taken from its
 *       {@code Vulnerabilities[]} ({@code PkgName}, {@code InstalledVersion},
 *       {@code PkgIdentifier}, {@code PkgPath}), once each, without owned files. Such an SBOM
 *       lists only vulnerable packages; the index then knows nothing of the others.</li>
 * </ul>
 */
public final class TrivyJsonReader
{
    private static final DocumentFormat FORMAT = DocumentFormat.TRIVY_JSON;
    private static final JsonFields<InputException> FIELDS = JsonFields.of(FORMAT, JsonDescriptions::describeInDetail);

    private final JsonInput json;

    public TrivyJsonReader(InputLimits limits)
    {
        this.json = new JsonInput(requireNonNull(limits, "limits is null"));
    }

    /**
     * Reads one Trivy JSON report.
     *
     * @throws InputException if the document is malformed, invalid or over a limit; nothing is returned then
     */
    public Sbom read(InputStream in)
    {
        return read(in, "/");
    }

    /**
     * Reads one document whose relative paths are relative to {@code root}, the absolute
     * path of the scanned folder in the container ({@code /app}).
     *
     * @throws InputException if the document is malformed, invalid or over a limit; nothing is returned then
     * @throws IllegalArgumentException if the root is not an absolute path
     */
    public Sbom read(InputStream in, String root)
    {
        requireNonNull(in, "in is null");
        String scanRoot = SbomPaths.root(root);
        Document document = new Document(new ItemBudget(FORMAT, json.limits().maxItems()), scanRoot);
        JsonStream.readObject(json, in, FORMAT, document::field);
        return document.finish();
    }

    /** A package as one result lists it, before the result's {@code Type} is known for sure. */
    private record TrivyPackage(String id, String key, String name, String version, Optional<Purl> purl, Optional<String> arch,
                                List<String> installedFiles, Optional<String> filePath) {}

    private final class Document
    {
        private final ItemBudget budget;
        private final PackageDrafts packages = new PackageDrafts();
        private final Set<String> vulnerablePackageKeys = new HashSet<>();
        private final ImageIdentityBuilder image = new ImageIdentityBuilder();
        private Optional<OsInfo> os = Optional.empty();
        private Optional<String> schemaVersion = Optional.empty();

        private final String root;

        Document(ItemBudget budget, String root)
        {
            this.budget = budget;
            this.root = root;
        }

        // a path as the document writes it, relative ones resolved against the scanned folder's place in the container
        private String path(String documented)
        {
            return SbomPaths.join(root, documented);
        }

        void field(String name, String pointer, JsonParser parser)
                throws IOException
        {
            switch (name) {
                case "SchemaVersion" -> schemaVersion = Optional.ofNullable(JsonStream.scalar(parser, FORMAT, pointer, "the schema version 2"));
                case "ArtifactName" -> image.reference(Optional.ofNullable(JsonStream.scalar(parser, FORMAT, pointer, "the artifact name")));
                case "Metadata" -> metadata(json.readTree(parser), pointer);
                case "Results" -> JsonStream.forEachElement(parser, FORMAT, pointer, "an array of results", this::result);
                default -> parser.skipChildren();
            }
        }

        Sbom finish()
        {
            if (schemaVersion.isEmpty() || !schemaVersion.get().equals("2")) {
                throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), "/SchemaVersion",
                        "expected 2 (Trivy's JSON schema version), found " + schemaVersion.map(value -> "\"" + value + "\"").orElse("nothing"));
            }
            return new Sbom(FORMAT, image.build(), os, packages.build(os));
        }

        private void metadata(JsonNode metadata, String pointer)
        {
            if (metadata.isNull()) {
                return;
            }
            FIELDS.requireObject(metadata, pointer, "the metadata object");
            JsonNode osNode = FIELDS.object(metadata, "OS", pointer).orElse(MissingNode.getInstance());
            Optional<String> family = FIELDS.scalar(osNode, "Family", pointer + "/OS").filter(value -> !value.isBlank());
            if (family.isPresent()) {
                os = Optional.of(new OsInfo(family.get().strip().toLowerCase(Locale.ROOT), FIELDS.scalar(osNode, "Name", pointer + "/OS").orElse(""), Optional.empty()));
            }
            image.configDigest(FIELDS.scalar(metadata, "ImageID", pointer));
            references(metadata, pointer, "RepoDigests");
            references(metadata, pointer, "RepoTags");
            image.reference(FIELDS.scalar(metadata, "Reference", pointer));
        }

        private void references(JsonNode metadata, String pointer, String field)
        {
            List<JsonNode> values = FIELDS.array(metadata, field, pointer);
            for (int index = 0; index < values.size(); index++) {
                image.reference(FIELDS.scalar(values.get(index), pointer + "/" + field + "/" + index));
            }
        }

        private void result(String pointer, JsonParser parser)
                throws IOException
        {
            String[] resultType = new String[1];
            List<TrivyPackage> listed = new ArrayList<>();
            List<TrivyPackage> vulnerable = new ArrayList<>();
            boolean[] packagesListed = new boolean[1];
            JsonStream.forEachFieldOf(parser, FORMAT, pointer, "a result object", (name, fieldPointer, fieldParser) -> {
                switch (name) {
                    case "Type" -> resultType[0] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "the result type");
                    case "Packages" -> {
                        packagesListed[0] = true;
                        JsonStream.forEachElement(fieldParser, FORMAT, fieldPointer, "an array of packages",
                                (elementPointer, elementParser) -> listed.add(listedPackage(json.readTree(elementParser), elementPointer)));
                    }
                    case "Vulnerabilities" -> JsonStream.forEachElement(fieldParser, FORMAT, fieldPointer, "an array of vulnerabilities",
                            (elementPointer, elementParser) -> vulnerable.add(vulnerablePackage(json.readTree(elementParser), elementPointer)));
                    default -> fieldParser.skipChildren();
                }
            });
            PackageType resultPackageType = PackageTypes.fromTrivy(resultType[0] == null ? "" : resultType[0]);
            if (packagesListed[0]) {
                listed.forEach(trivyPackage -> packages.add(draft(trivyPackage, resultPackageType)));
                return;
            }
            for (TrivyPackage trivyPackage : vulnerable) {
                if (vulnerablePackageKeys.add(trivyPackage.key())) {
                    packages.add(draft(trivyPackage, resultPackageType));
                }
            }
        }

        private TrivyPackage listedPackage(JsonNode node, String pointer)
        {
            FIELDS.requireObject(node, pointer, "a package object");
            budget.add(pointer);
            String name = FIELDS.requiredScalar(node, "Name", pointer, "the package name");
            JsonNode identifier = FIELDS.object(node, "Identifier", pointer).orElse(MissingNode.getInstance());
            Optional<String> uid = FIELDS.scalar(identifier, "UID", pointer + "/Identifier");
            Optional<String> trivyId = FIELDS.scalar(node, "ID", pointer);
            String version = FIELDS.scalar(node, "Version", pointer).orElse("");
            Optional<String> release = FIELDS.scalar(node, "Release", pointer);
            if (release.isPresent()) {
                version = version + "-" + release.get();
            }
            Optional<String> epoch = FIELDS.scalar(node, "Epoch", pointer).filter(value -> !value.equals("0"));
            if (epoch.isPresent()) {
                version = epoch.get() + ":" + version;
            }
            String id = trivyId.or(() -> uid).orElse(version.isEmpty() ? name : name + "@" + version);
            List<JsonNode> files = FIELDS.array(node, "InstalledFiles", pointer);
            budget.add(pointer + "/InstalledFiles", files.size());
            List<String> installedFiles = new ArrayList<>(files.size());
            for (int index = 0; index < files.size(); index++) {
                FIELDS.scalar(files.get(index), pointer + "/InstalledFiles/" + index).map(this::path).ifPresent(installedFiles::add);
            }
            return new TrivyPackage(id, uid.or(() -> trivyId).orElse(id), name, version, PackageTypes.parsePurl(FIELDS.scalar(identifier, "PURL", pointer + "/Identifier")),
                    FIELDS.scalar(node, "Arch", pointer), installedFiles, FIELDS.scalar(node, "FilePath", pointer));
        }

        private TrivyPackage vulnerablePackage(JsonNode node, String pointer)
        {
            FIELDS.requireObject(node, pointer, "a vulnerability object");
            budget.add(pointer);
            String name = FIELDS.requiredScalar(node, "PkgName", pointer, "the vulnerable package's name");
            String version = FIELDS.scalar(node, "InstalledVersion", pointer).orElse("");
            JsonNode identifier = FIELDS.object(node, "PkgIdentifier", pointer).orElse(MissingNode.getInstance());
            Optional<String> uid = FIELDS.scalar(identifier, "UID", pointer + "/PkgIdentifier");
            Optional<String> trivyId = FIELDS.scalar(node, "PkgID", pointer);
            String id = trivyId.or(() -> uid).orElse(version.isEmpty() ? name : name + "@" + version);
            Optional<String> path = FIELDS.scalar(node, "PkgPath", pointer);
            // one package per UID; without one, per id and path (two copies of a jar are two packages)
            String key = uid.orElse(id + path.map(value -> " " + value).orElse(""));
            return new TrivyPackage(id, key, name, version, PackageTypes.parsePurl(FIELDS.scalar(identifier, "PURL", pointer + "/PkgIdentifier")),
                    Optional.empty(), List.of(), path);
        }

        private PackageDraft draft(TrivyPackage trivyPackage, PackageType resultPackageType)
        {
            PackageType type = trivyPackage.purl().map(value -> PackageType.fromPurlType(value.type())).orElse(resultPackageType);
            String name = trivyPackage.name();
            Optional<String> namespace = Optional.empty();
            int colon = name.indexOf(':');
            if (type == PackageType.MAVEN && colon > 0 && colon < name.length() - 1) {
                // Trivy names jars "group:artifact"; the package name is the artifact id
                namespace = Optional.of(name.substring(0, colon));
                name = name.substring(colon + 1);
            }
            PackageDraft draft = new PackageDraft(trivyPackage.id(), type, name, trivyPackage.version())
                    .purl(trivyPackage.purl())
                    .namespace(namespace)
                    .arch(trivyPackage.arch());
            trivyPackage.installedFiles().forEach(draft::addOwnedFile);
            trivyPackage.filePath().map(this::path).ifPresent(draft::addLocation);
            return draft;
        }
    }
}
