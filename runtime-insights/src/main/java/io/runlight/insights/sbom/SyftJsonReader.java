package io.runlight.insights.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
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
    private static final JsonTree TREE = new JsonTree(FORMAT);

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
                case "source" -> image = identity(TREE.requireObject(json.readTree(parser), pointer, "the source object"), pointer);
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
            StreamedArtifact streamed = StreamedArtifact.read(json, TREE, FORMAT, parser, pointer);
            JsonNode artifact = streamed.artifact();
            String name = TREE.requiredText(artifact, pointer, "name", "the package name");
            String id = TREE.text(artifact, pointer, "id").orElse(pointer);
            String version = TREE.text(artifact, pointer, "version").orElse("");
            Optional<Purl> purl = PackageTypes.parsePurl(TREE.text(artifact, pointer, "purl"));
            PackageType type = PackageTypes.resolve(PackageTypes.fromSyft(TREE.text(artifact, pointer, "type").orElse("")), purl);
            String metadataPointer = pointer + "/metadata";
            JsonNode metadata = TREE.object(artifact, pointer, "metadata");

            PackageDraft draft = new PackageDraft(id, type, name, version).purl(purl);
            List<JsonNode> locations = TREE.array(artifact, pointer, "locations");
            for (int index = 0; index < locations.size(); index++) {
                String locationPointer = pointer + "/locations/" + index;
                JsonNode location = TREE.requireObject(locations.get(index), locationPointer, "a location object");
                TREE.text(location, locationPointer, "path").map(SbomPaths::absolute).ifPresent(draft::addLocation);
            }
            if (type.isOperatingSystem()) {
                Optional<String> arch = TREE.text(metadata, metadataPointer, "architecture");
                draft.arch(arch.isPresent() ? arch : TREE.text(metadata, metadataPointer, "arch"));
            }
            if (type == PackageType.MAVEN) {
                javaArchive(draft, metadata, metadataPointer);
            }
            ownedFiles(draft, metadata, metadataPointer, streamed.files());
            packages.add(draft);
        }

        private void javaArchive(PackageDraft draft, JsonNode metadata, String metadataPointer)
        {
            Optional<String> virtualPath = TREE.text(metadata, metadataPointer, "virtualPath");
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
            Optional<String> group = TREE.text(TREE.object(metadata, metadataPointer, "pomProperties"), propertiesPointer, "groupId");
            if (group.isEmpty()) {
                group = TREE.text(TREE.object(metadata, metadataPointer, "pomProject"), metadataPointer + "/pomProject", "groupId");
            }
            draft.namespace(group);
        }

        // metadata.files as streamed (paths only); checked in the order a tree of the whole artifact would be
        private void ownedFiles(PackageDraft draft, JsonNode metadata, String metadataPointer, StreamedArtifact.FileList files)
        {
            if (files.count() == 0) {
                // refuses a files value that is not an array (an array was streamed)
                TREE.array(metadata, metadataPointer, "files");
                return;
            }
            budget.add(metadataPointer + "/files", files.count());
            Optional<String> pythonRoot = Optional.empty();
            if (draft.type() == PackageType.PYPI) {
                pythonRoot = TREE.text(metadata, metadataPointer, "sitePackagesRootPath");
                if (pythonRoot.isEmpty()) {
                    pythonRoot = draft.locations().stream().flatMap(location -> sitePackagesOf(location).stream()).findFirst();
                }
            }
            files.throwIfInvalid();
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
        String type = TREE.text(source, pointer, "type").orElse("image");
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
        builder.configDigest(TREE.text(metadata, metadataPointer, "imageID"));
        builder.manifestDigest(TREE.text(metadata, metadataPointer, "manifestDigest"));
        builder.reference(TREE.text(metadata, metadataPointer, "userInput"));
        List<JsonNode> tags = TREE.array(metadata, metadataPointer, "tags");
        for (int index = 0; index < tags.size(); index++) {
            builder.reference(TREE.elementText(tags.get(index), metadataPointer + "/tags/" + index));
        }
        List<JsonNode> repoDigests = TREE.array(metadata, metadataPointer, "repoDigests");
        for (int index = 0; index < repoDigests.size(); index++) {
            builder.reference(TREE.elementText(repoDigests.get(index), metadataPointer + "/repoDigests/" + index));
        }
        return builder.build();
    }

    private static Optional<OsInfo> distro(JsonNode distro, String pointer)
    {
        if (distro.isNull()) {
            return Optional.empty();
        }
        TREE.requireObject(distro, pointer, "the distro object");
        Optional<String> family = TREE.text(distro, pointer, "id");
        if (family.isEmpty()) {
            family = TREE.text(distro, pointer, "name");
        }
        Optional<String> version = TREE.text(distro, pointer, "versionID");
        if (version.isEmpty()) {
            version = TREE.text(distro, pointer, "version");
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
