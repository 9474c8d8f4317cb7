package io.runlight.hub.demo;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static java.util.Objects.requireNonNull;

/**
 * Verifies a Standard Webhooks signature the way a receiver does (formats/webhook.md):
 * HMAC-SHA256 over {@code <webhook-id>.<webhook-timestamp>.<raw body>} with the key that
 * follows {@code whsec_}, any one {@code v1,} signature matching in constant time, and
 * the timestamp at most five minutes off. The demo's local receiver uses it so that what
 * the generic-webhook connector sends is checked independently of the connector's own signer.
 */
public final class WebhookSignatureCheck
{
    public static final String SECRET_PREFIX = "whsec_";
    static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final int SECRET_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] key;
    private final Clock clock;

    /**
     * @param secret {@code whsec_} followed by the base64 of the key
     * @throws IllegalArgumentException if the secret does not have that form
     */
    public WebhookSignatureCheck(String secret, Clock clock)
    {
        requireNonNull(secret, "secret is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("webhook secret does not start with '" + SECRET_PREFIX + "': give one such as " + SECRET_PREFIX + "<base64 of 32 random bytes>");
        }
        try {
            this.key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook secret is not '" + SECRET_PREFIX + "' followed by base64", e);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("webhook secret has an empty key after '" + SECRET_PREFIX + "'");
        }
    }

    /** A new signing secret, {@code whsec_} + base64 of 32 random bytes, as the generic-webhook connector expects. */
    public static String newSecret(SecureRandom random)
    {
        requireNonNull(random, "random is null");
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * @param id the {@code webhook-id} header
     * @param timestamp the {@code webhook-timestamp} header (Unix seconds)
     * @param signatures the {@code webhook-signature} header: space-separated {@code v1,<base64>} entries
     * @param body the raw body bytes as received
     */
    public Result check(Optional<String> id, Optional<String> timestamp, Optional<String> signatures, byte[] body)
    {
        requireNonNull(id, "id is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(signatures, "signatures is null");
        requireNonNull(body, "body is null");
        if (id.isEmpty() || id.get().isBlank()) {
            return Result.invalid("no webhook-id header");
        }
        if (timestamp.isEmpty()) {
            return Result.invalid("no webhook-timestamp header");
        }
        if (signatures.isEmpty() || signatures.get().isBlank()) {
            return Result.invalid("no webhook-signature header");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.get().strip());
        }
        catch (NumberFormatException e) {
            return Result.invalid("webhook-timestamp '" + timestamp.get() + "' is not Unix seconds");
        }
        Duration offset = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
        if (offset.compareTo(TOLERANCE) > 0) {
            return Result.invalid("webhook-timestamp is " + offset.toSeconds() + " s off, more than " + TOLERANCE.toMinutes() + " minutes");
        }
        byte[] expected = sign(id.get() + "." + timestamp.get().strip() + ".", body);
        for (String entry : signatures.get().strip().split(" +")) {
            if (!entry.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring("v1,".length()));
            }
            catch (IllegalArgumentException notBase64) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return Result.VERIFIED;
            }
        }
        return Result.invalid("no v1 signature matches the secret");
    }

    private byte[] sign(String prefix, byte[] body)
    {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        }
        catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("this JVM cannot compute " + ALGORITHM, e);
        }
    }

    /**
     * @param verified whether a signature matched within the time tolerance
     * @param reason why not, when not
     */
    public record Result(boolean verified, Optional<String> reason)
    {
        static final Result VERIFIED = new Result(true, Optional.empty());

        public Result
        {
            requireNonNull(reason, "reason is null");
        }

        static Result invalid(String reason)
        {
            return new Result(false, Optional.of(reason));
        }
    }
}
