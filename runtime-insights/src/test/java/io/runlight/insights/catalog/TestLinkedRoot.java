package io.runlight.insights.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A root folder given as a link, as the node agent gives {@code /proc/<pid>/root}: the walk goes
 * through the link (each path below it is looked up through it), never to the link's target as
 * this process would resolve it, and paths inside the image are relative to the link.
 */
class TestLinkedRoot
{
    @TempDir
    Path folder;

    @Test
    void aLinkedRootIsWalkedThroughTheLink()
            throws Exception
    {
        Path root = Files.createDirectories(folder.resolve("rootfs"));
        Path module = Files.createDirectories(root.resolve("app/node_modules/left-pad"));
        Files.writeString(module.resolve("package.json"), "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}");
        Files.writeString(module.resolve("index.js"), "module.exports = pad;\n");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Path link = Files.createSymbolicLink(folder.resolve("root"), root);

        Catalog throughLink = new Cataloger(CatalogLimits.DEFAULT, Optional.of(folder)).catalogRootFolder(link, ImageIdentity.UNKNOWN, Set.of("/srv"));
        Catalog direct = new Cataloger(CatalogLimits.DEFAULT, Optional.of(folder)).catalogRootFolder(root, ImageIdentity.UNKNOWN);

        assertThat(throughLink.packages()).extracting(sbomPackage -> sbomPackage.pkg().purl().toString()).containsExactly("pkg:npm/left-pad@1.3.0");
        SbomPackage leftPad = throughLink.packages().get(0);
        assertThat(leftPad.ownedFiles()).containsExactlyInAnyOrder("/app/node_modules/left-pad/index.js", "/app/node_modules/left-pad/package.json");
        assertThat(throughLink.packages()).isEqualTo(direct.packages());
    }
}
