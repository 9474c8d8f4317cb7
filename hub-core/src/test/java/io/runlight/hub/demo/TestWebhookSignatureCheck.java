package io.runlight.hub.demo;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestWebhookSignatureCheck
{
    // the Standard Webhooks specification's own test vector (standard-webhooks/standard-webhooks, libraries' shared tests)
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Clock AT_TIMESTAMP = Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC);

    private final WebhookSignatureCheck check = new WebhookSignatureCheck(SECRET, AT_TIMESTAMP);

    @Test
    void verifiesTheSpecificationsExample()
    {
        assertThat(check.check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.of(SIGNATURE), BODY))
                .isEqualTo(new WebhookSignatureCheck.Result(true, Optional.empty()));
    }

    @Test
    void acceptsAnyOneOfSeveralSignaturesDuringRotation()
    {
        String header = "v1,bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ== " + SIGNATURE;

        assertThat(check.check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.of(header), BODY).verified()).isTrue();
    }

    @Test
    void refusesAChangedBodyIdOrSecret()
    {
        byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        assertThat(check.check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.of(SIGNATURE), changed).reason()).contains("no v1 signature matches the secret");
        assertThat(check.check(Optional.of("msg_other"), Optional.of(TIMESTAMP), Optional.of(SIGNATURE), BODY).verified()).isFalse();
        String otherSecret = "whsec_" + Base64.getEncoder().encodeToString("another key of 24 bytes!".getBytes(StandardCharsets.UTF_8));
        assertThat(new WebhookSignatureCheck(otherSecret, AT_TIMESTAMP).check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.of(SIGNATURE), BODY).verified()).isFalse();
    }

    @Test
    void refusesATimestampMoreThanFiveMinutesOff()
    {
        WebhookSignatureCheck later = new WebhookSignatureCheck(SECRET, Clock.fixed(Instant.ofEpochSecond(1614265330 + 301), ZoneOffset.UTC));
        WebhookSignatureCheck inTime = new WebhookSignatureCheck(SECRET, Clock.fixed(Instant.ofEpochSecond(1614265330 - 300), ZoneOffset.UTC));

        assertThat(later.check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.of(SIGNATURE), BODY).reason())
                .contains("webhook-timestamp is 301 s off, more than 5 minutes");
        assertThat(inTime.check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.of(SIGNATURE), BODY).verified()).isTrue();
    }

    @Test
    void namesTheMissingOrMalformedHeader()
    {
        assertThat(check.check(Optional.empty(), Optional.of(TIMESTAMP), Optional.of(SIGNATURE), BODY).reason()).contains("no webhook-id header");
        assertThat(check.check(Optional.of(ID), Optional.empty(), Optional.of(SIGNATURE), BODY).reason()).contains("no webhook-timestamp header");
        assertThat(check.check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.empty(), BODY).reason()).contains("no webhook-signature header");
        assertThat(check.check(Optional.of(ID), Optional.of("yesterday"), Optional.of(SIGNATURE), BODY).reason()).contains("webhook-timestamp 'yesterday' is not Unix seconds");
        assertThat(check.check(Optional.of(ID), Optional.of(TIMESTAMP), Optional.of("v2,abc v1,%%%"), BODY).reason()).contains("no v1 signature matches the secret");
    }

    @Test
    void newSecretsHaveTheConnectorsForm()
    {
        String secret = WebhookSignatureCheck.newSecret(new SecureRandom());

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);
    }

    @Test
    void refusesASecretWithoutThePrefix()
    {
        assertThatThrownBy(() -> new WebhookSignatureCheck("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", AT_TIMESTAMP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook secret does not start with 'whsec_': give one such as whsec_<base64 of 32 random bytes>");
    }
}
