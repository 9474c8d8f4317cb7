package io.runlight.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static java.util.Objects.requireNonNull;

/**
 * Signs deliveries as Standard Webhooks specifies: {@code v1,} and the base64 of
 * HMAC-SHA256 over {@code <webhook-id>.<webhook-timestamp>.<body>}, one signature per
 * secret, the current secret first, separated by spaces.
 */
final class WebhookSigner
{
    private static final String ALGORITHM = "HmacSHA256";

    private final SigningSecret current;
    private final Optional<SigningSecret> previous;

    WebhookSigner(SigningSecret current, Optional<SigningSecret> previous)
    {
        this.current = requireNonNull(current, "current is null");
        this.previous = requireNonNull(previous, "previous is null");
    }

    /** The value of the {@code webhook-signature} header. */
    String signature(String messageId, long timestamp, byte[] body)
    {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(body, "body is null");
        List<String> signatures = new ArrayList<>();
        signatures.add(sign(current, messageId, timestamp, body));
        previous.ifPresent(secret -> signatures.add(sign(secret, messageId, timestamp, body)));
        return String.join(" ", signatures);
    }

    private static String sign(SigningSecret secret, String messageId, long timestamp, byte[] body)
    {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.key(), ALGORITHM));
            mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        }
        catch (GeneralSecurityException e) {
            // every Java SE runtime must provide HmacSHA256
            throw new IllegalStateException("cannot compute " + ALGORITHM + " for webhook message '" + messageId + "'", e);
        }
    }

    @Override
    public String toString()
    {
        return "WebhookSigner[signatures=" + (previous.isPresent() ? 2 : 1) + "]";
    }
}
