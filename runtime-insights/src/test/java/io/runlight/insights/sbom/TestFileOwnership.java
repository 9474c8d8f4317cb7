package io.runlight.insights.sbom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestFileOwnership
{
    @Test
    void resolvesLinksBeforeFiles()
    {
        FileOwnership ownership = new FileOwnership();
        ownership.contains("pkg-a", "file-1");
        ownership.contains("pkg-b", "file-1");
        ownership.contains("pkg-a", "file-2");
        ownership.contains("pkg-a", "pkg-b");
        ownership.linksComplete();
        ownership.file("file-1", "/bin/busybox");
        ownership.file("file-2", "/bin/sh");
        ownership.file("file-3", "/etc/motd");

        assertThat(ownership.filesOf("pkg-a")).containsExactly("/bin/busybox", "/bin/sh");
        assertThat(ownership.filesOf("pkg-b")).containsExactly("/bin/busybox");
        assertThat(ownership.filesOf("pkg-c")).isEmpty();
    }

    @Test
    void resolvesFilesBeforeLinks()
    {
        FileOwnership ownership = new FileOwnership();
        ownership.file("file-1", "/bin/busybox");
        ownership.file("file-2", "/bin/sh");
        ownership.contains("pkg-a", "file-2");
        ownership.contains("pkg-a", "file-1");
        ownership.contains("pkg-a", "file-9");
        ownership.linksComplete();

        assertThat(ownership.filesOf("pkg-a")).containsExactly("/bin/sh", "/bin/busybox");
    }
}
