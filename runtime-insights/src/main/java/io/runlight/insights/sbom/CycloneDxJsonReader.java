package io.runlight.insights.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

import static java.util.Objects.requireNonNull;

/**
 * Reads a CycloneDX JSON BOM (1.4 to 1.6, and later 1.x) as an SBOM, streaming
 * {@code components[]} one top-level component (with its nested components) at a time.
 *
 * <ul>
 *   <li>The image is {@code metadata.component} of type {@code container}: its digest from
 *       Trivy's {@code aquasecurity:trivy:ImageID}/{@code RepoDigest} properties, its
 *       {@code version}, an {@code pkg:oci/...@sha256:...} purl or its {@code bom-ref}.</li>
 *   <li>A component is a package when it has a valid purl, or is a {@code library} or
 *       {@code framework}, or Syft names its type; {@code operating-system} components give
 *       the distro and {@code container} components are not packages.</li>
 *   <li>File evidence: {@code evidence.occurrences[].location} means what the tool that wrote
 *       the BOM ({@code metadata.tools}) makes it mean. Runlight's own BOMs (tool {@code runlight})
 *       list every owned file there. cdxgen's are not ownership at all: with {@code --evidence}
 *       they are the files that <em>import</em> an npm or Python package ({@code app.js} for
 *       express), so they are dropped. Of any other tool, they are owned files of OS and Python
 *       packages and locations of other packages (ecosystem rules then decide what a location
 *       claims). Syft's {@code syft:location:N:path} and Trivy's {@code aquasecurity:trivy:PkgPath}
 *       and {@code FilePath} are locations; Trivy's {@code aquasecurity:trivy:InstalledFile} (one
 *       per file of an OS package) are owned files; cyclonedx-npm's {@code cdx:npm:package:path}
 *       ({@code node_modules/express}) is the package's folder; cdxgen's {@code SrcFile} is a
 *       location only when it is a jar's own absolute path (it is usually a manifest). Relative
 *       paths are resolved against the scanned folder's root.</li>
 *   <li>A BOM whose {@code metadata.tools} names {@code runlight} (written by {@code runlight sbom})
 *       lists every file each package owns as an occurrence: they are owned files of every
 *       package, except the binary a Go or Rust module is built into and the outer jar of a
 *       nested jar ({@code runlight:nestedIn}), which are locations. Its image digests and names
 *       are the container's {@code runlight:image:digest} and {@code runlight:image:name}
 *       properties, primary digest first.</li>
 * </ul>
 * A {@code vulnerabilities[]} section is skipped here (the vulnerability readers read it).
 */
public final class CycloneDxJsonReader
{
    private static final DocumentFormat FORMAT = DocumentFormat.CYCLONEDX_JSON;
    private static final JsonFields<InputException> FIELDS = JsonFields.of(FORMAT, JsonDescriptions::describeInDetail);
    private static final Set<String> NEVER_PACKAGES = Set.of("operating-system", "container", "file", "data", "device", "firmware",
            "platform", "machine-learning-model", "cryptographic-asset", "device-driver");

    // metadata.tools names (lower case) whose evidence.occurrences mean something else than usual
    private static final String CDXGEN = "cdxgen";
    private static final String RUNLIGHT = "runlight";

    private final JsonInput json;

    public CycloneDxJsonReader(InputLimits limits)
    {
        this.json = new JsonInput(requireNonNull(limits, "limits is null"));
    }

