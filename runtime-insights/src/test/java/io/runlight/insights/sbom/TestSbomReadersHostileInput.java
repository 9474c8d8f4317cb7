package io.runlight.insights.sbom;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;

import static io.runlight.insights.sbom.SbomFixtures.resource;
import static io.runlight.insights.sbom.SbomFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every JSON SBOM reader against truncated, oversized, deeply nested, garbage and empty
 * input: each must throw an {@link InputException} naming its format and where, and
 * never return a partial SBOM.
 */
class TestSbomReadersHostileInput
{
    /** Reader name, format display name, a valid document, and a field that holds an array of packages. */
    static Stream<Arguments> readers()
    {
        return Stream.of(
                Arguments.of("syft", "Syft JSON", "fixtures/sbom/alpine-3.17.2.syft.json"),
                Arguments.of("syft", "Syft JSON", "fixtures/sbom/syft-encoder-golden.syft.json"),
                Arguments.of("cyclonedx", "CycloneDX JSON", "fixtures/sbom/syft-encoder-golden.cdx.json"),
                Arguments.of("cyclonedx", "CycloneDX JSON", "fixtures/vulns/cyclonedx-1.6-vulnerability.cdx.json"),
                Arguments.of("spdx", "SPDX JSON", "sbom/alpine-3.17.2.syft.spdx.json"),
                Arguments.of("trivy", "Trivy JSON", "fixtures/sbom/alpine-3.10.trivy.json"),
                Arguments.of("trivy", "Trivy JSON", "fixtures/sbom/debian-buster.trivy.json"));
    }

    static Function<InputStream, Sbom> reader(String name, InputLimits limits)
    {
        return switch (name) {
            case "syft" -> new SyftJsonReader(limits)::read;
            case "cyclonedx" -> new CycloneDxJsonReader(limits)::read;
            case "spdx" -> new SpdxJsonReader(limits)::read;
            case "trivy" -> new TrivyJsonReader(limits)::read;
            default -> throw new IllegalArgumentException("unknown reader " + name);
        };
    }

