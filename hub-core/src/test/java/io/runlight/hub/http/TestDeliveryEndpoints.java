package io.runlight.hub.http;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.runlight.hub.auth.Role;
import io.runlight.hub.delivery.Delivery;
import io.runlight.hub.delivery.DeliveryState;
import io.runlight.hub.delivery.Outbox;
import io.runlight.hub.store.JsonCodec;
import io.runlight.plugin.api.connector.PushMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/integrations/{id}/deliveries} and {@code POST .../deliveries/{did}/retry}
 * on a running hub, over an outbox holding deliveries of an integration that has no push
 * target (so they stay where the test put them).
 */
@ExtendWith(SharedHub.class)
final class TestDeliveryEndpoints
{
    private static final String INTEGRATION = "int_held";

    private static RunningHub hub;
    private static Outbox outbox;
    private static Delivery pending;
    private static Delivery failed;
    private static Delivery dead;

    @BeforeAll
    static void takeSharedHub(RunningHub shared)
    {
        hub = shared;
        outbox = new Outbox(hub.hub().store(), Clock.systemUTC(), new SecureRandom());
        pending = outbox.enqueue(INTEGRATION, PushMessage.of("runlight.image.insights.changed", "sha256:aa", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
        Delivery second = outbox.enqueue(INTEGRATION, PushMessage.of("runlight.image.insights.changed", "sha256:bb", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
        Delivery third = outbox.enqueue(INTEGRATION, PushMessage.of("runlight.image.profile.completed", "sha256:cc", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
        Instant later = Instant.parse("2030-01-01T00:00:00Z");
        failed = new Delivery(second.id(), INTEGRATION, second.message(), DeliveryState.PENDING, 2, later, second.createdAt(),
                Optional.of(503), Optional.of("HTTP 503: busy"), Optional.of("busy"));
        dead = new Delivery(third.id(), INTEGRATION, third.message(), DeliveryState.DEAD, 8, later, third.createdAt(),
                Optional.of(400), Optional.of("HTTP 400: bad payload"), Optional.of("bad payload"));
        JsonCodec<Delivery> codec = JsonCodec.of(Delivery.class);
        hub.hub().store().map(Outbox.MAP).set(failed.id(), codec.encode(failed));
        hub.hub().store().map(Outbox.MAP).set(dead.id(), codec.encode(dead));
    }

    @Test
    void listsDeliveriesByStateWithoutPayloads()
    {
        String read = hub.jwt(Role.READ);
        RunningHub.Response all = hub.get("/api/v1/integrations/" + INTEGRATION + "/deliveries", read);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json()).isEqualTo(RunningHub.parse("[" + json(pending) + "," + json(failed) + "]"));
        assertThat(all.body()).doesNotContain("payload");

        assertThat(hub.get("/api/v1/integrations/" + INTEGRATION + "/deliveries?state=failed", read).json())
                .isEqualTo(RunningHub.parse("[" + json(failed) + "]"));
        assertThat(hub.get("/api/v1/integrations/" + INTEGRATION + "/deliveries?state=dead", read).json())
                .isEqualTo(RunningHub.parse("[" + json(dead) + "]"));
        assertThat(hub.get("/api/v1/integrations/int_other/deliveries?state=dead", read).json()).isEqualTo(RunningHub.parse("[]"));

        RunningHub.Response bad = hub.get("/api/v1/integrations/" + INTEGRATION + "/deliveries?state=lost", read);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(RunningHub.errorJson("bad_request", "Parameter 'state' must be pending, failed or dead, not 'lost'."));
    }

    @Test
    void retryRequeuesOnlyDeadLettersOfThatIntegration()
    {
        String admin = hub.jwt(Role.ADMIN);
        RunningHub.Response notDead = hub.postJson("/api/v1/integrations/" + INTEGRATION + "/deliveries/" + pending.id() + "/retry", admin, "");
        assertThat(notDead.status()).isEqualTo(409);
        assertThat(notDead.json()).isEqualTo(RunningHub.errorJson("conflict",
                "Delivery '" + pending.id() + "' cannot be retried: delivery '" + pending.id() + "' is pending, not dead: only dead letters can be retried."));

        RunningHub.Response otherIntegration = hub.postJson("/api/v1/integrations/int_other/deliveries/" + dead.id() + "/retry", admin, "");
        assertThat(otherIntegration.status()).isEqualTo(404);
        assertThat(otherIntegration.json()).isEqualTo(RunningHub.errorJson("not_found", "No delivery '" + dead.id() + "' of integration 'int_other'."));

        assertThat(hub.postJson("/api/v1/integrations/" + INTEGRATION + "/deliveries/" + dead.id() + "/retry", hub.jwt(Role.READ), "").status()).isEqualTo(403);

        RunningHub.Response retried = hub.postJson("/api/v1/integrations/" + INTEGRATION + "/deliveries/" + dead.id() + "/retry", admin, "");
        assertThat(retried.status()).isEqualTo(200);
        Delivery requeued = outbox.get(dead.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(requeued.attempts()).isZero();
        assertThat(retried.json()).isEqualTo(RunningHub.parse(json(requeued)));
        // back to dead for the listing test, whichever runs first
        hub.hub().store().map(Outbox.MAP).set(dead.id(), JsonCodec.of(Delivery.class).encode(dead));
    }

    private static String json(Delivery delivery)
    {
        StringBuilder json = new StringBuilder("{\"id\":\"" + delivery.id() + "\",\"integrationId\":\"" + delivery.integrationId()
                + "\",\"eventType\":\"" + delivery.message().eventType() + "\",\"key\":\"" + delivery.message().key()
                + "\",\"state\":\"" + delivery.state() + "\",\"attempts\":" + delivery.attempts()
                + ",\"createdAt\":\"" + delivery.createdAt() + "\",\"nextAttemptAt\":\"" + delivery.nextAttemptAt() + "\"");
        delivery.lastStatus().ifPresent(value -> json.append(",\"lastStatus\":").append(value));
        delivery.lastError().ifPresent(value -> json.append(",\"lastError\":\"").append(value).append('"'));
        delivery.lastResponse().ifPresent(value -> json.append(",\"lastResponse\":\"").append(value).append('"'));
        return json.append('}').toString();
    }
}
