package io.runlight.plugin.api.connector;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * A unit of delivery as the hub stores it in its outbox: what the connector needs to
 * build the request again at every attempt.
 *
 * @param eventType the kind of event, for example {@code runlight.image.insights.changed}
 * @param key what the message is about, for example {@code sha256:...|production}; a newer
 *        pending message with the same key supersedes an older one that was not sent yet
 * @param payload the body or the data the body is built from (at most 16 MiB)
 * @param attributes small string values the connector wants back (the target URL, a tag)
 */
public record PushMessage(String eventType, String key, byte[] payload, Map<String, String> attributes)
{
    /** The largest payload the hub stores. */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

    public PushMessage
    {
        requireNonBlank(eventType, "eventType");
        requireNonBlank(key, "key");
        requireNonNull(payload, "payload is null");
        checkArgument(payload.length <= MAX_PAYLOAD_BYTES, "payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        payload = payload.clone();
        attributes = Map.copyOf(new TreeMap<>(requireNonNull(attributes, "attributes is null")));
    }

    /** The payload (a copy). */
    @Override
    public byte[] payload()
    {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof PushMessage that
                && eventType.equals(that.eventType)
                && key.equals(that.key)
                && Arrays.equals(payload, that.payload)
                && attributes.equals(that.attributes);
    }

    @Override
    public int hashCode()
    {
        return ((eventType.hashCode() * 31 + key.hashCode()) * 31 + Arrays.hashCode(payload)) * 31 + attributes.hashCode();
    }

    @Override
    public String toString()
    {
        return "PushMessage[eventType=" + eventType + ", key=" + key + ", payload=" + payload.length + " bytes, attributes=" + attributes.keySet() + "]";
    }
}
