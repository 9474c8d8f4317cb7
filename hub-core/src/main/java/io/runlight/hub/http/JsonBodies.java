package io.runlight.hub.http;

import java.util.Optional;
import java.util.Set;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Small JSON request bodies of the admin endpoints: the content type must be JSON (415),
 * the body must parse as an object (400), and fields must have the documented types
 * and no unknown names (422).
 */
final class JsonBodies
{
    private JsonBodies() {}

    static JsonObject object(RoutingContext context, Set<String> allowedFields)
    {
        String contentType = BodySpooler.mediaType(context.request().getHeader("Content-Type"));
        if (!contentType.equals("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Send the body as application/json, not '" + (contentType.isEmpty() ? "(none)" : contentType) + "'.");
        }
        Buffer buffer = context.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            throw ApiException.badRequest("The body is empty: send a JSON object.");
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(buffer);
        }
        catch (DecodeException e) {
            throw ApiException.badRequest("The body is not valid JSON: " + firstLine(e.getMessage()).replaceFirst("^Failed to decode: ?", ""));
        }
        if (!(parsed instanceof JsonObject body)) {
            throw ApiException.unprocessable("The body must be a JSON object, not " + kindOf(parsed) + ".");
        }
        for (String field : body.fieldNames()) {
            if (!allowedFields.contains(field)) {
                throw ApiException.unprocessable("Unknown field '" + field + "': the fields are " + allowedFields.stream().sorted().toList() + ".");
            }
        }
        return body;
    }

    static Optional<String> string(JsonObject body, String field)
    {
        Object value = body.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw ApiException.unprocessable("Field '" + field + "' must be a string.");
        }
        return Optional.of(text);
    }

    static String requiredString(JsonObject body, String field)
    {
        return string(body, field).filter(value -> !value.isBlank())
                .orElseThrow(() -> ApiException.unprocessable("Field '" + field + "' is required."));
    }

    private static String kindOf(Object value)
    {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "unknown error";
        }
        return message.lines().findFirst().orElse(message);
    }
}
