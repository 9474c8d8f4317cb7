package com.acme.runlight;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.runlight.hub.plugin.SharedLibraryProbe;
import io.runlight.plugin.api.connector.DeliveryAttempt;
import io.runlight.plugin.api.connector.DeliveryOutcome;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.PushMessage;
import io.runlight.plugin.api.connector.Pusher;

/**
 * Turns a change into one POST of a small JSON document. It records the thread context
 * class loader it ran with, so the hub's tests can check it.
 */
final class AcmePusher
        implements Pusher
{
    private final URI url;
    private final String apiKey;
    private final String mode;
    private final String version;

    AcmePusher(URI url, String apiKey, String mode, String version)
    {
        this.url = url;
        this.apiKey = apiKey;
        this.mode = mode;
        this.version = version;
    }

    @Override
    public List<PushMessage> translate(InsightsChange change)
    {
        if (mode.equals("hang-translate")) {
            try {
                Thread.sleep(60_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        String digest = change.insights().digest().value();
        String body = "{\"image\":\"" + digest + "\",\"in_use\":" + change.insights().summary().packagesInUse() + ",\"plugin_version\":\"" + version + "\"}";
        return List.of(PushMessage.of(change.type().eventType(), digest, body.getBytes(StandardCharsets.UTF_8), Map.of(
                "pluginVersion", version,
                "contextLoaderIsPlugin", String.valueOf(context == AcmePusher.class.getClassLoader()),
                "contextLoaderClass", context == null ? "none" : context.getClass().getName(),
                "library", SharedLibraryProbe.origin())));
    }

    @Override
    public OutboundRequest prepare(PushMessage message, DeliveryAttempt attempt)
    {
        return OutboundRequest.postJson(url.resolve("/v1/insights"), Map.of(
                "Authorization", List.of("Bearer " + apiKey),
                "Idempotency-Key", List.of(attempt.deliveryId())), message.payload().toArray());
    }

    @Override
    public DeliveryOutcome interpret(PushMessage message, OutboundRequest request, InboundResponse response)
    {
        return response.defaultOutcome(Instant.now());
    }
}
