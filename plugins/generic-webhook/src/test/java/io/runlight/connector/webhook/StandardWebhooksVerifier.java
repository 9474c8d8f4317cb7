package io.runlight.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a receiver does, written from the Standard Webhooks specification alone (it does
 * not call the connector's signer): decode the key after {@code whsec_}, compute
 * HMAC-SHA256 over {@code id.timestamp.body}, and compare it in constant time with each
 * {@code v1,} signature of the space-separated header.
 */
final class StandardWebhooksVerifier
{
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhooksVerifier() {}

    /** The positions (0-based) in the signature header of the signatures this secret verifies. */
    static List<Integer> matchingSignatures(String whsecSecret, String id, String timestamp, byte[] body, String signatureHeader)
    {
        byte[] expected = hmac(Base64.getDecoder().decode(whsecSecret.substring("whsec_".length())), id, timestamp, body);
        List<Integer> matching = new ArrayList<>();
        String[] signatures = signatureHeader.split(" ");
        for (int i = 0; i < signatures.length; i++) {
            String signature = signatures[i];
            if (!signature.startsWith("v1,")) {
                continue;
            }
            byte[] given = Base64.getDecoder().decode(signature.substring("v1,".length()));
            if (MessageDigest.isEqual(expected, given)) {
                matching.add(i);
            }
        }
        return matching;
    }

    /** Whether the timestamp is within the 5 minutes receivers allow. */
    static boolean timely(String timestamp, Instant now)
    {
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        return Duration.between(sent, now).abs().compareTo(TOLERANCE) <= 0;
    }

    private static byte[] hmac(byte[] key, String id, String timestamp, byte[] body)
    {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
            byte[] signed = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, signed, 0, prefix.length);
            System.arraycopy(body, 0, signed, prefix.length, body.length);
            return mac.doFinal(signed);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
