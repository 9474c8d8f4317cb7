package io.runlight.insights.vex;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runlight.insights.report.AlpineSample;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TestOpenVexWriter
{
    private static final Instant TIMESTAMP = Instant.parse("2026-11-28T12:30:00Z");
    private static final String ALPINE_OPENVEX = """
            {
              "@context": "https://openvex.dev/ns/v0.2.0",
              "@id": "https://runlight.localhost/vex/sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501/1",
              "author": "Runlight <runlight@localhost>",
              "timestamp": "2026-11-28T12:30:00Z",
              "version": 1,
              "tooling": "Runlight",
              "statements": [
                {
                  "vulnerability": {
                    "name": "CVE-2023-0464"
                  },
                  "timestamp": "2026-11-28T12:00:00Z",
                  "products": [
                    {
                      "@id": "pkg:oci/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501?repository_url=docker.io/library/alpine",
                      "subcomponents": [
                        {
                          "@id": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2"
                        }
                      ]
                    }
                  ],
                  "status": "not_affected",
                  "justification": "vulnerable_code_not_in_execute_path",
                  "impact_statement": "libssl3 3.0.8-r0 was not loaded by any of 3 containers of this image during 14 days of observation"
                },
                {
                  "vulnerability": {
                    "name": "CVE-2023-5363"
                  },
                  "timestamp": "2026-11-28T12:00:00Z",
                  "products": [
                    {
                      "@id": "pkg:oci/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501?repository_url=docker.io/library/alpine",
                      "subcomponents": [
                        {
                          "@id": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2"
                        }
                      ]
                    }
                  ],
                  "status": "not_affected",
                  "justification": "vulnerable_code_not_in_execute_path",
                  "impact_statement": "libssl3 3.0.8-r0 was not loaded by any of 3 containers of this image during 14 days of observation"
                }
              ]
            }
            """;

    @Test
    void writesNotAffectedForPackagesNotLoaded()
    {
        byte[] document = new OpenVexWriter(VexOptions.DEFAULT).toBytes(AlpineSample.image(), TIMESTAMP);

        assertThat(new String(document, StandardCharsets.UTF_8)).isEqualTo(ALPINE_OPENVEX);
    }

    @Test
    void statesExactlyTheVulnerabilitiesOfPackagesNotInUse()
            throws Exception
    {
        JsonNode document = new ObjectMapper().readTree(new OpenVexWriter(VexOptions.DEFAULT).toBytes(AlpineSample.image(), TIMESTAMP));

        assertThat(document.get("@context").asText()).isEqualTo("https://openvex.dev/ns/v0.2.0");
        assertThat(document.get("version").asInt()).isEqualTo(1);
        List<JsonNode> statements = new ArrayList<>();
        document.get("statements").forEach(statements::add);
        assertThat(statements)
                .extracting(
                        statement -> statement.get("vulnerability").get("name").asText(),
                        statement -> statement.get("products").get(0).get("subcomponents").get(0).get("@id").asText(),
                        statement -> statement.get("status").asText(),
                        statement -> statement.get("justification").asText())
                .containsExactly(
                        tuple("CVE-2023-0464", "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2", "not_affected", "vulnerable_code_not_in_execute_path"),
                        tuple("CVE-2023-5363", "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2", "not_affected", "vulnerable_code_not_in_execute_path"));
    }

    @Test
    void writesTheSameBytesWhateverTheInputOrder()
    {
        OpenVexWriter writer = new OpenVexWriter(VexOptions.DEFAULT.withStateAffected(true));
        byte[] first = writer.toBytes(AlpineSample.image(), TIMESTAMP);

        assertThat(writer.toBytes(AlpineSample.image(), TIMESTAMP)).isEqualTo(first);
        Random random = new Random(20261128);
        for (int i = 0; i < 10; i++) {
            assertThat(writer.toBytes(shuffled(AlpineSample.image(), random), TIMESTAMP)).isEqualTo(first);
        }
    }

    @Test
    void statesInUseAndUnknownPackagesOnlyWhenAsked()
            throws Exception
    {
        ImageInsights image = AlpineSample.image();
        VexOptions all = VexOptions.DEFAULT.withStateAffected(true).withStateUnderInvestigation(true);

        assertThat(statuses(new OpenVexWriter(all).toBytes(image, TIMESTAMP))).containsExactly(
                "CVE-2023-0464 libcrypto3 affected: libcrypto3 3.0.8-r0 is loaded at run time (mmap /lib/libcrypto.so.3): update it to 3.0.8-r1",
                "CVE-2023-0464 libssl3 not_affected: libssl3 3.0.8-r0 was not loaded by any of 3 containers of this image during 14 days of observation",
                "CVE-2023-2650 libcrypto3 affected: libcrypto3 3.0.8-r0 is loaded at run time (mmap /lib/libcrypto.so.3): update it to 3.0.9-r0",
                "CVE-2023-5363 libcrypto3 affected: libcrypto3 3.0.8-r0 is loaded at run time (mmap /lib/libcrypto.so.3): update it to 3.0.12-r0",
                "CVE-2023-5363 libssl3 not_affected: libssl3 3.0.8-r0 was not loaded by any of 3 containers of this image during 14 days of observation");

        ImageInsights learning = withProfile(image, new ProfileSummary(ProfileState.LEARNING, 2, Duration.ofHours(5), Optional.of(AlpineSample.FIRST_SEEN), Optional.of(AlpineSample.FIRST_SEEN.plusSeconds(18000))));
        assertThat(statuses(new OpenVexWriter(VexOptions.DEFAULT).toBytes(learning, TIMESTAMP))).isEmpty();
        assertThat(statuses(new OpenVexWriter(VexOptions.DEFAULT.withStateUnderInvestigation(true)).toBytes(learning, TIMESTAMP))).containsExactly(
                "CVE-2023-0464 libssl3 under_investigation: libssl3 3.0.8-r0: runtime observation of this image is still learning (5 hours so far)",
                "CVE-2023-5363 libssl3 under_investigation: libssl3 3.0.8-r0: runtime observation of this image is still learning (5 hours so far)");
    }

    @Test
    void anUnknownPackageIsNeverNotAffectedAndItsReasonIsTheNote()
            throws Exception
    {
        ImageInsights image = AlpineSample.image();
        String reason = "no source that observed this image sees code opens (seen: Kubescape profiles): its interpreted code (jar, .py, .js, .rb, .php) cannot be judged";
        List<PackageInsight> packages = image.packages().stream()
                .map(insight -> insight.pkg().name().equals("libssl3")
                        ? new PackageInsight(insight.pkg(), Usage.UNKNOWN, Optional.empty(), insight.evidence(), Optional.of(reason))
                        : insight)
                .toList();
        List<VulnerabilityInsight> vulnerabilities = image.vulnerabilities().stream()
                .map(insight -> insight.packagePurl().name().equals("libssl3")
                        ? new VulnerabilityInsight(insight.vulnerability(), insight.packagePurl(), Usage.UNKNOWN, insight.rank())
                        : insight)
                .toList();
        ImageInsights unknown = new ImageInsights(image.digest(), image.aliases(), image.names(), image.os(), image.profile(), image.summary(), packages, vulnerabilities);

        assertThat(statuses(new OpenVexWriter(VexOptions.DEFAULT).toBytes(unknown, TIMESTAMP))).isEmpty();
        assertThat(statuses(new OpenVexWriter(VexOptions.DEFAULT.withStateUnderInvestigation(true)).toBytes(unknown, TIMESTAMP))).containsExactly(
                "CVE-2023-0464 libssl3 under_investigation: libssl3 3.0.8-r0: " + reason,
                "CVE-2023-5363 libssl3 under_investigation: libssl3 3.0.8-r0: " + reason);
    }

    @Test
    void namesTheEvidenceWindowInWords()
            throws Exception
    {
        ImageInsights one = withProfile(AlpineSample.image(), new ProfileSummary(ProfileState.COMPLETE, 1, Duration.ofDays(9).plusHours(5), Optional.empty(), Optional.empty()));
        ImageInsights none = withProfile(AlpineSample.image(), new ProfileSummary(ProfileState.COMPLETE, 0, Duration.ofMinutes(30), Optional.empty(), Optional.empty()));

        assertThat(statuses(new OpenVexWriter(VexOptions.DEFAULT).toBytes(one, TIMESTAMP))).first()
                .isEqualTo("CVE-2023-0464 libssl3 not_affected: libssl3 3.0.8-r0 was not loaded by the only container of this image during 9 days and 5 hours of observation");
        assertThat(statuses(new OpenVexWriter(VexOptions.DEFAULT).toBytes(none, TIMESTAMP))).first()
                .isEqualTo("CVE-2023-0464 libssl3 not_affected: libssl3 3.0.8-r0 was not loaded during 30 minutes of observation of this image");
        JsonNode statement = new ObjectMapper().readTree(new OpenVexWriter(VexOptions.DEFAULT).toBytes(one, TIMESTAMP)).get("statements").get(0);
        assertThat(statement.has("timestamp")).isFalse();
    }

    @Test
    void namesTheImageAsOptionsAsk()
            throws Exception
    {
        ImageInsights image = withNames(AlpineSample.image(), List.of("ghcr.io/acme/app:1.0", "docker.io/acme/app:latest", "alpine:3.17.2", "ghcr.io/acme/app:1.1", "not a name!"));
        String digest = AlpineSample.DIGEST.value();

        assertThat(products(new OpenVexWriter(VexOptions.DEFAULT).toBytes(image, TIMESTAMP))).containsExactly(
                "pkg:oci/alpine@" + digest + "?repository_url=docker.io/library/alpine",
                "pkg:oci/app@" + digest + "?repository_url=docker.io/acme/app",
                "pkg:oci/app@" + digest + "?repository_url=ghcr.io/acme/app");
        assertThat(products(new OpenVexWriter(VexOptions.DEFAULT.withProductIdForm(ProductIdForm.DOCKER)).toBytes(image, TIMESTAMP))).containsExactly(
                "pkg:docker/acme/app@" + digest,
                "pkg:docker/alpine@" + digest,
                "pkg:docker/ghcr.io/acme/app@" + digest);
        assertThat(products(new OpenVexWriter(VexOptions.DEFAULT).toBytes(withNames(image, List.of()), TIMESTAMP))).containsExactly(digest);
    }

    @Test
    void usesTheConfiguredAuthorAndIds()
            throws Exception
    {
        VexOptions options = VexOptions.DEFAULT.withAuthor("Acme Security <security@acme.example>").withIdBase("https://hub.acme.example/vex/");

        JsonNode document = new ObjectMapper().readTree(new OpenVexWriter(options).toBytes(AlpineSample.image(), TIMESTAMP));

        assertThat(document.get("author").asText()).isEqualTo("Acme Security <security@acme.example>");
        assertThat(document.get("@id").asText()).isEqualTo("https://hub.acme.example/vex/" + AlpineSample.DIGEST.value() + "/1");
        assertThat(document.get("timestamp").asText()).isEqualTo("2026-11-28T12:30:00Z");
    }

    static ImageInsights shuffled(ImageInsights image, Random random)
    {
        List<PackageInsight> packages = new ArrayList<>(image.packages());
        List<VulnerabilityInsight> vulnerabilities = new ArrayList<>(image.vulnerabilities());
        Collections.shuffle(packages, random);
        Collections.shuffle(vulnerabilities, random);
        return new ImageInsights(image.digest(), image.aliases(), image.names(), image.os(), image.profile(), image.summary(), packages, vulnerabilities);
    }

    static ImageInsights withProfile(ImageInsights image, ProfileSummary profile)
    {
        return new ImageInsights(image.digest(), image.aliases(), image.names(), image.os(), profile, image.summary(), image.packages(), image.vulnerabilities());
    }

    static ImageInsights withNames(ImageInsights image, List<String> names)
    {
        return new ImageInsights(image.digest(), image.aliases(), names, image.os(), image.profile(), image.summary(), image.packages(), image.vulnerabilities());
    }

    private static List<String> statuses(byte[] document)
            throws Exception
    {
        List<String> lines = new ArrayList<>();
        for (JsonNode statement : new ObjectMapper().readTree(document).get("statements")) {
            String purl = statement.get("products").get(0).get("subcomponents").get(0).get("@id").asText();
            String name = purl.substring(purl.indexOf("alpine/") + 7, purl.indexOf('@'));
            String status = statement.get("status").asText();
            String text = switch (status) {
                case "not_affected" -> statement.get("impact_statement").asText();
                case "affected" -> statement.get("action_statement").asText();
                default -> statement.get("status_notes").asText();
            };
            lines.add(statement.get("vulnerability").get("name").asText() + " " + name + " " + status + ": " + text);
        }
        return lines;
    }

    private static List<String> products(byte[] document)
            throws Exception
    {
        List<String> ids = new ArrayList<>();
        for (JsonNode product : new ObjectMapper().readTree(document).get("statements").get(0).get("products")) {
            ids.add(product.get("@id").asText());
        }
        return ids;
    }
}
