package io.runlight.hub.http;

import io.runlight.hub.delivery.Delivery;
import io.runlight.hub.delivery.DeliveryFilter;
import io.runlight.hub.delivery.Outbox;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import static java.util.Objects.requireNonNull;

/**
 * The outbox of an integration: list its deliveries by state, and queue a dead letter
 * again. Payloads never leave the hub through this API (they may carry customer data);
 * a delivery shows its event type, key, attempts and last error.
 */
public final class DeliveryHandlers
{
    private final Vertx vertx;
    private final Outbox outbox;

    public DeliveryHandlers(Vertx vertx, Outbox outbox)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.outbox = requireNonNull(outbox, "outbox is null");
    }

    /** {@code GET /api/v1/integrations/:id/deliveries?state=pending|failed|dead} (default pending). */
    public void list(RoutingContext context)
    {
        String integrationId = context.pathParam("id");
        String state = context.queryParams().get("state");
        DeliveryFilter filter;
        try {
            filter = state == null ? DeliveryFilter.PENDING : DeliveryFilter.parse(state);
        }
        catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Parameter 'state' must be pending, failed or dead, not '" + state + "'.");
        }
        vertx.executeBlocking(() -> outbox.list(integrationId, filter), false)
                .onSuccess(deliveries -> {
                    JsonArray body = new JsonArray();
                    deliveries.forEach(delivery -> body.add(json(delivery)));
                    ReadHandlers.json(context, 200, body);
                })
                .onFailure(context::fail);
    }

    /** {@code POST /api/v1/integrations/:id/deliveries/:did/retry}: a dead letter becomes pending again, with the same id. */
    public void retry(RoutingContext context)
    {
        String integrationId = context.pathParam("id");
        String deliveryId = context.pathParam("did");
        vertx.executeBlocking(() -> {
            if (outbox.get(deliveryId).filter(delivery -> delivery.integrationId().equals(integrationId)).isEmpty()) {
                throw ApiException.notFound("No delivery '" + deliveryId + "' of integration '" + integrationId + "'.");
            }
            try {
                return outbox.retry(deliveryId)
                        .orElseThrow(() -> ApiException.notFound("No delivery '" + deliveryId + "' of integration '" + integrationId + "'."));
            }
            catch (IllegalStateException e) {
                throw ApiException.conflict("Delivery '" + deliveryId + "' cannot be retried: " + e.getMessage() + ".");
            }
        }, false).onSuccess(delivery -> ReadHandlers.json(context, 200, json(delivery))).onFailure(context::fail);
    }

    static JsonObject json(Delivery delivery)
    {
        JsonObject json = new JsonObject()
                .put("id", delivery.id())
                .put("integrationId", delivery.integrationId())
                .put("eventType", delivery.message().eventType())
                .put("key", delivery.message().key())
                .put("state", delivery.state().name())
                .put("attempts", delivery.attempts())
                .put("createdAt", delivery.createdAt().toString())
                .put("nextAttemptAt", delivery.nextAttemptAt().toString());
        delivery.lastStatus().ifPresent(value -> json.put("lastStatus", value));
        delivery.lastError().ifPresent(value -> json.put("lastError", value));
        delivery.lastResponse().ifPresent(value -> json.put("lastResponse", value));
        return json;
    }
}
