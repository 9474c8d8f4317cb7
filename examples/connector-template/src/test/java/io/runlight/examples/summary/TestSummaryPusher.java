package io.runlight.examples.summary;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.runlight.plugin.testing.TestingConnectorContext;
import io.runlight.plugin.testing.TestingHttpSender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * translate → prepare → (sent for real to a receiver, as the hub would) → interpret,
 * with the exact request the receiver got.
 */
final class TestSummaryPusher
{
    private static final Instant SENT_AT = Instant.parse("2026-11-28T12:00:05Z");
    private static final String DELIVERY_ID = "dlv_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private static final String TOKEN = "s3cr3t-token";
    private static final String LINE = "alpine:3.17 (sha256:b2aa39c304c2): 2 of 4 packages in use, 10 of 20 vulnerabilities in use, profile complete"
            + " (learning window complete); now in use: busybox, libcrypto3; not in use: libssl3, zlib";
    private static final String BODY = "{\"text\":\"" + LINE + "\",\"event\":\"runlight.image.profile.completed\","
            + "\"imageDigest\":\"sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d\",\"time\":\"2026-11-28T12:00:00Z\"}";

    private final TestingHttpSender sender = new TestingHttpSender();
    private Receiver receiver;
    private Pusher pusher;

    @BeforeEach
    void start()
            throws IOException
    {
        receiver = new Receiver();
        pusher = new SummaryConnectorFactory()
                .create(TestSummaryConnectorFactory.config(receiver.url("/hooks/T1").toString(), TOKEN, Duration.ofSeconds(5)),
                        new TestingConnectorContext(SENT_AT).withIntegration("int_7Hq2", "team-chat"))
                .pusher()
                .orElseThrow();
    }

    @AfterEach
    void stop()
    {
        receiver.close();
    }

    @Test
    void aChangeBecomesOneMessageKeyedByItsImage()
    {
        List<PushMessage> messages = pusher.translate(SampleInsights.completed());

        assertThat(messages).hasSize(1);
        PushMessage message = messages.get(0);
        assertThat(message.eventType()).isEqualTo("runlight.image.profile.completed");
        assertThat(message.key()).isEqualTo("runlight.image.profile.completed|sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
        assertThat(message.payload().toUtf8()).isEqualTo(BODY);
        assertThat(message.attributes()).isEmpty();
    }

    @Test
    void theReceiverGetsTheSummaryWithTheBearerTokenAndTheSameIdempotencyKeyOnEveryAttempt()
    {
        PushMessage message = pusher.translate(SampleInsights.completed()).get(0);

        OutboundRequest first = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));
        DeliveryOutcome delivered = pusher.interpret(message, first, sender.send(first));
        OutboundRequest retry = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 2, SENT_AT.plusSeconds(30)));
        sender.send(retry);

        assertThat(delivered).isEqualTo(DeliveryOutcome.delivered());
        assertThat(first.timeout()).contains(Duration.ofSeconds(5));
        assertThat(first.toString()).doesNotContain(TOKEN);
        assertThat(receiver.received()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/hooks/T1");
            assertThat(request.headers()).containsEntry("authorization", "Bearer " + TOKEN)
                    .containsEntry("content-type", "application/json")
                    .containsEntry("idempotency-key", DELIVERY_ID);
            assertThat(request.body()).isEqualTo(BODY);
        });
    }

    @Test
    void passingFailuresAreRetriedAndRefusalsFailForGood()
    {
        PushMessage message = pusher.translate(SampleInsights.completed()).get(0);
        OutboundRequest request = pusher.prepare(message, new DeliveryAttempt(DELIVERY_ID, 1, SENT_AT));

        receiver.answer(503, Map.of("Retry-After", "7"), "busy");
        assertThat(pusher.interpret(message, request, sender.send(request)))
                .isEqualTo(DeliveryOutcome.retry("HTTP 503: busy", Optional.of(Duration.ofSeconds(7))));

        receiver.answer(429, Map.of(), "");
        assertThat(pusher.interpret(message, request, sender.send(request))).isEqualTo(DeliveryOutcome.retry("HTTP 429"));

        receiver.answer(401, Map.of(), "{\"error\":\"invalid_token\"}");
        assertThat(pusher.interpret(message, request, sender.send(request)))
                .isEqualTo(DeliveryOutcome.failed("HTTP 401: the receiver at '127.0.0.1' refused the token; set a valid 'token' on the integration"));

        receiver.answer(400, Map.of(), "no such channel");
        assertThat(pusher.interpret(message, request, sender.send(request))).isEqualTo(DeliveryOutcome.failed("HTTP 400: no such channel"));
    }

    @Test
    void theConnectionTestPostsATestLine()
    {
        OutboundRequest test = pusher.connectionTest().orElseThrow();
        InboundResponse response = sender.send(test);

        assertThat(response.isSuccess()).isTrue();
        assertThat(test.purpose()).isEqualTo("connection-test");
        assertThat(receiver.received()).singleElement().satisfies(request -> {
            assertThat(request.headers()).containsEntry("authorization", "Bearer " + TOKEN).doesNotContainKey("idempotency-key");
            assertThat(request.body()).isEqualTo("{\"text\":\"Runlight connection test of integration 'team-chat' (hub 0.1.0)\",\"event\":\"runlight.test\"}");
        });
    }

    @Test
    void oneRequestAtATimeKeepsTheLinesInOrder()
    {
        assertThat(pusher.maxConcurrentRequests()).isEqualTo(1);
    }
}
