package io.runlight.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

import static io.runlight.plugin.api.Preconditions.requireNonBlank;

/**
 * The {@code webhook-id} of a delivery: derived from the hub's delivery id only, so every
 * retry of one message carries the same id and receivers can de-duplicate on it.
 *
 * <p>The hub's ids ({@code dlv_} and 26 base62 characters) become {@code msg_} and the
 * same 26 characters, so an operator can match a receiver's log line to the hub's outbox.
 * Any other id that is not 1 to 64 of {@code [A-Za-z0-9_-]} is hashed:
 * {@code msg_} and the unpadded base64url of the first 18 bytes of its SHA-256.
 */
final class WebhookMessageId
{
    private static final String HUB_PREFIX = "dlv_";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private WebhookMessageId() {}

    static String forDelivery(String deliveryId)
    {
        requireNonBlank(deliveryId, "deliveryId");
        String rest = deliveryId.startsWith(HUB_PREFIX) ? deliveryId.substring(HUB_PREFIX.length()) : deliveryId;
        if (SAFE.matcher(rest).matches()) {
            return "msg_" + rest;
        }
        return "msg_" + hashed(deliveryId);
    }

    private static String hashed(String deliveryId)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(deliveryId.getBytes(StandardCharsets.UTF_8));
            byte[] prefix = new byte[18];
            System.arraycopy(digest, 0, prefix, 0, prefix.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(prefix);
        }
        catch (NoSuchAlgorithmException e) {
            // every Java SE runtime must provide SHA-256
            throw new IllegalStateException("cannot hash delivery id '" + deliveryId + "'", e);
        }
    }
}
