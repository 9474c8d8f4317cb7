package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Builds image archives the way Docker and OCI tools lay them out, from layer folders packed
 * by GNU tar (the real tool, so the layers are real tar files): a {@code docker save}
 * tarball, an OCI image layout folder, or that layout as a tar.
 */
final class ImageArchiveBuilder
{
    private final Path work;
    private final List<Path> layerTars = new ArrayList<>();

    ImageArchiveBuilder(Path work)
    {
        this.work = work;
    }

    /** Packs the folder as the next layer (gzip-compressed if asked); extra tar options may rename members. */
    ImageArchiveBuilder layer(Path folder, boolean gzip, String... tarOptions)
    {
        Path tar = work.resolve("layer" + layerTars.size() + ".tar");
        List<String> command = new ArrayList<>(List.of("tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=2026-01-01", "-C", folder.toString()));
        command.addAll(List.of(tarOptions));
        command.addAll(List.of("-cf", tar.toString(), "."));
        run(command);
        if (gzip) {
            Path gz = work.resolve("layer" + layerTars.size() + ".tar.gz");
            try (InputStream in = Files.newInputStream(tar); OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                in.transferTo(out);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tar = gz;
        }
        layerTars.add(tar);
        return this;
    }

    /** Adds an already made layer file (a hostile one). */
    ImageArchiveBuilder layerFile(Path tar)
    {
        layerTars.add(tar);
        return this;
    }

    /** A {@code docker save} tarball (legacy layout: {@code <id>/layer.tar}, {@code <config hex>.json}). */
    Path dockerSave(String tag)
            throws IOException
    {
        Path folder = Files.createDirectories(work.resolve("docker-save"));
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configHex = sha256(config);
        Files.write(folder.resolve(configHex + ".json"), config);
        StringBuilder layers = new StringBuilder();
        for (Path layer : layerTars) {
            String id = sha256(Files.readAllBytes(layer));
            Files.createDirectories(folder.resolve(id));
            Files.copy(layer, folder.resolve(id + "/layer.tar"));
            layers.append(layers.length() == 0 ? "" : ",").append('"').append(id).append("/layer.tar\"");
        }
        Files.writeString(folder.resolve("manifest.json"),
                "[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":[" + layers + "]}]");
        Path archive = work.resolve("image.tar");
        run(List.of("tar", "-C", folder.toString(), "-cf", archive.toString(), "."));
        return archive;
    }

    /** An OCI image layout folder; {@code name} goes in the index's {@code io.containerd.image.name}. */
    Path ociLayout(String name)
            throws IOException
    {
        Path folder = Files.createDirectories(work.resolve("oci"));
        Path blobs = Files.createDirectories(folder.resolve("blobs/sha256"));
        Files.writeString(folder.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configHex = blob(blobs, config);
        StringBuilder layers = new StringBuilder();
        for (Path layer : layerTars) {
            byte[] bytes = Files.readAllBytes(layer);
            String hex = blob(blobs, bytes);
            boolean gzip = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
            layers.append(layers.length() == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar").append(gzip ? "+gzip" : "")
                    .append("\",\"digest\":\"sha256:").append(hex).append("\",\"size\":").append(bytes.length).append('}');
        }
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + configHex + "\",\"size\":" + config.length + "},\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
        String manifestHex = blob(blobs, manifest);
        Files.writeString(folder.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                + manifestHex + "\",\"size\":" + manifest.length + ",\"annotations\":{\"io.containerd.image.name\":\"" + name + "\",\"org.opencontainers.image.ref.name\":\"1.0\"}}]}");
        return folder;
    }

    /** The OCI layout packed as a tar. */
    Path ociTar(String name)
            throws IOException
    {
        Path folder = ociLayout(name);
        Path archive = work.resolve("oci.tar");
        run(List.of("tar", "-C", folder.toString(), "-cf", archive.toString(), "."));
        return archive;
    }

    static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blob(Path blobs, byte[] bytes)
            throws IOException
    {
        String hex = sha256(bytes);
        Files.write(blobs.resolve(hex), bytes);
        return hex;
    }

    static void run(List<String> command)
    {
        run(null, command);
    }

    /** Runs the command in the folder (or this process's own if {@code null}); fails with its output. */
    static void run(Path directory, List<String> command)
    {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void write(Path root, String relative, String content)
            throws IOException
    {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
