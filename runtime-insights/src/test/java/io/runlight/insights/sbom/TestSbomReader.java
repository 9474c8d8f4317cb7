package io.runlight.insights.sbom;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.FormatDetector;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;

import static io.runlight.insights.sbom.SbomFixtures.resource;
import static io.runlight.insights.sbom.SbomFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSbomReader
{
    private final SbomReader reader = new SbomReader(InputLimits.DEFAULT);

    @Test
    void detectsEachFormatFromContent()
    {
        assertRead("fixtures/sbom/alpine-3.17.2.syft.json", DocumentFormat.SYFT_JSON, 15);
        assertRead("fixtures/sbom/syft-encoder-golden.syft.json", DocumentFormat.SYFT_JSON, 2);
        assertRead("fixtures/sbom/syft-encoder-golden.cdx.json", DocumentFormat.CYCLONEDX_JSON, 2);
        assertRead("fixtures/vulns/cyclonedx-1.6-vulnerability.cdx.json", DocumentFormat.CYCLONEDX_JSON, 1);
        assertRead("sbom/alpine-3.17.2.syft.spdx.json", DocumentFormat.SPDX_JSON, 15);
        assertRead("fixtures/sbom/alpine-3.10.trivy.json", DocumentFormat.TRIVY_JSON, 2);
        assertRead("fixtures/sbom/debian-buster.trivy.json", DocumentFormat.TRIVY_JSON, 2);
    }

    @Test
    void readsAGivenFormatWithoutDetection()
    {
        Sbom sbom = reader.read(stream(resource("fixtures/sbom/alpine-3.17.2.syft.json")), DocumentFormat.SYFT_JSON);

        assertThat(sbom.packages()).hasSize(15);
        assertThatThrownBy(() -> reader.read(stream(resource("fixtures/sbom/alpine-3.17.2.syft.json")), DocumentFormat.CYCLONEDX_JSON))
                .isInstanceOf(InputException.class)
                .hasMessage("CycloneDX JSON at /bomFormat: expected \"CycloneDX\", found nothing");
    }

    @Test
    void refusesDocumentsThatAreNotSboms()
    {
        assertThatThrownBy(() -> reader.read(stream(resource("fixtures/vulns/alpine-3.17.2.grype.json"))))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("input at /: not an SBOM: found Grype JSON (a vulnerability report); expected an SBOM: Syft JSON, CycloneDX JSON, SPDX 2.3 JSON or Trivy JSON");
        assertThatThrownBy(() -> reader.read(stream(resource("fixtures/events/tetragon-process-exec.json"))))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("input at /: not an SBOM: found Tetragon JSON (runtime events); expected an SBOM: Syft JSON, CycloneDX JSON, SPDX 2.3 JSON or Trivy JSON");
        assertThatThrownBy(() -> reader.read(stream(resource("fixtures/events/proc-maps-cat.txt"))))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("input at /: not an SBOM: found /proc/<pid>/maps (runtime events); expected an SBOM: Syft JSON, CycloneDX JSON, SPDX 2.3 JSON or Trivy JSON");
        assertThatThrownBy(() -> reader.read(stream("{}"), DocumentFormat.DPKG_DATABASE))
                .isInstanceOf(InputException.class)
                .hasMessage("input at /: not an SBOM: found dpkg database (a package database, read from a file system root by its own reader); "
                        + "expected an SBOM: Syft JSON, CycloneDX JSON, SPDX 2.3 JSON or Trivy JSON");
    }

    @Test
    void refusesEmptyGarbageAndUnknownJson()
    {
        assertThatThrownBy(() -> reader.read(stream("")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("input at byte 0: the document is empty");
        assertThatThrownBy(() -> reader.read(stream(new byte[] {0x00, 0x01, (byte) 0xff, 0x7f, 0x10})))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessageStartingWith("input at line 1: neither JSON nor /proc/<pid>/maps text");
        assertThatThrownBy(() -> reader.read(stream("{\"hello\": \"world\"}")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessageStartingWith("input at /: not a supported format: found a JSON object with keys [hello]");
    }

    @Test
    void refusesTruncatedSbomAfterDetection()
    {
        byte[] document = resource("fixtures/sbom/alpine-3.17.2.syft.json");
        byte[] truncated = Arrays.copyOf(document, document.length / 2);

        assertThatThrownBy(() -> reader.read(stream(truncated)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED);
                    assertThat(e.format()).isEqualTo("Syft JSON");
                    assertThat(e.location()).startsWith("/artifactRelationships/");
                    assertThat(e.problem()).isEqualTo("the document ends early (truncated?)");
                });
        assertThatThrownBy(() -> reader.read(stream("{\"unknown\": [{\"a\": 1}, {\"b\"")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("JSON at /: the document ends early (truncated?), before its format could be recognised");
    }

    @Test
    void aTwentyMegabyteStringIsRefusedNamingTheLimit()
    {
        String huge = "a".repeat(20_000_000);

        // before the keys that name the format: detection sees only the string's start
        assertThatThrownBy(() -> reader.read(stream("{\"comment\": \"" + huge + "\", \"bomFormat\": \"CycloneDX\"}")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("JSON at /comment: the string is longer than the 262144 bytes read to recognise the format; "
                        + "every supported format names itself in its first keys");
        // after them: the reader sees the whole string
        assertThatThrownBy(() -> reader.read(stream("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"type\": \"library\", \"name\": \"" + huge + "\"}]}")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("CycloneDX JSON at /components/0/name: over a limit: a string is longer than 4194304 characters, the limit");
        // the whole document one string
        assertThatThrownBy(() -> reader.read(stream("\"" + huge + "\"")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("JSON at /: the string is longer than the 262144 bytes read to recognise the format; "
                        + "every supported format names itself in its first keys");
    }

    @Test
    void detectsLargeSyftDocumentWhoseSourceComesAfterTheDetectionPrefix()
    {
        byte[] document = SyntheticSyft.document(3_000, 10);
        assertThat(document.length).isGreaterThan(FormatDetector.PREFIX_BYTES);

        Sbom sbom = reader.read(stream(document));

        assertThat(sbom.format()).isEqualTo(DocumentFormat.SYFT_JSON);
        assertThat(sbom.packages()).hasSize(3_000);
        assertThat(sbom.packages().stream().mapToInt(pkg -> pkg.ownedFiles().size()).sum()).isEqualTo(30_000);
        assertThat(sbom.packages().get(2_999).ownedFiles()).contains("/usr/lib/pkg-2999/file-9.so");
        assertThat(sbom.image().primaryDigest()).hasValueSatisfying(digest -> assertThat(digest.hex()).startsWith("7777"));
    }

    private void assertRead(String fixture, DocumentFormat format, int packages)
    {
        Sbom sbom = reader.read(stream(resource(fixture)));
        assertThat(sbom.format()).as(fixture).isEqualTo(format);
        assertThat(sbom.packages()).as(fixture).hasSize(packages);
    }
}
