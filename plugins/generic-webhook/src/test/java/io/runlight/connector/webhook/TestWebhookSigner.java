package io.runlight.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class TestWebhookSigner
{
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void reproducesTheStandardWebhooksTestVector()
    {
        // published with the Standard Webhooks reference libraries
        WebhookSigner signer = new WebhookSigner(SigningSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Optional.empty());

        assertThat(signer.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringRotationSignsWithBothSecretsCurrentFirst()
    {
        WebhookSigner signer = new WebhookSigner(SigningSecret.parse(WebhookTesting.PREVIOUS_SECRET), Optional.of(SigningSecret.parse(WebhookTesting.SECRET)));

        String header = signer.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY);

        assertThat(header).endsWith(" v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(StandardWebhooksVerifier.matchingSignatures(WebhookTesting.PREVIOUS_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", BODY, header))
                .isEqualTo(List.of(0));
        assertThat(signer.toString()).isEqualTo("WebhookSigner[signatures=2]");
    }
}
