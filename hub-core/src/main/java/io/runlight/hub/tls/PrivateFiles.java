package io.runlight.hub.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the hub's key material into its data folder: folders only the hub's user may
 * enter, and files replaced atomically (a crash leaves the old file or the new one, never
 * half of one), secret ones readable by the hub's user only. On a file system without
 * POSIX permissions the files are written the same way, without permissions.
 */
public final class PrivateFiles
{
    private PrivateFiles() {}

    /** Makes {@code directory} (mode 0700) and its parents, unless it exists; another process making it first is fine. */
    public static void createPrivateDirectory(Path directory)
            throws IOException
    {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try {
            if (isPosix(parent)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            else {
                Files.createDirectory(directory);
            }
        }
        catch (FileAlreadyExistsException e) {
            // another process made it first; it is used as it is
        }
    }

    /**
     * Makes {@code directory} (mode 0700) if missing, and takes group and others' access
     * away if it exists: for the hub's data folder, whose database holds integration
     * secrets and whose keys/ and tls/ hold private keys. No-op on non-POSIX file systems.
     */
    public static void restrictDirectory(Path directory)
            throws IOException
    {
        createPrivateDirectory(directory);
        if (isPosix(directory)) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * Takes group and others' access away from {@code directory} and everything in it
     * (folders 0700, files 0600), if it exists: for files that a library made with the
     * process's umask, such as H2's database file. No-op on non-POSIX file systems.
     */
    public static void restrictContents(Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory) || !isPosix(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
            }
        }
    }

    /** Writes {@code content} (ASCII) to a temporary file beside {@code file} (0600 when {@code secret}, else 0644) and moves it into place. */
    public static void writeAtomically(Path file, String content, boolean secret)
            throws IOException
    {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary;
        if (isPosix(directory)) {
            Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(permissions));
        }
        else {
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        }
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Whether users other than the owner may read {@code file}; false where the file system has no POSIX permissions. */
    public static boolean isReadableByOthers(Path file)
            throws IOException
    {
        if (!isPosix(file.toAbsolutePath())) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
    }

    private static boolean isPosix(Path path)
    {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
