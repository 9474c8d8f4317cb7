package io.runlight.hub.token;

import io.runlight.hub.store.JsonCodec;

import static java.util.Objects.requireNonNull;

/**
 * The JSON form of a {@link TokenRecord} as a value of the {@code tokens} map: the hub's
 * one way of storing records ({@link JsonCodec}), named here because the entry processors
 * that renew and touch tokens run on the member that owns the key. Earlier versions wrote
 * the record by hand, leaving out empty fields; that shape still decodes (golden files in
 * {@code src/test/resources/stored/}).
 */
public final class TokenRecordCodec
{
    private static final JsonCodec<TokenRecord> CODEC = JsonCodec.of(TokenRecord.class);

    private TokenRecordCodec() {}

    public static String toJson(TokenRecord token)
    {
        return CODEC.encode(requireNonNull(token, "token is null"));
    }

    /** @throws IllegalStateException if the stored value is not a token record: the map holds corrupt data */
    public static TokenRecord fromJson(String json)
    {
        try {
            return CODEC.decode(requireNonNull(json, "json is null"));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalStateException("The 'tokens' map holds a value that is not a token record: " + e.getMessage(), e);
        }
    }
}
