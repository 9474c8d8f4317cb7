package io.runlight.connector.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestWebhookMessageId
{
    @Test
    void hubDeliveryIdsKeepTheirRandomPart()
    {
        assertThat(WebhookMessageId.forDelivery("dlv_2KWPBgLlAfxdpx2AI54pPJ85f4W")).isEqualTo("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
        assertThat(WebhookMessageId.forDelivery("d-1")).isEqualTo("msg_d-1");
    }

    @Test
    void otherIdsAreHashedStably()
            throws Exception
    {
        String deliveryId = "delivery 7/with spaces";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(deliveryId.getBytes(StandardCharsets.UTF_8));
        String expected = "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18));

        assertThat(WebhookMessageId.forDelivery(deliveryId)).isEqualTo(expected).hasSize(28);
        assertThat(WebhookMessageId.forDelivery(deliveryId)).isEqualTo(WebhookMessageId.forDelivery(deliveryId));
        assertThat(WebhookMessageId.forDelivery("dlv_" + "a".repeat(65))).hasSize(28);
        assertThatThrownBy(() -> WebhookMessageId.forDelivery(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deliveryId is blank");
    }
}
