package io.runlight.hub.http;

import java.util.Optional;
import java.util.Set;

import io.runlight.hub.token.TokenExpiry;
import io.runlight.hub.token.TokenRecord;
import io.runlight.hub.token.TokenScope;
import io.runlight.hub.token.TokenService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import static java.util.Objects.requireNonNull;

/**
 * The token endpoints. The secret leaves the hub in the create response only.
 */
public final class TokenHandlers
{
    private final Vertx vertx;
    private final TokenService tokens;
    private final IntegrationDirectory integrations;

    /** Which integrations exist, so a token is never bound to an unknown one. */
    @FunctionalInterface
    public interface IntegrationDirectory
    {
        boolean exists(String integrationId);
    }

    public TokenHandlers(Vertx vertx, TokenService tokens, IntegrationDirectory integrations)
    {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.integrations = requireNonNull(integrations, "integrations is null");
    }

    public void create(RoutingContext context)
    {
        JsonObject body = JsonBodies.object(context, Set.of("name", "expiresIn", "scope", "integrationId"));
        String name = JsonBodies.requiredString(body, "name").strip();
        if (name.length() > 200) {
            throw ApiException.unprocessable("Field 'name' is longer than 200 characters.");
        }
        TokenExpiry expiry = expiry(body);
        Optional<String> integrationId = JsonBodies.string(body, "integrationId").filter(value -> !value.isBlank());
        TokenScope scope = JsonBodies.string(body, "scope").map(value -> {
            try {
                return TokenScope.fromWireName(value);
            }
            catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("Field 'scope' must be integration or ingest, not '" + value + "'.");
            }
        }).orElse(integrationId.isPresent() ? TokenScope.INTEGRATION : TokenScope.INGEST);
        if (scope == TokenScope.INTEGRATION && integrationId.isEmpty()) {
            throw ApiException.unprocessable("A token of scope integration needs 'integrationId'.");
        }
        if (scope == TokenScope.INGEST && integrationId.isPresent()) {
            throw ApiException.unprocessable("A token of scope ingest cannot name an integration; leave out 'integrationId' or use scope integration.");
        }
        vertx.executeBlocking(() -> {
            if (integrationId.isPresent() && !integrations.exists(integrationId.get())) {
                throw ApiException.notFound("No integration '" + integrationId.get() + "'.");
            }
            return tokens.create(name, expiry, scope, integrationId);
        }, false).onSuccess(created -> {
            JsonObject json = tokenJson(created.record()).put("secret", created.secret());
            json.remove("status");
            json.remove("createdAt");
            json.remove("lastUsedAt");
            ReadHandlers.json(context, 201, json);
        }).onFailure(context::fail);
    }

    public void list(RoutingContext context)
    {
        vertx.executeBlocking(tokens::list, false)
                .onSuccess(list -> {
                    JsonArray array = new JsonArray();
                    list.forEach(token -> array.add(tokenJson(token)));
                    ReadHandlers.json(context, 200, array);
                })
                .onFailure(context::fail);
    }

    public void renew(RoutingContext context)
    {
        String id = context.pathParam("id");
        JsonObject body = JsonBodies.object(context, Set.of("expiresIn"));
        TokenExpiry expiry = expiry(body);
        vertx.executeBlocking(() -> tokens.renew(id, expiry), false)
                .onSuccess(renewed -> {
                    if (renewed.isEmpty()) {
                        context.fail(ApiException.notFound("No token '" + id + "'."));
                        return;
                    }
                    ReadHandlers.json(context, 200, tokenJson(renewed.get()));
                })
                .onFailure(context::fail);
    }

    public void delete(RoutingContext context)
    {
        String id = context.pathParam("id");
        vertx.executeBlocking(() -> tokens.delete(id), false)
                .onSuccess(deleted -> {
                    if (!deleted) {
                        context.fail(ApiException.notFound("No token '" + id + "'."));
                        return;
                    }
                    context.response().setStatusCode(204).end();
                })
                .onFailure(context::fail);
    }

    private JsonObject tokenJson(TokenRecord token)
    {
        JsonObject json = new JsonObject()
                .put("id", token.id())
                .put("name", token.name())
                .put("prefix", token.prefix())
                .put("scope", token.scope().wireName());
        token.integrationId().ifPresent(value -> json.put("integrationId", value));
        json.put("createdAt", token.createdAt().toString())
                .put("expiresAt", token.expiresAt().toString());
        token.lastUsedAt().ifPresent(value -> json.put("lastUsedAt", value.toString()));
        json.put("status", tokens.status(token).name());
        return json;
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
}
