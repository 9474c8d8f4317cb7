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

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.input.JsonDescriptions;
import io.runlight.insights.input.JsonFields;
import io.runlight.insights.input.JsonInput;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static java.util.Objects.requireNonNull;

/**
 * Reads an SPDX 2.3 (or 2.2) JSON document as an SBOM, streaming {@code packages[]},
 * {@code files[]} and {@code relationships[]} in whatever order they come.
 *
 * <ul>
 *   <li>A package's purl is its {@code externalRefs[]} entry of {@code referenceType} {@code purl}.</li>
 *   <li>Owned files: {@code CONTAINS} (package to file) and {@code CONTAINED_BY} (file to
 *       package) relationships and {@code hasFiles}, resolved to {@code files[].fileName}.</li>
 *   <li>The image is the package of purpose {@code CONTAINER} or with a {@code pkg:oci/...}
 *       purl (the one the document describes, if several); without one, the document's
 *       {@code name} names the image. A package of purpose {@code OPERATING-SYSTEM} gives the distro.</li>
 *   <li>{@code npm sbom}'s {@code packageFileName} of an npm package ({@code node_modules/express})
 *       is the package's folder, resolved against the scanned folder's root.</li>
 *   <li>Syft's {@code sourceInfo} ("acquired package info from installed java archive: /app.jar")
 *       gives the package's locations.</li>
 * </ul>
 */
public final class SpdxJsonReader
{
    private static final DocumentFormat FORMAT = DocumentFormat.SPDX_JSON;
    private static final JsonFields<InputException> FIELDS = JsonFields.of(FORMAT, JsonDescriptions::describeInDetail);
    private static final String SYFT_SOURCE_INFO = "acquired package info from ";

    private final JsonInput json;

    public SpdxJsonReader(InputLimits limits)
    {
        this.json = new JsonInput(requireNonNull(limits, "limits is null"));
    }

    /**
     * Reads one SPDX JSON document.
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

    /** The package that stands for the image itself. */
    private record Container(String id, Optional<String> name, Optional<String> version, Optional<Purl> purl) {}

