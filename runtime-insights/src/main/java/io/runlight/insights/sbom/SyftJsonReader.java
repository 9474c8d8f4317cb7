package io.runlight.insights.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
 * Reads Syft JSON: the current schema (16.x) and the old 1.x/2.x shapes ({@code source.target},
 * {@code DpkgMetadata}-style metadata). Streams the document: each artifact is read as one
 * small tree of the fields used (see {@link StreamedArtifact}: its {@code metadata.files[]}
 * are read token by token), {@code files[]} and {@code artifactRelationships[]} entries are read token by
 * token, and {@code contains} relationships are resolved to paths in whatever order the
 * three arrays come.
 *
 * <p>Owned files are {@code metadata.files[].path} (apk, dpkg, rpm and any other entry
 * that lists files; Python RECORD paths joined to {@code sitePackagesRootPath}) plus the
 * {@code files[]} paths a {@code contains} relationship links to the package.
 */
public final class SyftJsonReader
{
    private static final DocumentFormat FORMAT = DocumentFormat.SYFT_JSON;
    private static final JsonFields<InputException> FIELDS = JsonFields.of(FORMAT, JsonDescriptions::describeInDetail);

    private final JsonInput json;

    public SyftJsonReader(InputLimits limits)
    {
        this.json = new JsonInput(requireNonNull(limits, "limits is null"));
    }

    /**
     * Reads one Syft JSON document.
     *
     * @throws InputException if the document is malformed, invalid or over a limit; nothing is returned then
     */
    public Sbom read(InputStream in)
    {
        requireNonNull(in, "in is null");
        Document document = new Document(new ItemBudget(FORMAT, json.limits().maxItems()));
        JsonStream.readObject(json, in, FORMAT, document::field);
        return document.finish();
    }

    private final class Document
    {
        private final ItemBudget budget;
        private final PackageDrafts packages = new PackageDrafts();
        private final FileOwnership ownership = new FileOwnership();
        private ImageIdentity image = ImageIdentity.UNKNOWN;
        private Optional<OsInfo> os = Optional.empty();
        private boolean artifactsSeen;

        Document(ItemBudget budget)
        {
            this.budget = budget;
        }

        void field(String name, String pointer, JsonParser parser)
                throws IOException
        {
            switch (name) {
                case "artifacts" -> {
                    artifactsSeen = true;
                    JsonStream.forEachElement(parser, FORMAT, pointer, "an array of packages", this::artifact);
                }
                case "artifactRelationships" -> {
                    JsonStream.forEachElement(parser, FORMAT, pointer, "an array of relationships", this::relationship);
                    ownership.linksComplete();
                }
                case "files" -> JsonStream.forEachElement(parser, FORMAT, pointer, "an array of files", this::file);
                case "source" -> image = identity(FIELDS.requireObject(json.readTree(parser), pointer, "the source object"), pointer);
                case "distro" -> os = distro(json.readTree(parser), pointer);
                default -> parser.skipChildren();
            }
        }