    @ParameterizedTest
    @MethodSource("readers")
    void readsTheWholeDocument(String name, String format, String fixture)
    {
        assertThat(reader(name, InputLimits.DEFAULT).apply(stream(resource(fixture))).packages()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesTruncatedDocuments(String name, String format, String fixture)
    {
        byte[] document = resource(fixture);
        int end = lastClosingBrace(document);
        int[] cuts = {1, 2, end / 10, end / 4, end / 3, end / 2, (end * 2) / 3, (end * 9) / 10, end - 1, end};
        for (int cut : cuts) {
            byte[] truncated = Arrays.copyOf(document, cut);
            assertThatThrownBy(() -> reader(name, InputLimits.DEFAULT).apply(stream(truncated)))
                    .as("%s cut at byte %d", fixture, cut)
                    .isInstanceOfSatisfying(InputException.class, e -> {
                        assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED);
                        assertThat(e.format()).isEqualTo(format);
                        assertThat(e.location()).startsWith("/");
                        assertThat(e.problem()).startsWith("the document ends early (truncated?)");
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesDocumentsOverTheByteLimit(String name, String format, String fixture)
    {
        byte[] document = resource(fixture);
        InputLimits limits = new InputLimits(document.length / 2, 64, 1024 * 1024, 1_000_000);

        assertThatThrownBy(() -> reader(name, limits).apply(stream(document)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE);
                    assertThat(e.format()).isEqualTo(format);
                })
                .hasMessage(format + " at byte " + document.length / 2 + ": the document is larger than the limit of " + document.length / 2 + " bytes");
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesDocumentsOverTheItemLimit(String name, String format, String fixture)
    {
        InputLimits limits = new InputLimits(1024 * 1024, 64, 1024 * 1024, 1);
        byte[] document = resource(fixture);
        // one more package than the limit allows
        assertThatThrownBy(() -> reader(name, limits).apply(stream(withExtraPackage(name, document))))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE);
                    assertThat(e.format()).isEqualTo(format);
                    assertThat(e.problem()).isEqualTo("the document has more than 1 items (packages, files, relationships), the limit");
                });
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesDeepNesting(String name, String format, String fixture)
    {
        String document = "{\"" + packagesField(name) + "\": [{\"name\": \"x\", \"deep\": " + SbomFixtures.deepArray(100) + "}]}";

        assertThatThrownBy(() -> reader(name, InputLimits.DEFAULT).apply(stream(document)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE);
                    assertThat(e.format()).isEqualTo(format);
                    assertThat(e.location()).startsWith("/" + packagesField(name) + "/0/deep");
                    assertThat(e.problem()).startsWith("over a limit: Document nesting depth (65) exceeds the maximum allowed (64");
                });
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesHugeStrings(String name, String format, String fixture)
    {
        InputLimits limits = new InputLimits(1024 * 1024, 64, 1024, 1_000);
        String document = packageDocument(name, "\"" + "a".repeat(5000) + "\"");

        assertThatThrownBy(() -> reader(name, limits).apply(stream(document)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE);
                    assertThat(e.format()).isEqualTo(format);
                    assertThat(e.problem()).isEqualTo("over a limit: a string is longer than 1024 characters, the limit");
                });
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesBinaryGarbage(String name, String format, String fixture)
    {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x07;

        assertThatThrownBy(() -> reader(name, InputLimits.DEFAULT).apply(stream(garbage)))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED);
                    assertThat(e.format()).isEqualTo(format);
                    assertThat(e.location()).isEqualTo("/");
                    assertThat(e.problem()).startsWith("not valid JSON (line 1, column ");
                });
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesGarbageAfterTheDocument(String name, String format, String fixture)
    {
        byte[] document = resource(fixture);
        byte[] withTrailer = Arrays.copyOf(document, document.length + 3);
        System.arraycopy("{}x".getBytes(StandardCharsets.UTF_8), 0, withTrailer, document.length, 3);

        assertThatThrownBy(() -> reader(name, InputLimits.DEFAULT).apply(stream(withTrailer)))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage(format + " at /: there is more content after the end of the top-level object");
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesEmptyInput(String name, String format, String fixture)
    {
        assertThatThrownBy(() -> reader(name, InputLimits.DEFAULT).apply(stream("  \n")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage(format + " at /: the document is empty");
    }

    @ParameterizedTest
    @MethodSource("readers")
    void refusesAnObjectWherePackagesAreExpected(String name, String format, String fixture)
    {
        String field = packagesField(name);
        assertThatThrownBy(() -> reader(name, InputLimits.DEFAULT).apply(stream("{\"" + field + "\": {}}")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessageStartingWith(format + " at /" + field + ": expected an array of ")
                .hasMessageEndingWith(", found an object");
    }

    // a document whose one package has the given JSON value as its name
    private static String packageDocument(String name, String nameValue)
    {
        return switch (name) {
            case "syft" -> "{\"artifacts\": [{\"name\": " + nameValue + "}]}";
            case "cyclonedx" -> "{\"bomFormat\": \"CycloneDX\", \"components\": [{\"type\": \"library\", \"name\": " + nameValue + "}]}";
            case "spdx" -> "{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": " + nameValue + "}]}";
            case "trivy" -> "{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"t\", \"Packages\": [{\"Name\": " + nameValue + "}]}]}";
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String packagesField(String name)
    {
        return switch (name) {
            case "syft" -> "artifacts";
            case "cyclonedx" -> "components";
            case "spdx" -> "packages";
            case "trivy" -> "Results";
            default -> throw new IllegalArgumentException(name);
        };
    }

    // Trivy packages live inside Results[]; the others' packages arrays take one more package at the front
    private static byte[] withExtraPackage(String name, byte[] document)
    {
        String text = new String(document, StandardCharsets.UTF_8);
        String field = packagesField(name);
        int start = text.indexOf("\"" + field + "\"");
        int bracket = text.indexOf('[', start);
        String extra = switch (name) {
            case "syft" -> "{\"id\": \"extra\", \"name\": \"extra\", \"type\": \"npm\"},";
            case "cyclonedx" -> "{\"type\": \"library\", \"name\": \"extra\", \"purl\": \"pkg:npm/extra@1\"},";
            case "spdx" -> "{\"SPDXID\": \"SPDXRef-extra\", \"name\": \"extra\"},";
            case "trivy" -> "{\"Target\": \"extra\", \"Packages\": [{\"Name\": \"a\"}, {\"Name\": \"b\"}]},";
            default -> throw new IllegalArgumentException(name);
        };
        return (text.substring(0, bracket + 1) + extra + text.substring(bracket + 1)).getBytes(StandardCharsets.UTF_8);
    }

    private static int lastClosingBrace(byte[] document)
    {
        for (int index = document.length - 1; index >= 0; index--) {
            if (document[index] == '}') {
                return index;
            }
        }
        throw new IllegalArgumentException("not a JSON object");
    }
}
