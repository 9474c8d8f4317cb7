package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.runlight.plugin.api.PackageType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CompactPaths}: every path comes back exactly as added (ASCII, Latin-1, any Unicode,
 * an unpaired surrogate, the empty string), in order; the list is a {@code List} like any other
 * (equals, hash code) and cannot be changed; the builder knows whether the paths came strictly
 * ascending, as {@code String.compareTo} orders them.
 */
final class TestCompactPaths
{
    @Test
    void everyPathComesBackExactlyAsAdded()
    {
        Random random = new Random(14);
        String[] alphabet = {"/", "usr", "lib", "a", "Z", ".", "-", "_", "é", "ß", "ü", "\u00ff", "\u0100", "文件", "\uD83D\uDE00", "\uD800", "\uDC00", "\u0000", "\u007f", "\u0080", " (deleted)"};
        for (int round = 0; round < 200; round++) {
            List<String> paths = new ArrayList<>();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                StringBuilder path = new StringBuilder();
                int parts = random.nextInt(12);
                for (int part = 0; part < parts; part++) {
                    path.append(alphabet[random.nextInt(random.nextInt(4) == 0 ? alphabet.length : 8)]);
                }
                paths.add(path.toString());
            }
            List<String> compact;
            if (round % 2 == 0) {
                compact = CompactPaths.of(paths);
            }
            else {
                // room made for some of them first, with more or fewer characters than they have
                CompactPaths.Builder builder = new CompactPaths.Builder();
                builder.expect(random.nextInt(count + 1), random.nextInt(400));
                paths.forEach(builder::add);
                compact = builder.build();
            }
            assertThat(compact).containsExactlyElementsOf(paths);
            assertThat(compact).isEqualTo(paths);
            assertThat(compact.hashCode()).isEqualTo(paths.hashCode());
            for (int i = 0; i < paths.size(); i++) {
                assertThat(compact.get(i)).isEqualTo(paths.get(i));
            }
        }
    }

    @Test
    void theListCannotBeChanged()
    {
        List<String> compact = CompactPaths.of(List.of("/usr/bin/a", "/usr/bin/b"));
        assertThatThrownBy(() -> compact.add("/c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> compact.set(0, "/c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> compact.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> compact.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> compact.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(CompactPaths.of(List.of())).isEmpty();
    }

    @Test
    void theBuilderKnowsWhetherThePathsCameStrictlyAscending()
    {
        assertThat(ascending("/a", "/b", "/b/c", "/bc")).isTrue();
        assertThat(ascending("/a", "/a")).isFalse();
        assertThat(ascending("/b", "/a")).isFalse();
        assertThat(ascending("/a", "/é", "/文")).isTrue();
        // String.compareTo's order (UTF-16 units): a supplementary character sorts before U+FFFD
        assertThat(ascending("/\uD83D\uDE00", "/\uFFFD")).isTrue();
        assertThat(ascending()).isTrue();
    }

    @Test
    void aPackageKeepsItsFilesSortedAndDistinctWhateverOrderTheyCameIn()
    {
        PackageDraft sorted = new PackageDraft("a", PackageType.DEB, "a", "1");
        List.of("/etc/a", "/usr/bin/a", "/usr/share/doc/a/copyright").forEach(sorted::addOwnedFile);
        PackageDraft unsorted = new PackageDraft("a", PackageType.DEB, "a", "1");
        List.of("/usr/share/doc/a/copyright", "/etc/a", "/usr/bin/a", "/etc/a").forEach(unsorted::addOwnedFile);
        List<String> expected = List.of("/etc/a", "/usr/bin/a", "/usr/share/doc/a/copyright");
        assertThat(sorted.build("a", Optional.empty(), List.of()).ownedFiles()).isEqualTo(expected);
        assertThat(unsorted.build("a", Optional.empty(), List.of()).ownedFiles()).isEqualTo(expected);
        assertThat(sorted.build("a", Optional.empty(), List.of("/usr/bin/a", "/usr/lib/a.so")).ownedFiles())
                .containsExactly("/etc/a", "/usr/bin/a", "/usr/lib/a.so", "/usr/share/doc/a/copyright");
    }

    private static boolean ascending(String... paths)
    {
        CompactPaths.Builder builder = new CompactPaths.Builder();
        for (String path : paths) {
            builder.add(path);
        }
        assertThat(builder.build()).containsExactly(paths);
        return builder.strictlyAscending();
    }
}
