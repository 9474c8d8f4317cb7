package io.runlight.hub.http;

import java.util.Optional;
import java.util.Set;

import io.vertx.core.json.DecodeException;
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
        JsonObject body;
        try {
            body = context.body().asJsonObject();
        }
        catch (DecodeException | ClassCastException e) {
            throw ApiException.badRequest("The body is not a JSON object: " + firstLine(e.getMessage()));
        }
        if (body == null) {
            throw ApiException.badRequest("The body is empty: send a JSON object.");
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

    private static String firstLine(String message)
    {
        if (message == null) {
            return "unknown error";
        }
        return message.lines().findFirst().orElse(message);
    }
}