    /**
     * Reads one CycloneDX JSON document.
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

    private final class Document
    {
        private final ItemBudget budget;
        private final PackageDrafts packages = new PackageDrafts();
        private ImageIdentity image = ImageIdentity.UNKNOWN;
        private Optional<OsInfo> os = Optional.empty();
        private Optional<OsInfo> osFromPackages = Optional.empty();
        private Optional<String> bomFormat = Optional.empty();
        private Optional<String> specVersion = Optional.empty();
        private final Set<String> tools = new HashSet<>();
        // occurrences wait for the end of the document: metadata.tools, which says what they mean, may come after the components
        private final Map<PackageDraft, List<String>> occurrences = new LinkedHashMap<>();
        // cdxgen's SrcFile per package, judged once metadata.tools is known
        private final Map<PackageDraft, String> srcFiles = new LinkedHashMap<>();
        // packages of a Runlight BOM nested in an outer jar: their occurrences are that jar
        private final Set<PackageDraft> nested = new HashSet<>();

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
                case "bomFormat" -> bomFormat = Optional.ofNullable(JsonStream.scalar(parser, FORMAT, pointer, "\"CycloneDX\""));
                case "specVersion" -> specVersion = Optional.ofNullable(JsonStream.scalar(parser, FORMAT, pointer, "a CycloneDX version such as \"1.6\""));
                case "metadata" -> metadata(json.readTree(parser), pointer);
                case "components" -> JsonStream.forEachElement(parser, FORMAT, pointer, "an array of components",
                        (elementPointer, elementParser) -> component(json.readTree(elementParser), elementPointer));
                default -> parser.skipChildren();
            }
        }

        Sbom finish()
        {
            if (bomFormat.isEmpty() || !bomFormat.get().equalsIgnoreCase("CycloneDX")) {
                throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), "/bomFormat",
                        "expected \"CycloneDX\", found " + bomFormat.map(value -> "\"" + value + "\"").orElse("nothing"));
            }
            if (specVersion.isPresent() && !specVersion.get().startsWith("1.")) {
                throw new InputException(InputException.Reason.INVALID, FORMAT.displayName(), "/specVersion",
                        "expected a CycloneDX 1.x version (1.4 to 1.6 are supported), found \"" + specVersion.get() + "\"");
            }
            occurrences.forEach(this::settle);
            srcFiles.forEach(this::srcFile);
            Optional<OsInfo> documentOs = os.isPresent() ? os : osFromPackages;
            return new Sbom(FORMAT, image, documentOs, packages.build(documentOs));
        }

        // cyclonedx-npm (and npm sbom): the package's folder relative to the project, "node_modules/express";
        // its package.json is the location the npm rule turns into a claim on the whole folder
        private void npmPackageFolder(PackageDraft draft, String folder)
        {
            if (draft.type() == PackageType.NPM && (folder.startsWith("node_modules/") || folder.contains("/node_modules/"))) {
                draft.addLocation(path(folder) + "/package.json");
            }
        }

        // cdxgen's SrcFile is the manifest it read (package-lock.json, METADATA, pom.xml) or a temporary
        // extraction; only a jar's own absolute path says where the package is
        private void srcFile(PackageDraft draft, String file)
        {
            String name = file.substring(file.lastIndexOf('/') + 1);
            boolean archive = name.endsWith(".jar") || name.endsWith(".war") || name.endsWith(".ear");
            if (tools.contains(CDXGEN) && draft.type() == PackageType.MAVEN && file.startsWith("/") && archive
                    && name.startsWith(draft.name() + "-") && !file.startsWith("/tmp/")) {
                draft.addLocation(SbomPaths.absolute(file));
            }
        }

        private void settle(PackageDraft draft, List<String> locations)
        {
            if (tools.contains(CDXGEN)) {
                // import sites and manifests, never the package's own files: see the class comment
                return;
            }
            boolean runlightOwnedFiles = tools.contains(RUNLIGHT) && !nested.contains(draft)
                    && draft.type() != PackageType.GOLANG && draft.type() != PackageType.CARGO;
            boolean ownedFiles = runlightOwnedFiles || draft.type().isOperatingSystem() || draft.type() == PackageType.PYPI;
            for (String location : locations) {
                if (ownedFiles) {
                    draft.addOwnedFile(location);
                }
                else {
                    draft.addLocation(location);
                }
            }
        }

        // 1.5+: {"components": [{"name": "cdxgen", ...}], "services": [...]}; 1.4: [{"vendor": ..., "name": ...}]
        private void tools(JsonNode metadata)
        {
            JsonNode node = metadata.path("tools");
            List<JsonNode> entries = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(entries::add);
            }
            else if (node.isObject()) {
                node.path("components").forEach(entries::add);
                node.path("services").forEach(entries::add);
            }
            for (JsonNode tool : entries) {
                JsonNode name = tool.path("name");
                if (name.isTextual()) {
                    tools.add(name.textValue().strip().toLowerCase(Locale.ROOT));
                }
            }
        }

        private void metadata(JsonNode metadata, String pointer)
        {
            if (metadata.isNull()) {
                return;
            }
            FIELDS.requireObject(metadata, pointer, "the metadata object");
            tools(metadata);
            JsonNode component = FIELDS.object(metadata, "component", pointer).orElse(MissingNode.getInstance());
            String componentPointer = pointer + "/component";
            if (component.isMissingNode() || !"container".equals(FIELDS.scalar(component, "type", componentPointer).orElse(""))) {
                return;
            }
            ImageIdentityBuilder builder = new ImageIdentityBuilder();
            boolean firstRunlightDigest = true;
            List<JsonNode> properties = FIELDS.array(component, "properties", componentPointer);
            for (int index = 0; index < properties.size(); index++) {
                String propertyPointer = componentPointer + "/properties/" + index;
                JsonNode property = FIELDS.requireObject(properties.get(index), propertyPointer, "a property object");
                String propertyName = FIELDS.scalar(property, "name", propertyPointer).orElse("");
                Optional<String> value = FIELDS.scalar(property, "value", propertyPointer);
                switch (propertyName) {
                    case "runlight:image:digest" -> {
                        if (firstRunlightDigest) {
                            builder.configDigest(value);
                            firstRunlightDigest = false;
                        }
                        else {
                            builder.otherDigest(value);
                        }
                    }
                    case "runlight:image:name" -> builder.reference(value);
                    case "aquasecurity:trivy:ImageID" -> builder.configDigest(value);
                    case "aquasecurity:trivy:RepoDigest", "aquasecurity:trivy:RepoTag" -> builder.reference(value);
                    default -> {
                        // other properties say nothing about the image's identity
                    }
                }
            }
            builder.name(FIELDS.scalar(component, "name", componentPointer));
            builder.manifestDigest(FIELDS.scalar(component, "version", componentPointer));
            ociPurl(builder, FIELDS.scalar(component, "purl", componentPointer));
            Optional<String> bomRef = FIELDS.scalar(component, "bom-ref", componentPointer);
            if (bomRef.isPresent() && bomRef.get().startsWith("pkg:")) {
                ociPurl(builder, bomRef);
            }
            else {
                builder.otherDigest(bomRef);
            }
            image = builder.build();
        }

        private void component(JsonNode component, String pointer)
        {
            FIELDS.requireObject(component, pointer, "a component object");
            budget.add(pointer);
            String type = FIELDS.scalar(component, "type", pointer).orElse("library").toLowerCase(Locale.ROOT);
            List<JsonNode> properties = FIELDS.array(component, "properties", pointer);
            if (type.equals("operating-system")) {
                operatingSystem(component, pointer, properties);
            }
            else {
                packageOf(component, pointer, type, properties).ifPresent(packages::add);
            }
            List<JsonNode> nested = FIELDS.array(component, "components", pointer);
            for (int index = 0; index < nested.size(); index++) {
                component(nested.get(index), pointer + "/components/" + index);
            }
        }

        private void operatingSystem(JsonNode component, String pointer, List<JsonNode> properties)
        {
            Optional<String> family = property(properties, pointer, "syft:distro:id");
            if (family.isEmpty()) {
                family = FIELDS.scalar(component, "name", pointer);
            }
            Optional<String> version = property(properties, pointer, "syft:distro:versionID");
            if (version.isEmpty()) {
                version = FIELDS.scalar(component, "version", pointer);
            }
            if (os.isEmpty() && family.isPresent() && !family.get().isBlank()) {
                os = Optional.of(new OsInfo(family.get().strip().toLowerCase(Locale.ROOT), version.orElse(""), Optional.empty()));
            }
        }

        private Optional<PackageDraft> packageOf(JsonNode component, String pointer, String componentType, List<JsonNode> properties)
        {
            Optional<String> purlText = FIELDS.scalar(component, "purl", pointer);
            Optional<Purl> purl = PackageTypes.parsePurl(purlText);
            Optional<String> syftType = property(properties, pointer, "syft:package:type");
            boolean isPackage = !NEVER_PACKAGES.contains(componentType)
                    && (purl.isPresent() || syftType.isPresent() || componentType.equals("library") || componentType.equals("framework"));
            if (!isPackage) {
                return Optional.empty();
            }
            String name = FIELDS.requiredScalar(component, "name", pointer, "the component name");
            PackageType scannerType = purl.map(value -> PackageType.fromPurlType(value.type()))
                    .orElseGet(() -> syftType.map(PackageTypes::fromSyft).orElse(PackageType.OTHER));
            PackageType type = PackageTypes.resolve(scannerType, purl);
            String id = FIELDS.scalar(component, "bom-ref", pointer).or(() -> purlText).orElse(pointer);
            PackageDraft draft = new PackageDraft(id, type, name, FIELDS.scalar(component, "version", pointer).orElse(""))
                    .purl(purl)
                    .namespace(FIELDS.scalar(component, "group", pointer));
            if (type.isOperatingSystem() && osFromPackages.isEmpty()) {
                osFromPackages = purl.flatMap(PackageTypes::osFromPurl).map(value -> new OsInfo(value.family(), value.version(), Optional.empty()));
            }

            JsonNode evidence = FIELDS.object(component, "evidence", pointer).orElse(MissingNode.getInstance());
            String evidencePointer = pointer + "/evidence";
            List<JsonNode> occurrences = FIELDS.array(evidence, "occurrences", evidencePointer);
            budget.add(evidencePointer + "/occurrences", occurrences.size());
            // only Runlight's own BOMs write this property
            Optional<String> nestedIn = property(properties, pointer, "runlight:nestedIn");
            nestedIn.ifPresent(outer -> {
                draft.nestedIn(Optional.of(SbomPaths.absolute(outer)));
                nested.add(draft);
            });
            for (int index = 0; index < occurrences.size(); index++) {
                String occurrencePointer = evidencePointer + "/occurrences/" + index;
                JsonNode occurrence = FIELDS.requireObject(occurrences.get(index), occurrencePointer, "an occurrence object");
                FIELDS.scalar(occurrence, "location", occurrencePointer).map(this::path)
                        .ifPresent(location -> this.occurrences.computeIfAbsent(draft, key -> new ArrayList<>()).add(location));
            }
            for (int index = 0; index < properties.size(); index++) {
                String propertyPointer = pointer + "/properties/" + index;
                JsonNode property = FIELDS.requireObject(properties.get(index), propertyPointer, "a property object");
                String propertyName = FIELDS.scalar(property, "name", propertyPointer).orElse("");
                Optional<String> value = FIELDS.scalar(property, "value", propertyPointer);
                if (value.isEmpty()) {
                    continue;
                }
                if (propertyName.equals("aquasecurity:trivy:InstalledFile")) {
                    draft.addOwnedFile(path(value.get()));
                }
                else if (propertyName.equals("aquasecurity:trivy:PkgPath") || propertyName.equals("aquasecurity:trivy:FilePath")
                        || (propertyName.startsWith("syft:location:") && propertyName.endsWith(":path"))) {
                    draft.addLocation(path(value.get()));
                }
                else if (propertyName.equals("cdx:npm:package:path")) {
                    npmPackageFolder(draft, value.get());
                }
                else if (propertyName.equals("SrcFile")) {
                    srcFiles.put(draft, value.get());
                }
                else if (propertyName.equals("syft:metadata:virtualPath") && value.get().indexOf(':') > 0) {
                    String outer = path(value.get().substring(0, value.get().indexOf(':')));
                    draft.nestedIn(Optional.of(outer));
                    draft.addLocation(outer);
                }
            }
            return Optional.of(draft);
        }

        private Optional<String> property(List<JsonNode> properties, String pointer, String name)
        {
            for (int index = 0; index < properties.size(); index++) {
                String propertyPointer = pointer + "/properties/" + index;
                JsonNode property = FIELDS.requireObject(properties.get(index), propertyPointer, "a property object");
                if (name.equals(FIELDS.scalar(property, "name", propertyPointer).orElse(""))) {
                    return FIELDS.scalar(property, "value", propertyPointer);
                }
            }
            return Optional.empty();
        }
    }

    // pkg:oci/alpine@sha256%3A...?repository_url=index.docker.io/library/alpine&tag=3.17
    private static void ociPurl(ImageIdentityBuilder builder, Optional<String> text)
    {
        Optional<Purl> purl = PackageTypes.parsePurl(text);
        if (purl.isEmpty() || !purl.get().type().equals("oci") || purl.get().version().isEmpty()) {
            return;
        }
        String digest = purl.get().version().get();
        if (!ImageDigest.isValid(digest)) {
            return;
        }
        String repository = purl.get().qualifier("repository_url").orElse(purl.get().name());
        builder.reference(Optional.of(repository + "@" + digest));
        purl.get().qualifier("tag").ifPresent(tag -> builder.name(Optional.of(repository + ":" + tag)));
    }
}
