package io.runlight.insights.vex;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runlight.insights.report.AlpineSample;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestCycloneDxVexWriter
{
    private static final Instant TIMESTAMP = Instant.parse("2026-11-28T12:30:00Z");
    private static final String ALPINE_CYCLONEDX = """
            {
              "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
              "bomFormat": "CycloneDX",
              "specVersion": "1.6",
              "serialNumber": "urn:uuid:5d394fae-b1dd-31d4-bcb5-a7074c00c9e6",
              "version": 1,
              "metadata": {
                "timestamp": "2026-11-28T12:30:00Z",
                "tools": {
                  "components": [
                    {
                      "type": "application",
                      "name": "Runlight"
                    }
                  ]
                },
                "authors": [
                  {
                    "name": "Runlight",
                    "email": "runlight@localhost"
                  }
                ],
                "component": {
                  "bom-ref": "pkg:oci/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501?repository_url=docker.io/library/alpine",
                  "type": "container",
                  "name": "alpine",
                  "version": "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                  "hashes": [
                    {
                      "alg": "SHA-256",
                      "content": "e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501"
                    }
                  ],
                  "purl": "pkg:oci/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501?repository_url=docker.io/library/alpine"
                }
              },
              "components": [
                {
                  "bom-ref": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2",
                  "type": "library",
                  "name": "libssl3",
                  "version": "3.0.8-r0",
                  "purl": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2"
                }
              ],
              "vulnerabilities": [
                {
                  "id": "CVE-2023-0464",
                  "source": {
                    "name": "cve.mitre.org",
                    "url": "http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-0464"
                  },
                  "affects": [
                    {
                      "ref": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2"
                    }
                  ],
                  "analysis": {
                    "state": "not_affected",
                    "justification": "code_not_reachable",
                    "detail": "libssl3 3.0.8-r0 was not loaded by any of 3 containers of this image during 14 days of observation",
                    "lastUpdated": "2026-11-28T12:00:00Z"
                  }
                },
                {
                  "id": "CVE-2023-5363",
                  "source": {
                    "name": "cve.mitre.org",
                    "url": "http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-5363"
                  },
                  "affects": [
                    {
                      "ref": "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2"
                    }
                  ],
                  "analysis": {
                    "state": "not_affected",
                    "justification": "code_not_reachable",
                    "detail": "libssl3 3.0.8-r0 was not loaded by any of 3 containers of this image during 14 days of observation",
                    "lastUpdated": "2026-11-28T12:00:00Z"
                  }
                }
              ]
            }
            """;

    @Test
    void writesNotAffectedAnalysesForPackagesNotLoaded()
    {
        byte[] document = new CycloneDxVexWriter(VexOptions.DEFAULT).toBytes(AlpineSample.image(), TIMESTAMP);

        assertThat(new String(document, StandardCharsets.UTF_8)).isEqualTo(ALPINE_CYCLONEDX);
    }

    @Test
    void writesDocumentsValidAgainstTheCycloneDx16Schema()
            throws Exception
    {
        VexOptions all = VexOptions.DEFAULT.withStateAffected(true).withStateUnderInvestigation(true);
        ImageInsights learning = TestOpenVexWriter.withProfile(AlpineSample.image(), new ProfileSummary(ProfileState.LEARNING, 1, java.time.Duration.ofHours(2), Optional.empty(), Optional.empty()));
        ImageInsights unnamed = TestOpenVexWriter.withNames(AlpineSample.image(), List.of());

        assertValid(new CycloneDxVexWriter(VexOptions.DEFAULT).toBytes(AlpineSample.image(), TIMESTAMP));
        assertValid(new CycloneDxVexWriter(all).toBytes(AlpineSample.image(), TIMESTAMP));
        assertValid(new CycloneDxVexWriter(all.withProductIdForm(ProductIdForm.DOCKER).withAuthor("Acme Security")).toBytes(learning, TIMESTAMP));
        assertValid(new CycloneDxVexWriter(VexOptions.DEFAULT).toBytes(unnamed, TIMESTAMP));
        assertValid(new CycloneDxVexWriter(VexOptions.DEFAULT).toBytes(withoutVulnerabilities(), TIMESTAMP));

        // the validator does check: a state the schema does not know is refused
        String broken = ALPINE_CYCLONEDX.replace("\"state\": \"not_affected\"", "\"state\": \"not_in_use\"");
        assertThat(new JsonParser().validate(broken.getBytes(StandardCharsets.UTF_8), Version.VERSION_16)).isNotEmpty();
    }

    @Test
    void describesInUseAndUnknownPackagesWhenAsked()
            throws Exception
    {
        VexOptions all = VexOptions.DEFAULT.withStateAffected(true).withStateUnderInvestigation(true);
        Vulnerability noFix = new Vulnerability("CVE-2026-1234", Severity.LOW, OptionalDouble.empty(), Optional.empty(), List.of(), ExploitSignals.NONE, List.of(), Optional.of("alpine"));
        Vulnerability ghsa = Vulnerability.of("GHSA-jfh8-c2jp-5v3q", Severity.HIGH);
        Vulnerability other = Vulnerability.of("ALPINE-13661", Severity.LOW);
        ImageInsights image = new ImageInsights(AlpineSample.DIGEST, List.of(), List.of("alpine:3.17.2"), Optional.empty(), AlpineSample.COMPLETE,
                new InsightsSummary(2, 1, 0, 1, 3, 1),
                List.of(AlpineSample.busybox(), new PackageInsight(AlpineSample.ZLIB, Usage.UNKNOWN, Optional.empty(), List.of(),
                        Optional.of("no source that observed this image sees mmap or code opens (seen: Tetragon): its shared libraries cannot be judged"))),
                List.of(new VulnerabilityInsight(noFix, AlpineSample.BUSYBOX.purl(), Usage.IN_USE, 1),
                        new VulnerabilityInsight(ghsa, AlpineSample.ZLIB.purl(), Usage.UNKNOWN, 2),
                        new VulnerabilityInsight(other, AlpineSample.ZLIB.purl(), Usage.UNKNOWN, 3)));

        byte[] bytes = new CycloneDxVexWriter(all).toBytes(image, TIMESTAMP);
        assertValid(bytes);
        JsonNode vulnerabilities = new ObjectMapper().readTree(bytes).get("vulnerabilities");

        assertThat(vulnerabilities.get(0).toString()).isEqualTo("{\"id\":\"ALPINE-13661\",\"affects\":[{\"ref\":\"pkg:apk/alpine/zlib@1.2.13-r0?arch=x86_64&distro=alpine-3.17.2\"}],"
                + "\"analysis\":{\"state\":\"in_triage\",\"detail\":\"zlib 1.2.13-r0: no source that observed this image sees mmap or code opens (seen: Tetragon): its shared libraries cannot be judged\",\"lastUpdated\":\"2026-11-28T12:00:00Z\"}}");
        assertThat(vulnerabilities.get(1).toString()).isEqualTo("{\"id\":\"CVE-2026-1234\",\"source\":{\"name\":\"alpine\"},\"affects\":[{\"ref\":\"pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2\"}],"
                + "\"analysis\":{\"state\":\"exploitable\",\"detail\":\"busybox 1.35.0-r29 is loaded at run time (exec /bin/busybox): no fixed version is known; remove or replace the package, or mitigate the vulnerability\",\"lastUpdated\":\"2026-11-28T12:00:00Z\"}}");
        assertThat(vulnerabilities.get(2).toString()).isEqualTo("{\"id\":\"GHSA-jfh8-c2jp-5v3q\",\"source\":{\"name\":\"GitHub\"},\"affects\":[{\"ref\":\"pkg:apk/alpine/zlib@1.2.13-r0?arch=x86_64&distro=alpine-3.17.2\"}],"
                + "\"analysis\":{\"state\":\"in_triage\",\"detail\":\"zlib 1.2.13-r0: no source that observed this image sees mmap or code opens (seen: Tetragon): its shared libraries cannot be judged\",\"lastUpdated\":\"2026-11-28T12:00:00Z\"}}");

        JsonNode affected = new ObjectMapper().readTree(new CycloneDxVexWriter(all).toBytes(AlpineSample.image(), TIMESTAMP)).get("vulnerabilities").get(0);
        assertThat(affected.get("analysis").toString()).isEqualTo("{\"state\":\"exploitable\",\"response\":[\"update\"],"
                + "\"detail\":\"libcrypto3 3.0.8-r0 is loaded at run time (mmap /lib/libcrypto.so.3): update it to 3.0.8-r1\",\"lastUpdated\":\"2026-11-28T12:00:00Z\"}");
    }

    @Test
    void writesTheSameBytesWhateverTheInputOrder()
    {
        CycloneDxVexWriter writer = new CycloneDxVexWriter(VexOptions.DEFAULT.withStateAffected(true));
        byte[] first = writer.toBytes(AlpineSample.image(), TIMESTAMP);

        assertThat(writer.toBytes(AlpineSample.image(), TIMESTAMP)).isEqualTo(first);
        Random random = new Random(17);
        for (int i = 0; i < 10; i++) {
            assertThat(writer.toBytes(TestOpenVexWriter.shuffled(AlpineSample.image(), random), TIMESTAMP)).isEqualTo(first);
        }
    }

    @Test
    void derivesTheSerialNumberFromDigestAndTimestamp()
    {
        assertThat(CycloneDxVexWriter.serialNumber(AlpineSample.DIGEST, TIMESTAMP)).isEqualTo("urn:uuid:5d394fae-b1dd-31d4-bcb5-a7074c00c9e6");
        assertThat(CycloneDxVexWriter.serialNumber(AlpineSample.DIGEST, TIMESTAMP.plusSeconds(1))).isNotEqualTo("urn:uuid:5d394fae-b1dd-31d4-bcb5-a7074c00c9e6");
        assertThat(CycloneDxVexWriter.serialNumber(AlpineSample.CONFIG_DIGEST, TIMESTAMP)).isNotEqualTo("urn:uuid:5d394fae-b1dd-31d4-bcb5-a7074c00c9e6");
    }

    private static ImageInsights withoutVulnerabilities()
    {
        ImageInsights image = AlpineSample.image();
        return new ImageInsights(image.digest(), image.aliases(), image.names(), image.os(), image.profile(),
                new InsightsSummary(5, 3, 2, 0, 0, 0), image.packages(), List.of());
    }

    private static void assertValid(byte[] document)
            throws Exception
    {
        List<ParseException> errors = new JsonParser().validate(document, Version.VERSION_16);
        assertThat(errors).extracting(ParseException::getMessage).isEmpty();
    }
}
