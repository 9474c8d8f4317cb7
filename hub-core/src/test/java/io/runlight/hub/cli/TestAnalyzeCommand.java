package io.runlight.hub.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code runlight analyze} on the bundled sample (README's first command), in every
 * output form, and its failures.
 */
class TestAnalyzeCommand
{
    private static final Path SAMPLE = Path.of("..", "examples", "alpine-3.17");

    @TempDir
    Path folder;

    @Test
    void jsonOutputGivesTheVerdictsOfTheSample()
            throws IOException
    {
        Path out = folder.resolve("out.json");

        Result result = run("analyze", "--sbom", SAMPLE.resolve("sbom.syft.json").toString(),
                "--vulns", SAMPLE.resolve("report.grype.json").toString(),
                "--events", SAMPLE.resolve("events.ndjson").toString(),
                "--format", "json", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        JsonNode image = new ObjectMapper().readTree(out.toFile()).get("images").get(0);
        assertThat(image.get("digest").asText()).isEqualTo("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
        assertThat(image.get("profile").get("state").asText()).isEqualTo("COMPLETE");
        assertThat(image.get("profile").get("containers").asInt()).isEqualTo(2);
        assertThat(image.get("profile").get("observedFor").asText()).isEqualTo("P14D");
        JsonNode summary = image.get("summary");
        assertThat(summary.get("packages").asInt()).isEqualTo(15);
        assertThat(summary.get("packagesInUse").asInt()).isEqualTo(4);
        // libc-utils is a meta package that owns no file: unknown, with the reason
        assertThat(summary.get("packagesNotInUse").asInt()).isEqualTo(10);
        assertThat(summary.get("packagesUnknown").asInt()).isEqualTo(1);
        JsonNode libcUtils = null;
        for (JsonNode pkg : image.get("packages")) {
            if (pkg.get("name").asText().equals("libc-utils")) {
                libcUtils = pkg;
            }
        }
        assertThat(libcUtils).isNotNull();
        assertThat(libcUtils.get("usage").asText()).isEqualTo("UNKNOWN");
        assertThat(libcUtils.get("reason").asText())
                .isEqualTo("the SBOM records no files of this package (only a manifest or nothing), so an event could never be matched to it");
        assertThat(summary.get("vulnerabilities").asInt()).isEqualTo(20);
        assertThat(summary.get("vulnerabilitiesInUse").asInt()).isEqualTo(10);
        for (JsonNode vulnerability : image.get("vulnerabilities")) {
            String expected = vulnerability.get("purl").asText().startsWith("pkg:apk/alpine/libcrypto3@") ? "IN_USE" : "NOT_IN_USE";
            assertThat(vulnerability.get("usage").asText()).as(vulnerability.toString()).isEqualTo(expected);
        }
    }

    @Test
    void tableIsTheDefaultAndShowsTheWorkingSet()
    {
        Result result = run("analyze", "--sbom", SAMPLE.resolve("sbom.syft.json").toString(),
                "--vulns", SAMPLE.resolve("report.grype.json").toString(),
                "--events", SAMPLE.resolve("events.ndjson").toString(),
                "--out", folder.resolve("table.txt").toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(folder.resolve("table.txt")).content()
                .contains("20 vulnerabilities → 10 in use (50% less to fix first)")
                .contains("libssl3     3.0.8-r0  3.0.8-r1   not in use");
    }

    @Test
    void openVexStatesEveryLibsslVulnerabilityNotAffected()
            throws IOException
    {
        Path out = folder.resolve("vex.json");

        Result result = run("analyze", "--sbom", SAMPLE.resolve("sbom.syft.json").toString(),
                "--vulns", SAMPLE.resolve("report.grype.json").toString(),
                "--events", SAMPLE.resolve("events.ndjson").toString(),
                "--format", "openvex", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        JsonNode statements = new ObjectMapper().readTree(out.toFile()).get("statements");
        assertThat(statements).hasSize(10);
        for (JsonNode statement : statements) {
            assertThat(statement.get("status").asText()).isEqualTo("not_affected");
            assertThat(statement.get("justification").asText()).isEqualTo("vulnerable_code_not_in_execute_path");
            assertThat(statement.get("products").get(0).get("subcomponents").get(0).get("@id").asText()).startsWith("pkg:apk/alpine/libssl3@3.0.8-r0");
        }
    }

    @Test
    void sameInputGivesSameBytes()
            throws IOException
    {
        for (String name : new String[] {"a.json", "b.json"}) {
            run("analyze", "--sbom", SAMPLE.resolve("sbom.syft.json").toString(),
                    "--vulns", SAMPLE.resolve("report.grype.json").toString(),
                    "--events", SAMPLE.resolve("events.ndjson").toString(),
                    "--format", "cyclonedx", "--out", folder.resolve(name).toString());
        }

        assertThat(Files.readAllBytes(folder.resolve("a.json"))).isEqualTo(Files.readAllBytes(folder.resolve("b.json")));
    }

    @Test
    void missingFileIsAOneSentenceFailure()
    {
        Result result = run("analyze", "--sbom", folder.resolve("nope.json").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("runlight: file '" + folder.resolve("nope.json") + "' does not exist\n");
    }

    @Test
    void unreadableInputNamesFileFormatAndPlace()
            throws IOException
    {
        Path truncated = folder.resolve("truncated.json");
        Files.writeString(truncated, "{\"bomFormat\": \"CycloneDX\", \"components\": [");

        Result result = run("analyze", "--sbom", truncated.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("runlight: '" + truncated + "' cannot be read: CycloneDX JSON at /components");
    }

    @Test
    void imageNamesAnSbomThatNamesNone()
            throws IOException
    {
        Path noDigest = folder.resolve("no-digest.cdx.json");
        Files.writeString(noDigest, "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": ["
                + "{\"type\": \"library\", \"name\": \"express\", \"version\": \"4.21.2\", \"purl\": \"pkg:npm/express@4.21.2\","
                + " \"properties\": [{\"name\": \"cdx:npm:package:path\", \"value\": \"node_modules/express\"}]}]}");
        String digest = "sha256:" + "ab".repeat(32);

        Result refused = run("analyze", "--sbom", noDigest.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("name the image the documents describe (runlight analyze --image sha256:... or name@sha256:...)");

        Result named = run("analyze", "--sbom", noDigest.toString(), "--image", "ghcr.io/acme/app@" + digest, "--format", "json", "--out", folder.resolve("named.json").toString());
        assertThat(named.exitCode()).as(named.err()).isEqualTo(0);
        JsonNode image = new ObjectMapper().readTree(folder.resolve("named.json").toFile()).get("images").get(0);
        assertThat(image.get("digest").asText()).isEqualTo(digest);
        assertThat(image.get("names").get(0).asText()).isEqualTo("ghcr.io/acme/app@" + digest);
    }

    @Test
    void anImageThatContradictsTheSbomIsRefused()
    {
        String other = "sha256:" + "0".repeat(64);

        Result result = run("analyze", "--sbom", SAMPLE.resolve("sbom.syft.json").toString(), "--image", other);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("runlight: '" + SAMPLE.resolve("sbom.syft.json") + "': the SBOM names image "
                + "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d, not the given " + other
                + ": leave out the image option, or give one of the digests the SBOM records ("
                + "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d, "
                + "sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3, "
                + "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501)\n");
    }

    @Test
    void aTagIsNoImageIdentity()
    {
        Result result = run("analyze", "--sbom", SAMPLE.resolve("sbom.syft.json").toString(), "--image", "alpine:3.17");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Invalid value for option '--image': image 'alpine:3.17' names no digest: a tag is a name, not an identity;");
    }

    @Test
    void missingSbomIsBadUsage()
    {
        Result result = run("analyze");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Missing required option: '--sbom=FILE'");
    }

    @Test
    void badDurationIsBadUsage()
    {
        Result result = run("analyze", "--sbom", "x.json", "--learning-window", "soon");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("duration 'soon' is not valid");
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