    private final class Document
    {
        private final ItemBudget budget;
        private final PackageDrafts packages = new PackageDrafts();
        private final FileOwnership ownership = new FileOwnership();
        private final List<Container> containers = new ArrayList<>();
        private final Set<String> described = new HashSet<>();
        private Optional<OsInfo> os = Optional.empty();
        private Optional<OsInfo> osFromPackages = Optional.empty();
        private Optional<String> spdxVersion = Optional.empty();
        private Optional<String> documentName = Optional.empty();
        private boolean packagesSeen;
        private boolean relationshipsSeen;

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
                case "spdxVersion" -> spdxVersion = Optional.ofNullable(JsonStream.scalar(parser, FORMAT, pointer, "an SPDX version such as \"SPDX-2.3\""));
                case "name" -> documentName = Optional.ofNullable(JsonStream.scalar(parser, FORMAT, pointer, "the document name"));
                case "documentDescribes" -> JsonStream.forEachElement(parser, FORMAT, pointer, "an array of SPDX ids", (elementPointer, elementParser) -> {
                    String id = JsonStream.scalar(elementParser, FORMAT, elementPointer, "an SPDX id");
                    if (id != null) {
                        described.add(id);
                    }
                });
                case "packages" -> {
                    JsonStream.forEachElement(parser, FORMAT, pointer, "an array of packages",
                            (elementPointer, elementParser) -> spdxPackage(json.readTree(elementParser), elementPointer));
                    packagesSeen = true;
                    linksMaybeComplete();
                }
                case "files" -> JsonStream.forEachElement(parser, FORMAT, pointer, "an array of files", this::file);
                case "relationships" -> {
                    JsonStream.forEachElement(parser, FORMAT, pointer, "an array of relationships", this::relationship);
                    relationshipsSeen = true;
                    linksMaybeComplete();
                }
                default -> parser.skipChildren();
            }
        }

        Sbom finish()
        {
            if (spdxVersion.isEmpty() || !spdxVersion.get().startsWith("SPDX-2.")) {
                throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), "/spdxVersion",
                        "expected \"SPDX-2.3\" (or another SPDX 2.x version), found " + spdxVersion.map(value -> "\"" + value + "\"").orElse("nothing"));
            }
            Optional<OsInfo> documentOs = os.isPresent() ? os : osFromPackages;
            return new Sbom(FORMAT, identity(), documentOs, packages.build(documentOs, ownership::filesOf));
        }

        private void linksMaybeComplete()
        {
            if (packagesSeen && relationshipsSeen) {
                ownership.linksComplete();
            }
        }

        private void spdxPackage(JsonNode node, String pointer)
        {
            FIELDS.requireObject(node, pointer, "a package object");
            budget.add(pointer);
            String id = FIELDS.requiredScalar(node, "SPDXID", pointer, "the package's SPDX id");
            Optional<String> purlText = purlOf(node, pointer);
            Optional<Purl> purl = PackageTypes.parsePurl(purlText);
            String purpose = FIELDS.scalar(node, "primaryPackagePurpose", pointer).orElse("").toUpperCase(Locale.ROOT);
            Optional<String> version = FIELDS.scalar(node, "versionInfo", pointer);
            if (purpose.equals("CONTAINER") || purl.map(value -> value.type().equals("oci")).orElse(false)
                    || id.startsWith("SPDXRef-DocumentRoot-")) {
                containers.add(new Container(id, FIELDS.scalar(node, "name", pointer), version, purl));
                return;
            }
            if (purpose.equals("OPERATING-SYSTEM")) {
                Optional<String> family = FIELDS.scalar(node, "name", pointer).filter(value -> !value.isBlank());
                if (os.isEmpty() && family.isPresent()) {
                    os = Optional.of(new OsInfo(family.get().strip().toLowerCase(Locale.ROOT), version.orElse(""), Optional.empty()));
                }
                return;
            }
            String name = FIELDS.requiredScalar(node, "name", pointer, "the package name");
            PackageType type = purl.map(value -> PackageType.fromPurlType(value.type())).orElse(PackageType.OTHER);
            PackageDraft draft = new PackageDraft(id, type, name, version.orElse("")).purl(purl);
            if (type.isOperatingSystem() && osFromPackages.isEmpty()) {
                osFromPackages = purl.flatMap(PackageTypes::osFromPurl).map(value -> new OsInfo(value.family(), value.version(), Optional.empty()));
            }
            FIELDS.scalar(node, "sourceInfo", pointer).ifPresent(sourceInfo -> syftLocations(sourceInfo, draft));
            // npm sbom: "packageFileName": "node_modules/express", the package's folder relative to the project
            FIELDS.scalar(node, "packageFileName", pointer)
                    .filter(folder -> type == PackageType.NPM && (folder.startsWith("node_modules/") || folder.contains("/node_modules/")))
                    .ifPresent(folder -> draft.addLocation(path(folder) + "/package.json"));
            List<JsonNode> hasFiles = FIELDS.array(node, "hasFiles", pointer);
            budget.add(pointer + "/hasFiles", hasFiles.size());
            for (int index = 0; index < hasFiles.size(); index++) {
                FIELDS.scalar(hasFiles.get(index), pointer + "/hasFiles/" + index).ifPresent(fileId -> ownership.contains(id, fileId));
            }
            packages.add(draft);
        }

        private Optional<String> purlOf(JsonNode node, String pointer)
        {
            List<JsonNode> references = FIELDS.array(node, "externalRefs", pointer);
            for (int index = 0; index < references.size(); index++) {
                String referencePointer = pointer + "/externalRefs/" + index;
                JsonNode reference = FIELDS.requireObject(references.get(index), referencePointer, "an external reference object");
                if ("purl".equals(FIELDS.scalar(reference, "referenceType", referencePointer).orElse(""))) {
                    Optional<String> locator = FIELDS.scalar(reference, "referenceLocator", referencePointer);
                    if (locator.isPresent() && Purl.isValid(locator.get())) {
                        return locator;
                    }
                }
            }
            return Optional.empty();
        }

        private void file(String pointer, JsonParser parser)
                throws IOException
        {
            budget.add(pointer);
            String[] idAndName = new String[2];
            JsonStream.forEachFieldOf(parser, FORMAT, pointer, "a file object", (name, fieldPointer, fieldParser) -> {
                switch (name) {
                    case "SPDXID" -> idAndName[0] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "the file's SPDX id");
                    case "fileName" -> idAndName[1] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "a file name");
                    default -> fieldParser.skipChildren();
                }
            });
            if (idAndName[0] != null && idAndName[1] != null && !idAndName[1].isEmpty()) {
                ownership.file(idAndName[0], path(idAndName[1]));
            }
        }

        private void relationship(String pointer, JsonParser parser)
                throws IOException
        {
            budget.add(pointer);
            String[] elementRelatedType = new String[3];
            JsonStream.forEachFieldOf(parser, FORMAT, pointer, "a relationship object", (name, fieldPointer, fieldParser) -> {
                switch (name) {
                    case "spdxElementId" -> elementRelatedType[0] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "an SPDX id");
                    case "relatedSpdxElement" -> elementRelatedType[1] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "an SPDX id");
                    case "relationshipType" -> elementRelatedType[2] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "a relationship type");
                    default -> fieldParser.skipChildren();
                }
            });
            String element = elementRelatedType[0];
            String related = elementRelatedType[1];
            String type = elementRelatedType[2];
            if (element == null || related == null || type == null) {
                return;
            }
            switch (type) {
                case "CONTAINS" -> ownership.contains(element, related);
                case "CONTAINED_BY" -> ownership.contains(related, element);
                case "DESCRIBES" -> described.add(related);
                case "DESCRIBED_BY" -> described.add(element);
                default -> {
                    // dependencies, evidence and other relationships say nothing about owned files
                }
            }
        }

        private ImageIdentity identity()
        {
            Optional<Container> container = containers.stream().filter(candidate -> described.contains(candidate.id())).findFirst()
                    .or(() -> containers.stream().findFirst());
            ImageIdentityBuilder builder = new ImageIdentityBuilder();
            if (container.isEmpty()) {
                builder.reference(documentName);
                return builder.build();
            }
            builder.manifestDigest(container.get().version());
            Optional<Purl> purl = container.get().purl().filter(value -> value.type().equals("oci"));
            String repository = purl.flatMap(value -> value.qualifier("repository_url")).or(() -> purl.map(Purl::name))
                    .or(() -> container.get().name()).orElse("");
            purl.flatMap(Purl::version).filter(ImageDigest::isValid).filter(digest -> !repository.isEmpty())
                    .ifPresent(digest -> builder.reference(Optional.of(repository + "@" + digest)));
            builder.name(container.get().name());
            purl.flatMap(value -> value.qualifier("tag")).filter(tag -> !repository.isEmpty())
                    .ifPresent(tag -> builder.name(Optional.of(repository + ":" + tag)));
            builder.reference(documentName);
            return builder.build();
        }
    }

    // Syft: "acquired package info from installed java archive: /app/lib/a.jar, /app/lib/b.jar"
    private static void syftLocations(String sourceInfo, PackageDraft draft)
    {
        if (!sourceInfo.startsWith(SYFT_SOURCE_INFO)) {
            return;
        }
        int colon = sourceInfo.indexOf(": ");
        if (colon < 0) {
            return;
        }
        for (String path : sourceInfo.substring(colon + 2).split(", ")) {
            if (path.startsWith("/")) {
                draft.addLocation(SbomPaths.absolute(path.strip()));
            }
        }
    }
}
