package io.runlight.hub.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/**
 * The JSON form of a {@link TokenRecord} as a value of the {@code tokens} map. Written by
 * hand so the stored shape is explicit and stable across versions; unknown fields are
 * ignored on read so a newer member can add fields.
 */
public final class TokenRecordCodec
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenRecordCodec() {}

    public static String toJson(TokenRecord token)
    {
        requireNonNull(token, "token is null");
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", token.id());
        node.put("name", token.name());
        node.put("scope", token.scope().name());
        token.integrationId().ifPresent(integrationId -> node.put("integrationId", integrationId));
        node.put("hash", token.hash());
        node.put("prefix", token.prefix());
        node.put("createdAt", token.createdAt().toString());
        node.put("expiresAt", token.expiresAt().toString());
        token.lastUsedAt().ifPresent(lastUsedAt -> node.put("lastUsedAt", lastUsedAt.toString()));
        try {
            return MAPPER.writeValueAsString(node);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write token '" + token.id() + "' as JSON", e);
        }
    }

    public static TokenRecord fromJson(String json)
    {
        requireNonNull(json, "json is null");
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        }
        catch (IOException e) {
            throw new IllegalStateException("a stored token record is not valid JSON: the 'tokens' map holds corrupt data", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalStateException("a stored token record is not a JSON object: the 'tokens' map holds corrupt data");
        }
        String id = text(node, "id", "?");
        try {
            return new TokenRecord(
                    id,
                    text(node, "name", id),
                    TokenScope.valueOf(text(node, "scope", id)),
                    optionalText(node, "integrationId"),
                    text(node, "hash", id),
                    text(node, "prefix", id),
                    Instant.parse(text(node, "createdAt", id)),
                    Instant.parse(text(node, "expiresAt", id)),
                    optionalText(node, "lastUsedAt").map(Instant::parse));
        }
        catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalStateException("stored token '" + id + "' is not a valid token record: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String id)
    {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("stored token '" + id + "' has no text field '" + field + "'");
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
