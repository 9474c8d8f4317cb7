package io.runlight.plugin.api.connector;

import java.util.Map;
import java.util.TreeMap;

import io.runlight.plugin.api.Bytes;

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
public record PushMessage(String eventType, String key, Bytes payload, Map<String, String> attributes)
{
    /** The largest payload the hub stores. */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

    public PushMessage
    {
        requireNonBlank(eventType, "eventType");
        requireNonBlank(key, "key");
        requireNonNull(payload, "payload is null");
        checkArgument(payload.length() <= MAX_PAYLOAD_BYTES, "payload of " + payload.length() + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        attributes = Map.copyOf(new TreeMap<>(requireNonNull(attributes, "attributes is null")));
    }

    /**
     * A message without attributes. Build messages with these factories rather than the
     * constructor: a field added to this record in a later API keeps them compiling.
     */
    public static PushMessage of(String eventType, String key, byte[] payload)
    {
        return of(eventType, key, payload, Map.of());
    }

    /** A message with attributes the connector reads back when it prepares an attempt. */
    public static PushMessage of(String eventType, String key, byte[] payload, Map<String, String> attributes)
    {
        return new PushMessage(eventType, key, Bytes.of(requireNonNull(payload, "payload is null")), attributes);
    }

    @Override
    public String toString()
    {
        return "PushMessage[eventType=" + eventType + ", key=" + key + ", payload=" + payload + ", attributes=" + attributes.keySet() + "]";
    }
}
