package io.runlight.hub.token;

import java.time.Instant;
import java.util.Map;

import com.hazelcast.map.EntryProcessor;

import static java.util.Objects.requireNonNull;

/**
 * Sets a token's expiry on the member that owns it, atomically with respect to every other
 * update of the same token (a concurrent last-use write cannot undo a renewal).
 * Returns the new JSON, or {@code null} when the token does not exist.
 */
final class RenewProcessor
        implements EntryProcessor<String, String, String>
{
    private static final long serialVersionUID = 1L;

    private final Instant expiresAt;

    RenewProcessor(Instant expiresAt)
    {
        this.expiresAt = requireNonNull(expiresAt, "expiresAt is null");
    }

    @Override
    public String process(Map.Entry<String, String> entry)
    {
        if (entry.getValue() == null) {
            return null;
        }
        String json = TokenRecordCodec.toJson(TokenRecordCodec.fromJson(entry.getValue()).withExpiresAt(expiresAt));
        entry.setValue(json);
        return json;
    }
}
