package io.runlight.hub.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code runlight sbom} on a root folder with a real dpkg database layout, and its usage errors.
 */
class TestSbomCommand
{
    @TempDir
    Path folder;

    @Test
    void rootFolderGivesCycloneDxWithOwnedFilesAndTheImage()
            throws IOException
    {
        Path root = debianRoot();
        Path out = folder.resolve("hello.cdx.json");

        Result result = run("sbom", "--rootfs", root.toString(), "--image", "shop/hello:2.10", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.err()).isEqualTo("runlight: cataloged 1 packages (deb 1) owning 2 files in '" + root + "'\n");
        JsonNode bom = new ObjectMapper().readTree(out.toFile());
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("metadata").path("tools").path("components").path(0).path("name").asText()).isEqualTo("runlight");
        assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo("shop/hello:2.10");
        List<String> purls = new ArrayList<>();
        bom.path("components").forEach(component -> purls.add(component.path("purl").asText(component.path("type").asText())));
        assertThat(purls).containsExactly("operating-system", "pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12");
        List<String> occurrences = new ArrayList<>();
        bom.path("components").path(1).path("evidence").path("occurrences").forEach(occurrence -> occurrences.add(occurrence.path("location").asText()));
        assertThat(occurrences).containsExactly("/usr/bin/hello", "/usr/share/doc/hello/copyright");
        try (var left = Files.list(folder)) {
            // no partial file is left beside the SBOM
            assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("hello.cdx.json", "root");
        }
    }

    @Test
    void typesLimitTheEcosystems()
            throws IOException
    {
        Path root = debianRoot();
        Path out = folder.resolve("none.cdx.json");
        Result npmOnly = run("sbom", "--rootfs", root.toString(), "--types", "npm", "--out", out.toString());
        assertThat(npmOnly.exitCode()).as(npmOnly.err()).isEqualTo(0);
        assertThat(npmOnly.err()).isEqualTo("runlight: cataloged 0 packages owning 0 files in '" + root + "'\n");

        Result unknown = run("sbom", "--rootfs", root.toString(), "--types", "deb,cobol");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("runlight: --types: 'cobol' is no ecosystem Runlight catalogs; use deb, apk, rpm, pypi, npm, maven, golang, composer, nuget, gem or cargo\n");
    }

    @Test
    void usageErrorsNameWhatIsMissing()
    {
        Result neither = run("sbom");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).startsWith("Missing required option: give --rootfs DIR or --archive PATH\n");

        Result both = run("sbom", "--rootfs", "a", "--archive", "b");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).startsWith("Error: --rootfs=DIR, --archive=PATH are mutually exclusive (specify only one)\n");

        Result missing = run("sbom", "--rootfs", folder.resolve("nothing").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("runlight: cannot catalog '" + folder.resolve("nothing") + "': root folder at " + folder.resolve("nothing") + ": not a folder\n");

        Result notAnArchive = run("sbom", "--archive", folder.toString());
        assertThat(notAnArchive.exitCode()).isEqualTo(1);
        assertThat(notAnArchive.err()).isEqualTo("runlight: cannot catalog '" + folder + "': image archive at " + folder.getFileName()
                + ": expected a docker save archive (manifest.json) or an OCI image layout (index.json), found neither\n");
    }

    private Path debianRoot()
            throws IOException
    {
        Path root = folder.resolve("root");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(root, "var/lib/dpkg/status", "Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10-3\n\n");
        write(root, "var/lib/dpkg/info/hello.list", "/.\n/usr\n/usr/bin\n/usr/bin/hello\n/usr/share\n/usr/share/doc\n/usr/share/doc/hello\n/usr/share/doc/hello/copyright\n");
        write(root, "usr/bin/hello", "binary");
        write(root, "usr/share/doc/hello/copyright", "GPL");
        return root;
    }

    private static void write(Path root, String relative, String content)
            throws IOException
    {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static Result run(String... args)
    {
        CommandLine commandLine = RunlightCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
