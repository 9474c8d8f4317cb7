package io.runlight.examples.summary;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.ServeRequest;
import io.runlight.plugin.api.connector.ServeResponse;
import org.junit.jupiter.api.AfterEach;
import io.runlight.plugin.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /summary/v1/images}, answered from the hub's insights (a hand-written
 * {@code InsightsQuery} here), paged with the listing's own cursors.
 */
final class TestSummaryConnectorServe
{
    private static final ImageDigest OTHER = new ImageDigest("sha256:0000000000000000000000000000000000000000000000000000000000000001");

    private final Connector connector = new SummaryConnectorFactory().create(
            TestSummaryConnectorFactory.config("https://chat.example.com/hooks/T1", "s3cr3t-token", Duration.ofSeconds(10)),
            new TestingConnectorContext(SampleInsights.CHANGED_AT).withIntegration("int_7Hq2", "team-chat")
                    .withImage(SampleInsights.image(SampleInsights.DIGEST, ProfileState.COMPLETE))
                    .withImage(SampleInsights.image(OTHER, ProfileState.LEARNING)));

    @AfterEach
    void close()
    {
        connector.close();
    }

    @Test
    void pagesThroughTheSummaryLinesOfEveryImage()
    {
        ServeResponse first = connector.serve(get(Map.of("limit", List.of("1"))));
        // the cursor is the hub's (TestingInsightsQuery's): opaque, handed back as it came
        String next = OTHER.value();
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(next.getBytes(StandardCharsets.UTF_8));
        ServeResponse second = connector.serve(get(Map.of("limit", List.of("1"), "cursor", List.of(cursor))));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Content-Type")).contains("application/json");
        assertThat(text(first)).isEqualTo("{\"data\":[{\"imageDigest\":\"" + OTHER.value() + "\",\"text\":\"alpine:3.17 (sha256:000000000000): "
                + "2 of 4 packages in use, 10 of 20 vulnerabilities in use, profile learning\"}],\"next\":\"" + cursor + "\"}");
        assertThat(text(second)).isEqualTo("{\"data\":[{\"imageDigest\":\"" + SampleInsights.DIGEST.value() + "\",\"text\":\"alpine:3.17 (sha256:b2aa39c304c2): "
                + "2 of 4 packages in use, 10 of 20 vulnerabilities in use, profile complete\"}]}");
    }

    @Test
    void badParametersAreTheCallersMistake()
    {
        assertThat(text(connector.serve(get(Map.of("limit", List.of("0"))))))
                .isEqualTo("{\"error\":\"bad_request\",\"message\":\"limit must be between 1 and 1000, not 0\"}");
        assertThat(connector.serve(get(Map.of("limit", List.of("ten")))).status()).isEqualTo(400);
        assertThat(text(connector.serve(get(Map.of("cursor", List.of("not-ours"))))))
                .isEqualTo("{\"error\":\"bad_request\",\"message\":\"cursor is not one this listing issued: start again without it\"}");
    }

    @Test
    void otherPathsAreNotFound()
    {
        ServeResponse response = connector.serve(ServeRequest.of("POST", "/summary/v1/images", Map.of(), Map.of(), new byte[0]));

        assertThat(response.status()).isEqualTo(404);
    }

    private static ServeRequest get(Map<String, List<String>> query)
    {
        return ServeRequest.of("GET", "/summary/v1/images", query, Map.of(), new byte[0]);
    }

    private static String text(ServeResponse response)
    {
        return response.body().toUtf8();
    }
}
