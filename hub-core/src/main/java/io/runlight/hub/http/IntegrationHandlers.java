package io.runlight.hub.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import io.runlight.hub.delivery.DeliveryCounts;
import io.runlight.hub.integration.ConnectionTestResult;
import io.runlight.hub.integration.IntegrationDetails;
import io.runlight.hub.integration.IntegrationRecord;
import io.runlight.hub.integration.IntegrationService;
import io.runlight.hub.integration.IntegrationStatus;
import io.runlight.hub.token.TokenExpiry;

import static java.util.Objects.requireNonNull;

/**
 * The integration endpoints. Configuration is returned with secret values masked; the
 * integration's token secret leaves the hub in the create response only. Configuration
 * errors are answered 422 {@code invalid_config} with every error at once, in an
 * {@code errors} array ({@link io.runlight.hub.integration.InvalidConfigException#details()}).
 */
public final class IntegrationHandlers
{
    private final Vertx vertx;
    private final IntegrationService integrations;

    public IntegrationHandlers(Vertx vertx, IntegrationService integrations)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.integrations = requireNonNull(integrations, "integrations is null");
    }

    public void create(RoutingContext context)
    {
        JsonObject body = JsonBodies.object(context, Set.of("plugin", "name", "config", "expiresIn"));
        String plugin = JsonBodies.requiredString(body, "plugin");
        String name = JsonBodies.requiredString(body, "name");
        Map<String, Object> config = config(body).orElse(Map.of());
        TokenExpiry expiry = expiry(body);
        respond(context, () -> integrations.create(plugin, name, config, expiry), created -> {
            JsonObject json = integrationJson(created.details());
            json.put("token", new JsonObject()
                    .put("id", created.token().record().id())
                    .put("secret", created.token().secret())
                    .put("expiresAt", created.token().record().expiresAt().toString()));
            ReadHandlers.json(context, 201, json);
        });
    }

    public void list(RoutingContext context)
    {
        respond(context, integrations::list, list -> {
            JsonArray array = new JsonArray();
            list.forEach(details -> array.add(integrationJson(details)));
            ReadHandlers.json(context, 200, array);
        });
    }

    public void get(RoutingContext context)
    {
        String id = context.pathParam("id");
        respond(context, () -> integrations.get(id), found -> {
            if (found.isEmpty()) {
                context.fail(ApiException.notFound("No integration '" + id + "'."));
                return;
            }
            ReadHandlers.json(context, 200, integrationJson(found.get()));
        });
    }

    public void update(RoutingContext context)
    {
        String id = context.pathParam("id");
        JsonObject body = JsonBodies.object(context, Set.of("name", "config"));
        Optional<String> name = JsonBodies.string(body, "name");
        Optional<Map<String, Object>> config = config(body);
        if (name.isEmpty() && config.isEmpty()) {
            throw ApiException.unprocessable("Give 'name', 'config' or both.");
        }
        respond(context, () -> integrations.update(id, name, config), updated -> ReadHandlers.json(context, 200, integrationJson(updated)));
    }

    public void delete(RoutingContext context)
    {
        String id = context.pathParam("id");
        respond(context, () -> integrations.delete(id), deleted -> {
            if (!deleted) {
                context.fail(ApiException.notFound("No integration '" + id + "'."));
                return;
            }
            context.response().setStatusCode(204).end();
        });
    }

    public void pause(RoutingContext context)
    {
        String id = context.pathParam("id");
        respond(context, () -> integrations.pause(id), paused -> ReadHandlers.json(context, 200, integrationJson(paused)));
    }

    public void resume(RoutingContext context)
    {
        String id = context.pathParam("id");
        respond(context, () -> integrations.resume(id), resumed -> ReadHandlers.json(context, 200, integrationJson(resumed)));
    }

    public void test(RoutingContext context)
    {
        String id = context.pathParam("id");
        respond(context, () -> integrations.test(id), result -> ReadHandlers.json(context, 200, testJson(result)));
    }

    /** The JSON of an integration: configuration with secrets masked, and its status. */
    static JsonObject integrationJson(IntegrationDetails details)
    {
        IntegrationRecord record = details.integration();
        IntegrationStatus status = details.status();
        JsonObject json = new JsonObject()
                .put("id", record.id())
                // the plugin while it is loaded (the connector id otherwise: that is all the record knows), and the connector it provides
                .put("plugin", details.pluginId().orElse(record.plugin()))
                .put("connector", record.plugin())
                .put("name", record.name())
                .put("config", new JsonObject(jsonValues(record.maskedConfig())))
                .put("state", status.state().name());
        status.reason().ifPresent(reason -> json.put("reason", reason));
        json.put("createdAt", record.createdAt().toString());
        record.lastSuccessAt().ifPresent(at -> json.put("lastSuccessAt", at.toString()));
        record.lastErrorAt().ifPresent(at -> json.put("lastErrorAt", at.toString()));
        record.lastError().ifPresent(error -> json.put("lastError", error));
        DeliveryCounts counts = status.deliveries();
        json.put("deliveries", new JsonObject()
                .put("pending", counts.pending())
                .put("dead", counts.dead())
                .put("circuitState", counts.circuitState()));
        status.token().ifPresent(token -> json.put("token", new JsonObject()
                .put("id", token.id())
                .put("prefix", token.prefix())
                .put("expiresAt", token.expiresAt().toString())
                .put("status", token.status().name())));
        return json;
    }

    private static JsonObject testJson(ConnectionTestResult result)
    {
        JsonObject json = new JsonObject().put("ok", result.ok());
        result.status().ifPresent(status -> json.put("status", status));
        return json.put("message", result.message());
    }

    /** Runs the blocking service call on a worker; {@link ApiFailureHandler} answers its failures. */
    private <T> void respond(RoutingContext context, Callable<T> action, java.util.function.Consumer<T> onSuccess)
    {
        vertx.executeBlocking(action, false)
                .onSuccess(onSuccess::accept)
                .onFailure(context::fail);
    }

    private static Optional<Map<String, Object>> config(JsonObject body)
    {
        Object value = body.getValue("config");
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiException.unprocessable("Field 'config' must be a JSON object.");
        }
        return Optional.of(plainMap(object));
    }

    private static TokenExpiry expiry(JsonObject body)
    {
        String value = JsonBodies.requiredString(body, "expiresIn");
        try {
            return TokenExpiry.fromWire(value);
        }
        catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("Field 'expiresIn' must be P1M, P3M, P6M or P1Y, not '" + value + "'.");
        }
    }

    /** Vert.x JSON values as plain Java maps and lists. */
    private static Map<String, Object> plainMap(JsonObject object)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name : object.fieldNames()) {
            map.put(name, plain(object.getValue(name)));
        }
        return map;
    }

    private static Object plain(Object value)
    {
        if (value instanceof JsonObject object) {
            return plainMap(object);
        }
        if (value instanceof JsonArray array) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                list.add(plain(array.getValue(i)));
            }
            return list;
        }
        return value;
    }

    /** Plain values as Vert.x JSON values. */
    private static Map<String, Object> jsonValues(Map<String, Object> map)
    {
        Map<String, Object> converted = new LinkedHashMap<>();
        map.forEach((key, value) -> converted.put(key, jsonValue(value)));
        return converted;
    }

    @SuppressWarnings("unchecked")
    private static Object jsonValue(Object value)
    {
        if (value instanceof Map<?, ?> map) {
            return new JsonObject(jsonValues((Map<String, Object>) map));
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(item -> array.add(jsonValue(item)));
            return array;
        }
        return value;
    }
}
