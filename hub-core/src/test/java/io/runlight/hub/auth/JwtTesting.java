package io.runlight.hub.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Small helpers for JWT tests: wait for a Vert.x future, read a JWT's parts.
 */
final class JwtTesting
{
    private JwtTesting() {}

    static <T> T await(Future<T> future)
            throws Throwable
    {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException e) {
            throw e.getCause();
        }
        catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within 10 seconds", e);
        }
    }

    static JsonObject header(String jwt)
    {
        return part(jwt, 0);
    }

    static JsonObject payload(String jwt)
    {
        return part(jwt, 1);
    }

    static String withPayload(String jwt, JsonObject payload)
    {
        String[] parts = jwt.split("\\.");
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + encoded + "." + parts[2];
    }

    private static JsonObject part(String jwt, int index)
    {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
    }
}
