package io.runlight.insights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import io.runlight.insights.input.InputException;

import static java.util.Objects.requireNonNull;

/**
 * A temporary folder that receives the few files catalogers read from an archive (package
 * databases, metadata, a Go binary to parse) under their image paths. Nothing is ever
 * written outside it: every folder on the way is created by this class and checked to be a
 * real folder, never a link, and names with {@code ..} never reach it. {@link #delete()}
 * removes it all, without following links.
 */
final class ExtractionFolder
{
    private final Path root;
    private final long maxFileBytes;
    private long spillCount;
    // folders this class made: known to be real folders, no need to look again
    private final java.util.Set<Path> made = new java.util.HashSet<>();

    ExtractionFolder(Path root, long maxFileBytes)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
    }

    static ExtractionFolder create(Path parent, long maxFileBytes)
    {
        try {
            Path folder = parent == null ? Files.createTempDirectory("runlight-catalog-") : Files.createTempDirectory(parent, "runlight-catalog-");
            return new ExtractionFolder(folder, maxFileBytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the catalog", e);
        }
    }

    Path root()
    {
        return root;
    }

    /** Writes the image file {@code imagePath} (absolute) with the content given. */
    Path write(String imagePath, InputStream content)
            throws IOException
    {
        Path target = target(imagePath);
        copyBounded(content, target, imagePath);
        return target;
    }

    /** A symbolic link, with its target as the image wrote it (readers resolve it inside the folder). */
    void link(String imagePath, String linkTarget)
            throws IOException
    {
        Path target = target(imagePath);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(target, Path.of(linkTarget));
        }
    }

    /** A scratch copy of a stream (a binary to read at random), to delete when done. */
    Path spill(InputStream content, String imagePath)
            throws IOException
    {
        spillCount++;
        Path target = root.resolve(".spill-" + spillCount);
        copyBounded(content, target, imagePath);
        return target;
    }

    void delete()
    {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                        throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                        throws IOException
                {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary folder '" + root + "'", e);
        }
    }

    private Path target(String imagePath)
            throws IOException
    {
        Path current = root;
        String[] segments = imagePath.split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new IllegalArgumentException("path '" + imagePath + "' has a '..' segment");
            }
            current = current.resolve(segment);
            boolean last = i == segments.length - 1;
            if (last) {
                break;
            }
            if (made.contains(current)) {
                continue;
            }
            if (Files.isSymbolicLink(current)) {
                throw new InputException(InputException.Reason.INVALID, "image archive", imagePath,
                        "a folder on the way is a symbolic link; refusing to write through it");
            }
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
            }
            made.add(current);
        }
        if (!current.startsWith(root) || current.equals(root)) {
            throw new IllegalArgumentException("path '" + imagePath + "' is not below the extraction folder");
        }
        return current;
    }

    private void copyBounded(InputStream content, Path target, String imagePath)
            throws IOException
    {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            int read;
            while ((read = content.read(buffer)) > 0) {
                total += read;
                if (total > maxFileBytes) {
                    throw new InputException(InputException.Reason.TOO_LARGE, "image archive", imagePath,
                            "the file has more than " + maxFileBytes + " bytes, the limit for a package database or metadata file");
                }
                out.write(buffer, 0, read);
            }
        }
    }
}
