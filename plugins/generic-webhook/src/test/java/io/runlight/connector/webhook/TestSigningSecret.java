package io.runlight.connector.webhook;

import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestSigningSecret
{
    @Test
    void keyIsTheDecodedPartAfterThePrefix()
    {
        SigningSecret secret = SigningSecret.parse(WebhookTesting.SECRET);

        assertThat(secret.key()).isEqualTo(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(secret.key()).hasSize(24);
        assertThat(secret.toString()).isEqualTo("whsec_****");
        assertThat(secret).isEqualTo(SigningSecret.parse(" " + WebhookTesting.SECRET + " "));
    }

    @Test
    void acceptsTwentyFourToSixtyFourBytes()
    {
        assertThat(SigningSecret.problem(secretOf(24))).isEmpty();
        assertThat(SigningSecret.problem(secretOf(32))).isEmpty();
        assertThat(SigningSecret.problem(secretOf(64))).isEmpty();
        assertThat(SigningSecret.problem(secretOf(23))).contains("must decode to 24 to 64 bytes after 'whsec_', not 23");
        assertThat(SigningSecret.problem(secretOf(65))).contains("must decode to 24 to 64 bytes after 'whsec_', not 65");
    }

    @Test
    void problemsNeverRepeatTheValue()
    {
        String unprefixed = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assertThat(SigningSecret.problem(unprefixed)).isEqualTo(Optional.of(
                "must start with 'whsec_' followed by the base64 of 24 to 64 random bytes, for example 'whsec_' + the output of 'openssl rand -base64 32'"));
        assertThat(SigningSecret.problem("whsec_not base64!!")).contains("is not valid base64 after 'whsec_'");
        assertThatThrownBy(() -> SigningSecret.parse("whsec_c2hvcnQ="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signing secret must decode to 24 to 64 bytes after 'whsec_', not 5");
    }

    private static String secretOf(int bytes)
    {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
