package io.runlight.hub.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.runlight.hub.auth.MemberKeys.MemberKey;
import io.runlight.hub.delivery.Delivery;
import io.runlight.hub.delivery.DeliveryState;
import io.runlight.hub.insights.ImageRecord;
import io.runlight.hub.insights.ImageSummary;
import io.runlight.hub.insights.QuarantinedRecord;
import io.runlight.hub.insights.ReportIndex;
import io.runlight.hub.insights.StoredDocument;
import io.runlight.hub.integration.IntegrationRecord;
import io.runlight.hub.integration.IntegrationState;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON every durable map stores, pinned by the golden files of
 * {@code src/test/resources/stored/} (see its README for how to change a shape on purpose).
 * Each record is written exactly as the file says, and the file reads back as the record.
 */
class TestStoredShapes
{
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final String DIGEST = "sha256:" + "e2".repeat(32);
    private static final StoredDocument SBOM = new StoredDocument("sbom/" + DIGEST, "syft-json", "ab".repeat(32), 5955, T0,
            Optional.of("alpine:3.17.2"), Optional.empty());

    static Stream<Shape<?>> shapes()
    {
        return Stream.of(
                new Shape<>("integrations/integration.json", IntegrationRecord.class, new IntegrationRecord("int_7", "generic-webhook", "security lake",
                        Map.of("url", "https://hooks.example.com/runlight", "timeoutSeconds", 10, "secret", "whsec_c2VjcmV0"), List.of("secret"),
                        IntegrationState.ACTIVE, Optional.empty(), T0, Optional.of(T0.plusSeconds(60)), Optional.empty(), Optional.empty())),
                new Shape<>("outbox/delivery.json", Delivery.class, new Delivery("dlv_1", "int_7",
                        new Delivery.Message("runlight.image.insights.changed", DIGEST + "|prod", "eyJuIjoxfQ==", Map.of("url", "https://hooks.example.com/runlight")),
                        DeliveryState.PENDING, 2, T0.plusSeconds(4), T0, Optional.of(503), Optional.of("HTTP 503: try later"), Optional.of("try later"))),
                new Shape<>("images/image.json", ImageRecord.class, new ImageRecord(DIGEST, List.of("sha256:" + "c1".repeat(32)), List.of("alpine:3.17.2"), Optional.of(SBOM), T0)),
                new Shape<>("reports/report-index.json", ReportIndex.class, new ReportIndex(List.of(SBOM,
                        new StoredDocument("vulns/" + DIGEST, "grype-json", "cd".repeat(32), 1200, T0)))),
                new Shape<>("member-keys/member-key.json", MemberKey.class, new MemberKey("k-1",
                        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n", "10.0.0.1:5701", T0)),
                new Shape<>("image-summaries/image-summary.json", ImageSummary.class, new ImageSummary(DIGEST,
                        "{\"digest\":\"" + DIGEST + "\",\"names\":[\"alpine:3.17.2\"]}", 2, List.of(new ImageSummary.Place("prod", "shop")),
                        new ProfileSummary(ProfileState.LEARNING, 1, Duration.ofHours(6), Optional.of(T0), Optional.of(T0.plusSeconds(21_600))))),
                new Shape<>("quarantine/quarantined.json", QuarantinedRecord.class, new QuarantinedRecord("images", DIGEST, "{\"digest\":", "not a JSON document", T0)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void writesTheStoredShape(Shape<?> shape)
    {
        assertThat(shape.encoded()).as(shape.file()).isEqualTo(golden(shape.file()));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void readsTheStoredShape(Shape<?> shape)
    {
        assertThat(shape.decoded(golden(shape.file()))).as(shape.file()).isEqualTo(shape.value());
    }

    static String golden(String file)
    {
        try (InputStream in = TestStoredShapes.class.getResourceAsStream("/stored/" + file)) {
            if (in == null) {
                throw new AssertionError("no golden file src/test/resources/stored/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Shape<T>(String file, Class<T> type, T value)
    {
        String encoded()
        {
            return JsonCodec.of(type).encode(value);
        }

        T decoded(String json)
        {
            return JsonCodec.of(type).decode(json);
        }

        @Override
        public String toString()
        {
            return file;
        }
    }
}