        Sbom finish()
        {
            if (!artifactsSeen) {
                throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), "/artifacts",
                        "expected an array of packages, found nothing: not a Syft JSON document");
            }
            return new Sbom(FORMAT, image, os, packages.build(os, ownership::filesOf));
        }

        private void artifact(String pointer, JsonParser parser)
                throws IOException
        {
            budget.add(pointer);
            StreamedArtifact streamed = StreamedArtifact.read(json, FIELDS, FORMAT, parser, pointer);
            JsonNode artifact = streamed.artifact();
            String name = FIELDS.requiredScalar(artifact, "name", pointer, "the package name");
            String id = FIELDS.scalar(artifact, "id", pointer).orElse(pointer);
            String version = FIELDS.scalar(artifact, "version", pointer).orElse("");
            Optional<Purl> purl = PackageTypes.parsePurl(FIELDS.scalar(artifact, "purl", pointer));
            PackageType type = PackageTypes.resolve(PackageTypes.fromSyft(FIELDS.scalar(artifact, "type", pointer).orElse("")), purl);
            String metadataPointer = pointer + "/metadata";
            JsonNode metadata = FIELDS.object(artifact, "metadata", pointer).orElse(MissingNode.getInstance());

            PackageDraft draft = new PackageDraft(id, type, name, version).purl(purl);
            List<JsonNode> locations = FIELDS.array(artifact, "locations", pointer);
            for (int index = 0; index < locations.size(); index++) {
                String locationPointer = pointer + "/locations/" + index;
                JsonNode location = FIELDS.requireObject(locations.get(index), locationPointer, "a location object");
                FIELDS.scalar(location, "path", locationPointer).map(SbomPaths::absolute).ifPresent(draft::addLocation);
            }
            if (type.isOperatingSystem()) {
                Optional<String> arch = FIELDS.scalar(metadata, "architecture", metadataPointer);
                draft.arch(arch.isPresent() ? arch : FIELDS.scalar(metadata, "arch", metadataPointer));
            }
            if (type == PackageType.MAVEN) {
                javaArchive(draft, metadata, metadataPointer);
            }
            ownedFiles(draft, metadata, metadataPointer, streamed.files());
            packages.add(draft);
        }

        private void javaArchive(PackageDraft draft, JsonNode metadata, String metadataPointer)
        {
            Optional<String> virtualPath = FIELDS.scalar(metadata, "virtualPath", metadataPointer);
            if (virtualPath.isPresent()) {
                int colon = virtualPath.get().indexOf(':');
                if (colon > 0) {
                    String outer = SbomPaths.absolute(virtualPath.get().substring(0, colon));
                    draft.nestedIn(Optional.of(outer));
                    draft.addLocation(outer);
                }
                else if (draft.locations().isEmpty()) {
                    draft.addLocation(SbomPaths.absolute(virtualPath.get()));
                }
            }
            String propertiesPointer = metadataPointer + "/pomProperties";
            Optional<String> group = FIELDS.object(metadata, "pomProperties", metadataPointer).flatMap(properties -> FIELDS.scalar(properties, "groupId", propertiesPointer));
            if (group.isEmpty()) {
                group = FIELDS.object(metadata, "pomProject", metadataPointer).flatMap(project -> FIELDS.scalar(project, "groupId", metadataPointer + "/pomProject"));
            }
            draft.namespace(group);
        }

        // metadata.files as streamed (paths only); checked in the order a tree of the whole artifact would be
        private void ownedFiles(PackageDraft draft, JsonNode metadata, String metadataPointer, StreamedArtifact.FileList files)
        {
            if (files.count() == 0) {
                // refuses a files value that is not an array (an array was streamed)
                FIELDS.array(metadata, "files", metadataPointer);
                return;
            }
            budget.add(metadataPointer + "/files", files.count());
            Optional<String> pythonRoot = Optional.empty();
            if (draft.type() == PackageType.PYPI) {
                pythonRoot = FIELDS.scalar(metadata, "sitePackagesRootPath", metadataPointer);
                if (pythonRoot.isEmpty()) {
                    pythonRoot = draft.locations().stream().flatMap(location -> sitePackagesOf(location).stream()).findFirst();
                }
            }
            files.throwIfInvalid();
            long characters = 0;
            for (String path : files.paths()) {
                // and a "/" that may be put in front
                characters += path.length() + 1;
            }
            draft.expectOwnedFiles(files.paths().size(), characters + pythonRoot.map(String::length).orElse(0) * (long) files.paths().size());
            for (String path : files.paths()) {
                if (draft.type() != PackageType.PYPI) {
                    draft.addOwnedFile(SbomPaths.absolute(path));
                }
                else if (pythonRoot.isPresent()) {
                    draft.addOwnedFile(SbomPaths.join(pythonRoot.get(), path));
                }
                else if (path.startsWith("/")) {
                    draft.addOwnedFile(SbomPaths.absolute(path));
                }
                else {
                    // no site-packages root known: the RECORD entry is kept as written (relative)
                    draft.addOwnedFile(path);
                }
            }
        }

        private void relationship(String pointer, JsonParser parser)
                throws IOException
        {
            budget.add(pointer);
            String[] parentChildType = new String[3];
            JsonStream.forEachFieldOf(parser, FORMAT, pointer, "a relationship object", (name, fieldPointer, fieldParser) -> {
                switch (name) {
                    case "parent" -> parentChildType[0] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "a package or file id");
                    case "child" -> parentChildType[1] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "a package or file id");
                    case "type" -> parentChildType[2] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "a relationship type");
                    default -> fieldParser.skipChildren();
                }
            });
            if ("contains".equals(parentChildType[2]) && parentChildType[0] != null && parentChildType[1] != null) {
                ownership.contains(parentChildType[0], parentChildType[1]);
            }
        }

        private void file(String pointer, JsonParser parser)
                throws IOException
        {
            budget.add(pointer);
            String[] idAndPath = new String[2];
            JsonStream.forEachFieldOf(parser, FORMAT, pointer, "a file object", (name, fieldPointer, fieldParser) -> {
                switch (name) {
                    case "id" -> idAndPath[0] = JsonStream.scalar(fieldParser, FORMAT, fieldPointer, "a file id");
                    case "location" -> JsonStream.forEachFieldOf(fieldParser, FORMAT, fieldPointer, "a location object", (locationField, locationPointer, locationParser) -> {
                        if (locationField.equals("path")) {
                            idAndPath[1] = JsonStream.scalar(locationParser, FORMAT, locationPointer, "a file path");
                        }
                        else {
                            locationParser.skipChildren();
                        }
                    });
                    default -> fieldParser.skipChildren();
                }
            });
            if (idAndPath[0] != null && idAndPath[1] != null && !idAndPath[1].isEmpty()) {
                ownership.file(idAndPath[0], SbomPaths.absolute(idAndPath[1]));
            }
        }
    }

    private static ImageIdentity identity(JsonNode source, String pointer)
    {
        String type = FIELDS.scalar(source, "type", pointer).orElse("image");
        JsonNode metadata = source.path("metadata");
        String metadataPointer = pointer + "/metadata";
        if (metadata.isMissingNode() || metadata.isNull()) {
            // schema 1.x/2.x: the image is described in source.target (a plain string for a directory)
            metadata = source.path("target");
            metadataPointer = pointer + "/target";
        }
        if (!type.equals("image") || !metadata.isObject()) {
            return ImageIdentity.UNKNOWN;
        }
        ImageIdentityBuilder builder = new ImageIdentityBuilder();
        builder.configDigest(FIELDS.scalar(metadata, "imageID", metadataPointer));
        builder.manifestDigest(FIELDS.scalar(metadata, "manifestDigest", metadataPointer));
        builder.reference(FIELDS.scalar(metadata, "userInput", metadataPointer));
        List<JsonNode> tags = FIELDS.array(metadata, "tags", metadataPointer);
        for (int index = 0; index < tags.size(); index++) {
            builder.reference(FIELDS.scalar(tags.get(index), metadataPointer + "/tags/" + index));
        }
        List<JsonNode> repoDigests = FIELDS.array(metadata, "repoDigests", metadataPointer);
        for (int index = 0; index < repoDigests.size(); index++) {
            builder.reference(FIELDS.scalar(repoDigests.get(index), metadataPointer + "/repoDigests/" + index));
        }
        return builder.build();
    }

    private static Optional<OsInfo> distro(JsonNode distro, String pointer)
    {
        if (distro.isNull()) {
            return Optional.empty();
        }
        FIELDS.requireObject(distro, pointer, "the distro object");
        Optional<String> family = FIELDS.scalar(distro, "id", pointer);
        if (family.isEmpty()) {
            family = FIELDS.scalar(distro, "name", pointer);
        }
        Optional<String> version = FIELDS.scalar(distro, "versionID", pointer);
        if (version.isEmpty()) {
            version = FIELDS.scalar(distro, "version", pointer);
        }
        if (family.isEmpty() || family.get().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new OsInfo(family.get().strip().toLowerCase(Locale.ROOT), version.orElse(""), Optional.empty()));
    }

    // "/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA" -> "/usr/lib/python3/dist-packages"
    private static Optional<String> sitePackagesOf(String location)
    {
        for (String marker : new String[] {".dist-info", ".egg-info"}) {
            int index = location.indexOf(marker);
            if (index > 0) {
                int slash = location.lastIndexOf('/', index);
                if (slash >= 0) {
                    return Optional.of(slash == 0 ? "/" : location.substring(0, slash));
                }
            }
        }
        return Optional.empty();
    }
}
