package io.runlight.agent.attribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.runlight.plugin.api.ImageDigest;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * The "image" of the processes that run in no container: the node itself, under a name the
 * user chooses. A host has no image digest, so the agent makes one from the name and the
 * host's package databases (dpkg, apk, rpm): installing or upgrading a package gives a new
 * digest, so the host is cataloged again and its old verdicts are not mixed with the new.
 *
 * @param name the host's name, as workload name and container id of its events
 * @param image the image name the host's catalog and events carry ({@code host/<name>})
 * @param digest the digest standing for the host's installed software
 */
public record HostIdentity(String name, String image, ImageDigest digest)
{
    /** The package databases whose contents make the digest, relative to the host's root. */
    static final List<String> DATABASES = List.of("var/lib/dpkg/status", "lib/apk/db/installed", "var/lib/rpm", "usr/lib/sysimage/rpm");

    public HostIdentity
    {
        requireNonBlank(name, "name");
        requireNonBlank(image, "image");
        requireNonNull(digest, "digest is null");
    }

    /** The identity of the host whose file system is at {@code root} ({@code /}, or {@code /host} in a container). */
    public static HostIdentity of(String name, Path root)
    {
        requireNonBlank(name, "name");
        requireNonNull(root, "root is null");
        MessageDigest sha256 = sha256();
        sha256.update(("runlight host " + name + "\n").getBytes(StandardCharsets.UTF_8));
        for (String database : DATABASES) {
            for (Path file : files(root.resolve(database))) {
                sha256.update((root.relativize(file) + "\n").getBytes(StandardCharsets.UTF_8));
                update(sha256, file);
            }
        }
        return new HostIdentity(name, "host/" + name, new ImageDigest("sha256:" + HexFormat.of().formatHex(sha256.digest())));
    }

    /** The workload of a host process. */
    public Workload workload()
    {
        return new Workload(Optional.empty(), Optional.of("Host"), Optional.of(name), Optional.empty(), Optional.empty(), name, Optional.of(image), digest);
    }

    // a database folder (rpm) counts by every file in it, in name order
    private static List<Path> files(Path path)
    {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                entries.forEach(entry -> {
                    if (Files.isRegularFile(entry)) {
                        files.add(entry);
                    }
                });
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot list the package database '" + path + "'", e);
            }
        }
        files.sort(Path::compareTo);
        return files;
    }

    private static void update(MessageDigest sha256, Path file)
    {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, read);
            }
        }
        catch (NoSuchFileException e) {
            // removed while being read (a package manager at work): the next start sees the new state
            return;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the package database '" + file + "'", e);
        }
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
