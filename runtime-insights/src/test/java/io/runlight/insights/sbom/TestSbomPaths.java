package io.runlight.insights.sbom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestSbomPaths
{
    @Test
    void makesPathsAbsoluteAndNormal()
    {
        assertThat(SbomPaths.absolute("/usr/lib/libssl.so.3")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(SbomPaths.absolute("usr/lib/libssl.so.3")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(SbomPaths.absolute("./usr//lib/./libssl.so.3")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(SbomPaths.absolute("/usr/lib/../bin/")).isEqualTo("/usr/bin");
        assertThat(SbomPaths.absolute("/../../etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(SbomPaths.absolute("/")).isEqualTo("/");
        assertThat(SbomPaths.absolute(".")).isEqualTo("/");
        assertThat(SbomPaths.absolute("/a/.../.b/..c")).isEqualTo("/a/.../.b/..c");
        assertThat(SbomPaths.absolute("/a/b/..")).isEqualTo("/a");
        assertThat(SbomPaths.absolute("/a/b/.")).isEqualTo("/a/b");
        assertThat(SbomPaths.absolute("/a/./b")).isEqualTo("/a/b");
    }

    @Test
    void joinsRelativePathsToRoot()
    {
        assertThat(SbomPaths.join("/usr/lib/python3/dist-packages", "requests/api.py")).isEqualTo("/usr/lib/python3/dist-packages/requests/api.py");
        assertThat(SbomPaths.join("/usr/local/lib/python3.11/site-packages", "../../../bin/flask")).isEqualTo("/usr/local/bin/flask");
        assertThat(SbomPaths.join("/usr/lib/python3/dist-packages", "/etc/x.conf")).isEqualTo("/etc/x.conf");
    }
}
