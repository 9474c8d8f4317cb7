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
 * The {@code *.deps.json} of a published .NET application, shaped as {@code dotnet publish}
 * writes it, from a root folder and from the same tree saved as an image archive.
 */
class TestNugetPackages
{
    @TempDir
    Path work;

    @Test
    void packagesOwnTheAssembliesPublishedBesideTheDepsJson()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root"));
        write(root, "app/Shop.deps.json", """
                {
                  "runtimeTarget": {
                    "name": ".NETCoreApp,Version=v8.0/linux-x64",
                    "signature": ""
                  },
                  "compilationOptions": {},
                  "targets": {
                    ".NETCoreApp,Version=v8.0": {},
                    ".NETCoreApp,Version=v8.0/linux-x64": {
                      "Shop/1.0.0": {
                        "dependencies": {
                          "Newtonsoft.Json": "13.0.3",
                          "SQLitePCLRaw.lib.e_sqlite3": "2.1.6"
                        },
                        "runtime": {
                          "Shop.dll": {}
                        }
                      },
                      "Newtonsoft.Json/13.0.3": {
                        "runtime": {
                          "lib/net6.0/Newtonsoft.Json.dll": {
                            "assemblyVersion": "13.0.0.0",
                            "fileVersion": "13.0.3.27908"
                          }
                        }
                      },
                      "SQLitePCLRaw.lib.e_sqlite3/2.1.6": {
                        "native": {
                          "runtimes/linux-x64/native/libe_sqlite3.so": {
                            "fileVersion": "0.0.0.0"
                          }
                        }
                      },
                      "System.Text.Encodings.Web/8.0.0": {
                        "runtimeTargets": {
                          "runtimes/browser/lib/net8.0/System.Text.Encodings.Web.dll": {
                            "rid": "browser",
                            "assetType": "runtime",
                            "assemblyVersion": "8.0.0.0",
                            "fileVersion": "8.0.23.53103"
                          }
                        }
                      }
                    }
                  },
                  "libraries": {
                    "Shop/1.0.0": {
                      "type": "project",
                      "serviceable": false,
                      "sha512": ""
                    },
                    "Newtonsoft.Json/13.0.3": {
                      "type": "package",
                      "serviceable": true,
                      "sha512": "sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==",
                      "path": "newtonsoft.json/13.0.3",
                      "hashPath": "newtonsoft.json.13.0.3.nupkg.sha512"
                    },
                    "SQLitePCLRaw.lib.e_sqlite3/2.1.6": {
                      "type": "package",
                      "serviceable": true,
                      "sha512": "sha512-2ObJJLkIUIxRpOUlZNGuD4rICpBnrBR5anjyfUFQep4hMOIeqW+XGQYzrNmHSVz5xSWZ3klSbh7sFR6UyDj68Q==",
                      "path": "sqlitepclraw.lib.e_sqlite3/2.1.6",
                      "hashPath": "sqlitepclraw.lib.e_sqlite3.2.1.6.nupkg.sha512"
                    },
                    "System.Text.Encodings.Web/8.0.0": {
                      "type": "package",
                      "serviceable": true,
                      "sha512": "sha512-yev/k9GHAEGx2Rg3/tU6MQh4HGBXJs70y7j1LaM1i/ER9po+6nnQ6RRqTJn1E7Xu0fbIFK80Nh5EoODxrbxwBQ==",
                      "path": "system.text.encodings.web/8.0.0",
                      "hashPath": "system.text.encodings.web.8.0.0.nupkg.sha512"
                    }
                  }
                }
                """);
        write(root, "app/Shop.dll", "MZ");
        write(root, "app/Newtonsoft.Json.dll", "MZ");
        write(root, "app/libe_sqlite3.so", "\u007fELF");
        write(root, "app/runtimes/browser/lib/net8.0/System.Text.Encodings.Web.dll", "MZ");

        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);

        assertThat(nuget(catalog)).containsExactly(
                "pkg:nuget/Newtonsoft.Json@13.0.3 owns [/app/Newtonsoft.Json.dll] at [/app/Shop.deps.json]",
                "pkg:nuget/SQLitePCLRaw.lib.e_sqlite3@2.1.6 owns [/app/libe_sqlite3.so] at [/app/Shop.deps.json]",
                "pkg:nuget/System.Text.Encodings.Web@8.0.0 owns [/app/runtimes/browser/lib/net8.0/System.Text.Encodings.Web.dll] at [/app/Shop.deps.json]");
        assertThat(catalog.warnings()).isEmpty();
        CycloneDxRoundTrip.assertValidAndReadBack(catalog);

        Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("archive"))).layer(root, true).dockerSave("example/dotnet:1");
        Catalog fromArchive = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);
        assertThat(fromArchive.packages()).isEqualTo(catalog.packages());
        assertThat(fromArchive.warnings()).isEmpty();
    }

    @Test
    void hostileAndBrokenDepsJsonIsLeftOutWithAWarning()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root"));
        write(root, "app/Evil.deps.json", """
                {"runtimeTarget": {"name": "t"},
                 "targets": {"t": {
                    "Escape/1.0.0": {"runtime": {"../../etc/passwd": {}}, "runtimeTargets": {"../../etc/shadow": {}, "/etc/hosts": {}}},
                    "Bad/Key/1.0": {"runtime": {"x.dll": {}}}
                 }},
                 "libraries": {
                    "Escape/1.0.0": {"type": "package"},
                    "Bad/Key/1.0": {"type": "package"},
                    "NoVersion": {"type": "package"},
                    "Odd/2.0.0": {"type": ["package"]}
                 }}
                """);
        write(root, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        write(root, "etc/shadow", "root:*:19000::::::\n");
        write(root, "truncated/App.deps.json", "{\"targets\": {\"t\": {\"A/1.0\": {\"runt");
        write(root, "wrongtype/App.deps.json", "[\"targets\", \"libraries\"]");
        write(root, "big/App.deps.json", "{\"targets\": {}, \"libraries\": {" + "\"A/1.0\": {\"type\": \"package\"},".repeat(100) + "\"B/1.0\": {}}}");

        CatalogLimits small = new CatalogLimits(1000, 1 << 30, 128, 4096, 2048, 1 << 20, InputLimits.DEFAULT);
        Catalog catalog = new Cataloger(small, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);

        assertThat(nuget(catalog)).containsExactly("pkg:nuget/Escape@1.0.0 owns [] at [/app/Evil.deps.json]");
        assertThat(catalog.warnings()).containsExactly(
                "left out the NuGet library 'Bad/Key/1.0' of '/app/Evil.deps.json': it is not <name>/<version>",
                "left out the NuGet library 'NoVersion' of '/app/Evil.deps.json': it is not <name>/<version>",
                "left out the NuGet packages of '/big/App.deps.json': root folder at /big/App.deps.json: the file has more than 2048 bytes, the limit for a metadata file",
                "left out the NuGet packages of '/truncated/App.deps.json': Unexpected end-of-input in field name",
                "left out the NuGet packages of '/wrongtype/App.deps.json': it is not a .NET dependency manifest (no \"targets\" and \"libraries\" objects)");
    }

    private static List<String> nuget(Catalog catalog)
    {
        return catalog.packages().stream().filter(sbomPackage -> sbomPackage.pkg().type() == PackageType.NUGET).map(TestNugetPackages::describe).toList();
    }

    private static String describe(SbomPackage sbomPackage)
    {
        return sbomPackage.pkg().purl() + " owns " + sbomPackage.ownedFiles() + " at " + sbomPackage.locations();
    }
}
