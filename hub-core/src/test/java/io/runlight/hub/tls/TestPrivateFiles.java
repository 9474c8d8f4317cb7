package io.runlight.hub.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TestPrivateFiles
{
    @TempDir
    Path folder;

    @Test
    void secretFilesAndFoldersAreTheOwnersOnly()
            throws IOException
    {
        Path keys = folder.resolve("data/keys");
        PrivateFiles.createPrivateDirectory(keys);
        PrivateFiles.writeAtomically(keys.resolve("secret.pem"), "secret\n", true);
        PrivateFiles.writeAtomically(keys.resolve("public.pem"), "public\n", false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("secret.pem")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("public.pem")))).isEqualTo("rw-r--r--");
        assertThat(PrivateFiles.isReadableByOthers(keys.resolve("secret.pem"))).isFalse();
        assertThat(PrivateFiles.isReadableByOthers(keys.resolve("public.pem"))).isTrue();
    }

    @Test
    void replacingAFileLeavesNoTemporaryFileBehind()
            throws IOException
    {
        Path file = folder.resolve("cert.pem");
        PrivateFiles.writeAtomically(file, "first\n", false);
        PrivateFiles.writeAtomically(file, "second\n", false);

        assertThat(file).hasContent("second");
        try (Stream<Path> listing = Files.list(folder)) {
            assertThat(listing.map(path -> path.getFileName().toString())).containsExactly("cert.pem");
        }
    }

    @Test
    void anExistingFolderIsUsedAsItIs()
            throws IOException
    {
        Path existing = Files.createDirectory(folder.resolve("shared"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));

        PrivateFiles.createPrivateDirectory(existing);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwxr-xr-x");
    }
}
