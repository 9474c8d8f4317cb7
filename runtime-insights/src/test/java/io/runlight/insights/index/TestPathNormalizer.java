package io.runlight.insights.index;

import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPathNormalizer
{
    @Test
    void canonicalPathIsReturnedAsTheSameInstance()
    {
        String path = "/usr/lib/x86_64-linux-gnu/libssl.so.3";
        assertThat(PathNormalizer.isCanonical(path)).isTrue();
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
        assertThat(PathNormalizer.normalize("/")).isEqualTo("/");
        assertThat(PathNormalizer.normalize("/etc/.hidden/..x/...")).isEqualTo("/etc/.hidden/..x/...");
        assertThat(PathNormalizer.normalize("/library/binary/sbinx")).isEqualTo("/library/binary/sbinx");
        assertThat(PathNormalizer.normalize("/proc/self/status")).isEqualTo("/proc/self/status");
        assertThat(PathNormalizer.normalize("/proc/123/rootfs/x")).isEqualTo("/proc/123/rootfs/x");
    }

    @Test
    void usrmergeAliasesMeetOnTheUsrSide()
    {
        assertThat(PathNormalizer.normalize("/bin/busybox")).isEqualTo("/usr/bin/busybox");
        assertThat(PathNormalizer.normalize("/usr/bin/busybox")).isEqualTo("/usr/bin/busybox");
        assertThat(PathNormalizer.normalize("/sbin/ldconfig")).isEqualTo("/usr/sbin/ldconfig");
        assertThat(PathNormalizer.normalize("/lib/x86_64-linux-gnu/libc.so.6")).isEqualTo("/usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(PathNormalizer.normalize("/lib32/libc.so.6")).isEqualTo("/usr/lib32/libc.so.6");
        assertThat(PathNormalizer.normalize("/lib64/ld-linux-x86-64.so.2")).isEqualTo("/usr/lib64/ld-linux-x86-64.so.2");
        assertThat(PathNormalizer.normalize("/libx32/libc.so.6")).isEqualTo("/usr/libx32/libc.so.6");
        assertThat(PathNormalizer.normalize("/lib")).isEqualTo("/usr/lib");
        assertThat(PathNormalizer.normalize("/bin/")).isEqualTo("/usr/bin");
        // only at the root
        assertThat(PathNormalizer.normalize("/opt/lib/x.so")).isEqualTo("/opt/lib/x.so");
        assertThat(PathNormalizer.normalize("/libexec/x")).isEqualTo("/libexec/x");
    }

    @Test
    void relativePathsOfTrivyAndTetragonBecomeAbsolute()
    {
        assertThat(PathNormalizer.normalize("usr/lib/libssl.so.3")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(PathNormalizer.normalize("lib/libcrypto.so.3")).isEqualTo("/usr/lib/libcrypto.so.3");
        assertThat(PathNormalizer.normalize("etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(PathNormalizer.normalize("./app/main.py")).isEqualTo("/app/main.py");
    }

    @Test
    void dotSegmentsAndDoubleSlashesCollapseNeverAboveRoot()
    {
        assertThat(PathNormalizer.normalize("/usr//lib///libz.so.1")).isEqualTo("/usr/lib/libz.so.1");
        assertThat(PathNormalizer.normalize("/usr/./lib/./libz.so.1")).isEqualTo("/usr/lib/libz.so.1");
        assertThat(PathNormalizer.normalize("/usr/local/../lib/libz.so.1")).isEqualTo("/usr/lib/libz.so.1");
        assertThat(PathNormalizer.normalize("/../../etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(PathNormalizer.normalize("/usr/..")).isEqualTo("/");
        assertThat(PathNormalizer.normalize("/usr/../bin/sh")).isEqualTo("/usr/bin/sh");
        assertThat(PathNormalizer.normalize("..")).isEqualTo("/");
    }

    @Test
    void containerRootPrefixesAreStripped()
    {
        assertThat(PathNormalizer.normalize("/proc/123/root/usr/lib/libssl.so.3")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(PathNormalizer.normalize("/proc/self/root/etc/os-release")).isEqualTo("/etc/os-release");
        assertThat(PathNormalizer.normalize("/proc/thread-self/root/bin/sh")).isEqualTo("/usr/bin/sh");
        assertThat(PathNormalizer.normalize("/proc/1/root/proc/2/root/lib/x.so")).isEqualTo("/usr/lib/x.so");
        assertThat(PathNormalizer.normalize("/proc/123/root/../../etc/hosts")).isEqualTo("/etc/hosts");
        assertThat(PathNormalizer.normalize("/proc/123/root")).isEqualTo("/");
        assertThat(PathNormalizer.normalize("proc/77/root/lib/libz.so.1")).isEqualTo("/usr/lib/libz.so.1");
    }

    @Test
    void deletedSuffixIsStripped()
    {
        assertThat(PathNormalizer.normalize("/usr/lib/libssl.so.3 (deleted)")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(PathNormalizer.normalize("/proc/9/root/lib/libz.so.1 (deleted)")).isEqualTo("/usr/lib/libz.so.1");
    }

    @Test
    void hostilePathsAreRejected()
    {
        assertThatThrownBy(() -> PathNormalizer.normalize("/usr/lib/\0evil"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid path '/usr/lib/?evil': it contains a NUL character");
        String huge = "/" + "a".repeat(PathNormalizer.MAX_LENGTH);
        assertThatThrownBy(() -> PathNormalizer.normalize(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid path '" + huge.substring(0, 117) + "...': longer than 4096 characters");
        assertThatThrownBy(() -> PathNormalizer.normalize(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid path '': it is blank");
        assertThatThrownBy(() -> PathNormalizer.normalize(" (deleted)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid path ' (deleted)': it is blank");
        assertThat(PathNormalizer.tryNormalize("/a\0b")).isEqualTo(Optional.empty());
        assertThat(PathNormalizer.tryNormalize(null)).isEqualTo(Optional.empty());
        assertThat(PathNormalizer.tryNormalize("bin/ls")).isEqualTo(Optional.of("/usr/bin/ls"));
        // exactly the limit is fine
        String longest = "/" + "b".repeat(PathNormalizer.MAX_LENGTH - 1);
        assertThat(PathNormalizer.normalize(longest)).isSameAs(longest);
    }

    @Test
    void normalizingIsIdempotent()
    {
        for (String path : new String[] {"usr/lib/../lib64/x.so", "/proc/5/root//bin/./sh (deleted)", "/a/b/../../..", "lib", "/"}) {
            String once = PathNormalizer.normalize(path);
            assertThat(PathNormalizer.isCanonical(once)).as(once).isTrue();
            assertThat(PathNormalizer.normalize(once)).isSameAs(once);
        }
    }

    @Test
    void canonicalViewDescribesTheCanonicalFormWithoutCopying()
    {
        assertThat(viewText("/usr/lib/libssl.so.3")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(viewText("/proc/42/root/lib/libz.so.1 (deleted)")).isEqualTo("/usr/lib/libz.so.1");
        assertThat(viewText("/proc/self/root/proc/thread-self/root/etc/hosts")).isEqualTo("/etc/hosts");
        assertThat(viewText("usr/lib/libssl.so.3")).isEqualTo("/usr/lib/libssl.so.3");
        assertThat(viewText("lib/libcrypto.so.3")).isEqualTo("/usr/lib/libcrypto.so.3");
        assertThat(viewText("/bin")).isEqualTo("/usr/bin");
        // a relative /proc path that is not a container root (Tetragon writes those) needs no copy either
        assertThat(viewText("proc/42/status")).isEqualTo("/proc/42/status");
        assertThat(viewText("proc/self/rootfs/x")).isEqualTo("/proc/self/rootfs/x");
        // the general algorithm handles the rest
        assertThat(PathNormalizer.canonicalView("/usr/./lib")).isEqualTo(PathNormalizer.NO_VIEW);
        assertThat(PathNormalizer.canonicalView("proc/1/root/x")).isEqualTo(PathNormalizer.NO_VIEW);
        assertThat(PathNormalizer.canonicalView("proc/self/root (deleted)")).isEqualTo(PathNormalizer.NO_VIEW);
        assertThat(PathNormalizer.canonicalView("/proc/1/root")).isEqualTo(PathNormalizer.NO_VIEW);
        assertThat(PathNormalizer.canonicalView(" x")).isEqualTo(PathNormalizer.NO_VIEW);
        assertThat(PathNormalizer.canonicalView("/a\0b (deleted)")).isEqualTo(PathNormalizer.NO_VIEW);
    }

    @Test
    void canonicalViewAgreesWithNormalizeOnGeneratedPaths()
    {
        String[] pieces = {"/", "/", "/", ".", "..", "proc", "1", "self", "thread-self", "root", "lib", "lib64", "bin", "usr",
                "a", "b.so", " (deleted)", " ", "\0", "é", ".x", "//", "sbin", "rootfs", "12a"};
        Random random = new Random(7);
        for (int round = 0; round < 200_000; round++) {
            StringBuilder path = new StringBuilder();
            int count = 1 + random.nextInt(9);
            for (int i = 0; i < count; i++) {
                path.append(pieces[random.nextInt(pieces.length)]);
            }
            String raw = path.toString();
            Optional<String> expected = PathNormalizer.tryNormalize(raw);
            long view = PathNormalizer.canonicalView(raw);
            if (view != PathNormalizer.NO_VIEW) {
                assertThat(Optional.of(viewText(raw))).as(raw).isEqualTo(expected);
            }
            assertThat(PathNormalizer.isCanonical(raw)).as(raw).isEqualTo(expected.isPresent() && expected.get().equals(raw));
            // the index trusts a candidate view that equals a stored (clean) path without scanning the raw range
            long candidate = PathNormalizer.candidateView(raw);
            if (candidate != PathNormalizer.NO_VIEW) {
                String text = PathNormalizer.viewPrefixText(candidate) + raw.substring(PathNormalizer.viewStart(candidate), PathNormalizer.viewEnd(candidate));
                if (PathNormalizer.isClean(text, 0, text.length())) {
                    assertThat(expected).as(raw).contains(text);
                }
            }
            else {
                assertThat(view).as(raw).isEqualTo(PathNormalizer.NO_VIEW);
            }
        }
    }

    private static String viewText(String raw)
    {
        long view = PathNormalizer.canonicalView(raw);
        assertThat(view).as(raw).isNotEqualTo(PathNormalizer.NO_VIEW);
        return PathNormalizer.viewPrefixText(view) + raw.substring(PathNormalizer.viewStart(view), PathNormalizer.viewEnd(view));
    }
}
