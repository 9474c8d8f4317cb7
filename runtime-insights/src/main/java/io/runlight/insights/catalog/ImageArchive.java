package io.runlight.insights.catalog;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.ImageIdentityBuilder;

import static java.util.Objects.requireNonNull;

/**
 * An image saved to disk: {@code docker save} output (a tar with {@code manifest.json}, in
 * Docker's legacy layout or Docker 25's OCI one) or an OCI image layout ({@code oci-layout} +
 * {@code index.json} + {@code blobs/}), as a folder or a tar. It gives the image's identity
 * (config digest, manifest digest, names) and its layers, bottom first, each opened as an
 * uncompressed tar stream (gzip detected from the content; zstd refused with a clear message).
 *
 * <p>A tar archive is indexed once by its headers, seeking over the members; each layer is then
 * read in place from the archive file, never copied out of it.
 */
final class ImageArchive
        implements Closeable
{
    private static final String FORMAT = DocumentFormat.IMAGE_ARCHIVE.displayName();
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final long MAX_JSON_BYTES = 16L * 1024 * 1024;
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** One layer: where it is and how messages name it. */
    record Layer(int index, String name, Blob blob) {}

    private final Path path;
    private final FileChannel channel;
    private final Map<String, Blob> members;
    private final ObjectMapper mapper;
    private final ImageIdentity identity;
    private final List<Layer> layers;
    private final List<FileChannel> openedChannels = new ArrayList<>();

    private ImageArchive(Path path, FileChannel channel, Map<String, Blob> members)
    {
        this.path = path;
        this.channel = channel;
        this.members = members;
        this.mapper = new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(4 * 1024 * 1024).build())
                .build());
        ImageIdentityBuilder identityBuilder = new ImageIdentityBuilder();
        this.layers = members.containsKey("manifest.json") ? dockerLayers(identityBuilder) : ociLayers(identityBuilder);
        this.identity = identityBuilder.build();
    }

    /**
     * Opens an archive file or an OCI layout folder.
     *
     * @throws InputException if it is neither, or its manifests are malformed, or it is over a limit
     */
    static ImageArchive open(Path path, CatalogLimits limits)
    {
        requireNonNull(path, "path is null");
        requireNonNull(limits, "limits is null");
        if (Files.isDirectory(path)) {
            return new ImageArchive(path, null, folderMembers(path));
        }
        if (!Files.isRegularFile(path)) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, path.toString(), "no such file or folder");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            Map<String, Blob> members = tarMembers(MappedFile.mapOrRead(channel), channel.size(), path, limits);
            return new ImageArchive(path, channel, members);
        }
        catch (IOException e) {
            closeQuietly(channel);
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, path.toString(), "cannot read the file: " + e.getMessage(), e);
        }
        catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    ImageIdentity identity()
    {
        return identity;
    }

    /** The layers, bottom first. */
    List<Layer> layers()
    {
        return layers;
    }

    /** The layer's content as an uncompressed tar stream. */
    InputStream openLayer(Layer layer)
    {
        try {
            if (layer.blob() instanceof Region region && !compressed(region)) {
                // already buffered, and its skips move a position: another buffer would copy 64 KiB after each skipped member
                return region.open();
            }
            BufferedInputStream in = new BufferedInputStream(layer.blob().open(), 64 * 1024);
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), 64 * 1024);
            }
            if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
                throw new InputException(InputException.Reason.INVALID, FORMAT, layer.name(),
                        "the layer is compressed with zstd, which Runlight does not read; save the image with gzip or uncompressed layers (docker save does)");
            }
            return in;
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, layer.name(), "cannot read the layer: " + e.getMessage(), e);
        }
    }

    // gzip or zstd magic
    private static boolean compressed(Blob blob)
            throws IOException
    {
        byte[] magic;
        try (InputStream in = blob.open()) {
            magic = in.readNBytes(4);
        }
        return magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b
                || magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd;
    }

    /**
     * The layer as a region of a file, if it is uncompressed: its members are then parts of that
     * file, which readers can read at random.
     */
    Optional<ChannelRegion> uncompressedRegion(Layer layer)
    {
        try {
            byte[] magic;
            try (InputStream in = layer.blob().open()) {
                magic = in.readNBytes(2);
            }
            if (magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return Optional.empty();
            }
            if (layer.blob() instanceof Region region) {
                return Optional.of(new ChannelRegion(region.source(), region.offset(), region.size()));
            }
            if (layer.blob() instanceof FolderFile file) {
                FileChannel opened = FileChannel.open(file.file(), StandardOpenOption.READ);
                openedChannels.add(opened);
                return Optional.of(new ChannelRegion(MappedFile.mapOrRead(opened), 0, file.size()));
            }
            return Optional.empty();
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, layer.name(), "cannot read the layer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close()
    {
        closeQuietly(channel);
        openedChannels.forEach(ImageArchive::closeQuietly);
    }

    // ---- docker save: manifest.json [{"Config": "<hex>.json" | "blobs/sha256/<hex>", "RepoTags": [...], "Layers": [...]}]

    private List<Layer> dockerLayers(ImageIdentityBuilder identityBuilder)
    {
        JsonNode manifest = json("manifest.json");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw invalid("manifest.json", "expected an array with one image, found " + describe(manifest));
        }
        if (manifest.size() > 1) {
            List<String> names = new ArrayList<>();
            manifest.forEach(image -> names.add(image.path("RepoTags").path(0).asText(image.path("Config").asText("?"))));
            throw invalid("manifest.json", "the archive holds " + manifest.size() + " images (" + String.join(", ", names)
                    + "); save one image per archive");
        }
        JsonNode image = manifest.get(0);
        String config = image.path("Config").asText("");
        String configName = config.substring(config.lastIndexOf('/') + 1);
        String configHex = configName.endsWith(".json") ? configName.substring(0, configName.length() - 5) : configName;
        identityBuilder.configDigest(Optional.of("sha256:" + configHex));
        for (JsonNode tag : image.path("RepoTags")) {
            identityBuilder.reference(Optional.of(tag.asText()));
        }
        // Docker 25+ saves an OCI layout beside manifest.json: its index names the manifest digest
        if (members.containsKey("index.json")) {
            JsonNode index = json("index.json");
            for (JsonNode descriptor : index.path("manifests")) {
                identityBuilder.manifestDigest(Optional.of(descriptor.path("digest").asText("")));
            }
        }
        JsonNode layerNames = image.path("Layers");
        if (!layerNames.isArray() || layerNames.isEmpty()) {
            throw invalid("manifest.json", "expected \"Layers\", a list of layer files, found " + describe(layerNames));
        }
        List<Layer> result = new ArrayList<>();
        for (JsonNode layerName : layerNames) {
            String name = memberName(layerName.asText(""), "manifest.json");
            result.add(new Layer(result.size(), name, member(name, "manifest.json")));
        }
        return List.copyOf(result);
    }

    // ---- OCI image layout: index.json -> (index ->) manifest -> layers

    private List<Layer> ociLayers(ImageIdentityBuilder identityBuilder)
    {
        if (!members.containsKey("index.json")) {
            throw invalid(path.getFileName().toString(),
                    "expected a docker save archive (manifest.json) or an OCI image layout (index.json), found neither");
        }
        JsonNode index = json("index.json");
        JsonNode descriptor = imageManifestDescriptor(index, "index.json", identityBuilder, 0);
        String manifestDigest = digestOf(descriptor, "index.json");
        identityBuilder.manifestDigest(Optional.of(manifestDigest));
        String manifestName = blobName(manifestDigest);
        JsonNode manifest = json(manifestName);
        String configDigest = digestOf(manifest.path("config"), manifestName + " config");
        identityBuilder.configDigest(Optional.of(configDigest));
        JsonNode layerDescriptors = manifest.path("layers");
        if (!layerDescriptors.isArray()) {
            throw invalid(manifestName, "expected \"layers\", a list of layer descriptors, found " + describe(layerDescriptors));
        }
        List<Layer> result = new ArrayList<>();
        for (JsonNode layer : layerDescriptors) {
            String name = blobName(digestOf(layer, manifestName + " layers"));
            result.add(new Layer(result.size(), name, member(name, manifestName)));
        }
        return List.copyOf(result);
    }

    private JsonNode imageManifestDescriptor(JsonNode index, String where, ImageIdentityBuilder identityBuilder, int depth)
    {
        if (depth > 4) {
            throw invalid(where, "image indexes are nested more than 4 deep");
        }
        JsonNode manifests = index.path("manifests");
        if (!manifests.isArray() || manifests.isEmpty()) {
            throw invalid(where, "expected \"manifests\", a list with the image's manifest, found " + describe(manifests));
        }
        List<JsonNode> images = new ArrayList<>();
        for (JsonNode descriptor : manifests) {
            JsonNode annotations = descriptor.path("annotations");
            identityBuilder.reference(text(annotations, "io.containerd.image.name"));
            String refName = annotations.path("org.opencontainers.image.ref.name").asText("");
            if (!refName.isEmpty() && !annotations.has("io.containerd.image.name")) {
                identityBuilder.name(Optional.of(refName));
            }
            String mediaType = descriptor.path("mediaType").asText("");
            if (mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST)) {
                String nestedName = blobName(digestOf(descriptor, where));
                identityBuilder.otherDigest(Optional.of(digestOf(descriptor, where)));
                return imageManifestDescriptor(json(nestedName), nestedName, identityBuilder, depth + 1);
            }
            // attestation manifests (buildx provenance) are "unknown/unknown" platforms: not the image
            String platform = descriptor.path("platform").path("os").asText("") + "/" + descriptor.path("platform").path("architecture").asText("");
            if ((mediaType.equals(OCI_MANIFEST) || mediaType.equals(DOCKER_MANIFEST) || mediaType.isEmpty()) && !platform.equals("unknown/unknown")) {
                images.add(descriptor);
            }
        }
        if (images.size() == 1) {
            return images.get(0);
        }
        if (images.isEmpty()) {
            throw invalid(where, "no image manifest in \"manifests\"");
        }
        List<String> platforms = new ArrayList<>();
        for (JsonNode image : images) {
            platforms.add(image.path("platform").path("os").asText("?") + "/" + image.path("platform").path("architecture").asText("?"));
        }
        throw invalid(where, "the layout holds " + images.size() + " images (platforms " + String.join(", ", platforms)
                + "); save a single platform (docker save --platform, skopeo copy --override-arch)");
    }

    private static String digestOf(JsonNode descriptor, String where)
    {
        String digest = descriptor.path("digest").asText("");
        if (!SHA256.matcher(digest).matches()) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, where,
                    "expected a sha256 digest (\"sha256:\" and 64 hex digits), found \"" + TarStream.printable(digest) + "\"");
        }
        return digest;
    }

    private static String blobName(String digest)
    {
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    private JsonNode json(String name)
    {
        Blob blob = member(name, name);
        if (blob.size() > MAX_JSON_BYTES) {
            throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, name, "the file has " + blob.size() + " bytes, more than the limit of " + MAX_JSON_BYTES);
        }
        try (InputStream in = blob.open()) {
            return mapper.readTree(in.readNBytes((int) blob.size()));
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, name, "expected JSON: " + e.getMessage(), e);
        }
    }

    private Blob member(String name, String referencedFrom)
    {
        Blob blob = members.get(name);
        if (blob == null) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, referencedFrom,
                    "names '" + TarStream.printable(name) + "', which is not in the archive");
        }
        return blob;
    }

    private static String memberName(String raw, String where)
    {
        String name = raw.startsWith("./") ? raw.substring(2) : raw;
        if (name.isEmpty() || name.startsWith("/") || ("/" + name + "/").contains("/../")) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, where,
                    "names the layer '" + TarStream.printable(raw) + "', which is outside the archive");
        }
        return name;
    }

    private InputException invalid(String where, String problem)
    {
        return new InputException(InputException.Reason.INVALID, FORMAT, where, problem);
    }

    private static Optional<String> text(JsonNode node, String field)
    {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static String describe(JsonNode node)
    {
        if (node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    // ---- where members are

    /** A member of the archive: a region of the archive file, or a file of the layout folder. */
    interface Blob
    {
        long size();

        InputStream open()
                throws IOException;
    }

    private record Region(ChannelRegion.Source source, long offset, long size)
            implements Blob
    {
        @Override
        public InputStream open()
        {
            return new FileRegionStream(source, offset, size);
        }
    }

    private record FolderFile(Path file, long size)
            implements Blob
    {
        @Override
        public InputStream open()
                throws IOException
        {
            return Files.newInputStream(file);
        }
    }

    private static Map<String, Blob> tarMembers(ChannelRegion.Source file, long size, Path path, CatalogLimits limits)
            throws IOException
    {
        Map<String, Blob> members = new HashMap<>();
        CountingStream counting = new CountingStream(new FileRegionStream(file, 0, size));
        // the archive's own members are bounded by the file's size, not by the layers' unpacked budget
        CatalogLimits outer = new CatalogLimits(limits.maxEntries(), Long.MAX_VALUE, limits.maxDepth(), limits.maxPathLength(),
                limits.maxMetadataFileBytes(), limits.maxArchiveEntryBytes(), limits.readerLimits());
        TarStream tar = new TarStream(counting, path.getFileName().toString(), outer);
        int count = 0;
        for (Optional<TarEntry> entry = tar.next(); entry.isPresent(); entry = tar.next()) {
            count++;
            if (count > 100_000) {
                throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, path.toString(), "the archive has more than 100000 members: not an image archive");
            }
            if (entry.get().kind() == TarEntry.Kind.FILE) {
                String name = entry.get().name().startsWith("./") ? entry.get().name().substring(2) : entry.get().name();
                members.put(name, new Region(file, counting.position(), entry.get().size()));
            }
        }
        return members;
    }

    private static Map<String, Blob> folderMembers(Path folder)
    {
        Map<String, Blob> members = new HashMap<>();
        try {
            for (String name : List.of("oci-layout", "index.json", "manifest.json")) {
                Path file = folder.resolve(name);
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    members.put(name, new FolderFile(file, Files.size(file)));
                }
            }
            Path blobs = folder.resolve("blobs/sha256");
            if (Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) {
                try (var listing = Files.newDirectoryStream(blobs)) {
                    for (Path blob : listing) {
                        // links are not followed: a layout folder's blobs are its own files
                        if (Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
                            members.put("blobs/sha256/" + blob.getFileName(), new FolderFile(blob, Files.size(blob)));
                        }
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list '" + folder + "'", e);
        }
        return members;
    }

    private static void closeQuietly(Closeable closeable)
    {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (IOException e) {
            // closing a read-only channel cannot lose data
        }
    }

    /** Tells where in the archive the next byte is, so a member's content is a region of the file. */
    private static final class CountingStream
            extends InputStream
    {
        private final InputStream in;
        private long position;

        CountingStream(InputStream in)
        {
            this.in = in;
        }

        long position()
        {
            return position;
        }

        @Override
        public int read()
                throws IOException
        {
            int value = in.read();
            if (value >= 0) {
                position++;
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int read = in.read(buffer, offset, length);
            if (read > 0) {
                position += read;
            }
            return read;
        }

        @Override
        public long skip(long count)
                throws IOException
        {
            long skipped = in.skip(count);
            position += skipped;
            return skipped;
        }
    }
}
