package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static io.runlight.insights.catalog.ImageArchiveBuilder.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Composer's {@code vendor/composer/installed.json} in both of its forms, as Composer 1 and 2
 * write them, from a root folder and from the same tree saved as an image archive.
 */
class TestComposerPackages
{
    @TempDir
    Path work;

    @Test
    void composerTwoPackagesOwnTheirInstallFoldersWhereverTheInstallerPutThem()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root"));
        // Composer 2.6 layout: install-path relative to vendor/composer/, a Drupal module installed outside vendor/
        write(root, "srv/shop/vendor/composer/installed.json", """
                {
                    "packages": [
                        {
                            "name": "monolog/monolog",
                            "version": "3.5.0",
                            "version_normalized": "3.5.0.0",
                            "type": "library",
                            "install-path": "../monolog/monolog"
                        },
                        {
                            "name": "psr/log",
                            "version": "3.0.0",
                            "version_normalized": "3.0.0.0",
                            "install-path": "../psr/log"
                        },
                        {
                            "name": "drupal/token",
                            "version": "1.13.0",
                            "type": "drupal-module",
                            "install-path": "../../web/modules/contrib/token"
                        }
                    ],
                    "dev": true,
                    "dev-package-names": []
                }
                """);
        write(root, "srv/shop/vendor/composer/ClassLoader.php", "<?php\n");
        write(root, "srv/shop/vendor/autoload.php", "<?php\n");
        write(root, "srv/shop/vendor/monolog/monolog/src/Monolog/Logger.php", "<?php\n");
        write(root, "srv/shop/vendor/monolog/monolog/composer.json", "{}");
        write(root, "srv/shop/vendor/psr/log/src/LoggerInterface.php", "<?php\n");
        write(root, "srv/shop/vendor/psr/logger-extra/src/Other.php", "<?php\n");
        write(root, "srv/shop/web/modules/contrib/token/token.module", "<?php\n");
        // Composer 1: a bare array, no install-path
        write(root, "var/www/legacy/vendor/composer/installed.json", """
                [
                    {"name": "guzzlehttp/guzzle", "version": "6.5.8", "type": "library"},
                    {"name": "symfony/polyfill-php72", "version": "v1.28.0"}
                ]
                """);
        write(root, "var/www/legacy/vendor/guzzlehttp/guzzle/src/Client.php", "<?php\n");
        write(root, "var/www/legacy/vendor/symfony/polyfill-php72/bootstrap.php", "<?php\n");

        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);

        assertThat(composer(catalog)).containsExactly(
                "pkg:composer/drupal/token@1.13.0 owns [/srv/shop/web/modules/contrib/token/token.module] at [/srv/shop/vendor/composer/installed.json]",
                "pkg:composer/guzzlehttp/guzzle@6.5.8 owns [/var/www/legacy/vendor/guzzlehttp/guzzle/src/Client.php] at [/var/www/legacy/vendor/composer/installed.json]",
                "pkg:composer/monolog/monolog@3.5.0 owns [/srv/shop/vendor/monolog/monolog/composer.json, /srv/shop/vendor/monolog/monolog/src/Monolog/Logger.php]"
                        + " at [/srv/shop/vendor/composer/installed.json]",
                "pkg:composer/psr/log@3.0.0 owns [/srv/shop/vendor/psr/log/src/LoggerInterface.php] at [/srv/shop/vendor/composer/installed.json]",
                "pkg:composer/symfony/polyfill-php72@v1.28.0 owns [/var/www/legacy/vendor/symfony/polyfill-php72/bootstrap.php] at [/var/www/legacy/vendor/composer/installed.json]");
        assertThat(catalog.packages()).allMatch(sbomPackage -> sbomPackage.pkg().type() == PackageType.COMPOSER);
        assertThat(catalog.warnings()).isEmpty();
        CycloneDxRoundTrip.assertValidAndReadBack(catalog);

        Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("archive"))).layer(root, true).dockerSave("example/php:1");
        Catalog fromArchive = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);
        assertThat(fromArchive.packages()).isEqualTo(catalog.packages());
        assertThat(fromArchive.warnings()).isEmpty();
    }

    @Test
    void hostileAndBrokenInstalledJsonIsLeftOutWithAWarning()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root"));
        write(root, "app/vendor/composer/installed.json", """
                {"packages": [
                    {"name": "evil/escape", "version": "1.0.0", "install-path": "../../../../etc"},
                    {"name": "evil/project", "version": "1.0.0", "install-path": "../../"},
                    {"name": "../../etc", "version": "1.0.0"},
                    {"version": "1.0.0"},
                    ["not", "an", "object"],
                    {"name": "good/one", "version": "2.0.0"}
                ]}
                """);
        write(root, "app/vendor/good/one/index.php", "<?php\n");
        write(root, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        write(root, "truncated/vendor/composer/installed.json", "{\"packages\": [{\"name\": \"a/b\", \"vers");
        write(root, "wrongtype/vendor/composer/installed.json", "{\"packages\": {\"name\": \"a/b\"}}");
        write(root, "big/vendor/composer/installed.json", "[" + "{\"name\": \"a/b\", \"version\": \"1.0.0\"},".repeat(100) + "{}]");

        CatalogLimits small = new CatalogLimits(1000, 1 << 30, 128, 4096, 2048, 1 << 20, InputLimits.DEFAULT);
        Catalog catalog = new Cataloger(small, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);

        assertThat(composer(catalog)).containsExactly("pkg:composer/good/one@2.0.0 owns [/app/vendor/good/one/index.php] at [/app/vendor/composer/installed.json]");
        assertThat(catalog.warnings()).containsExactly(
                "left out the Composer package 'evil/escape' of '/app/vendor/composer/installed.json': its install-path '../../../../etc' is not a folder inside the project '/app'",
                "left out the Composer package 'evil/project' of '/app/vendor/composer/installed.json': its install-path '../../' is not a folder inside the project '/app'",
                "left out package 3 of '/app/vendor/composer/installed.json': its name '../../etc' is not <vendor>/<name>",
                "left out package 4 of '/app/vendor/composer/installed.json': its name is missing",
                "left out package 5 of '/app/vendor/composer/installed.json': its name is missing",
                "left out the Composer packages of '/big/vendor/composer/installed.json': root folder at /big/vendor/composer/installed.json: the file has more than 2048 bytes, the limit for a metadata file",
                "left out the Composer packages of '/truncated/vendor/composer/installed.json': Unexpected end-of-input in field name",
                "left out the Composer packages of '/wrongtype/vendor/composer/installed.json': it is neither a JSON array nor an object with a \"packages\" array");
    }

    private static List<String> composer(Catalog catalog)
    {
        return catalog.packages().stream().filter(sbomPackage -> sbomPackage.pkg().type() == PackageType.COMPOSER).map(TestComposerPackages::describe).toList();
    }

    private static String describe(SbomPackage sbomPackage)
    {
        return sbomPackage.pkg().purl() + " owns " + sbomPackage.ownedFiles() + " at " + sbomPackage.locations();
    }
}
