package io.runlight.hub.integration;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSecretSealer
{
    private static final byte[] KEY = new byte[32];
    private final SecretSealer sealer = new SecretSealer(new SecretKeySpec(KEY, "AES"), new SecureRandom());

    @Test
    void sealsAnyJsonValueWithAFreshNonce()
    {
        String sealed = sealer.seal("int_1", "apiKey", "k-secret-123");
        assertThat(sealed).startsWith("rlsealed:v1:").doesNotContain("k-secret-123");
        assertThat(sealer.seal("int_1", "apiKey", "k-secret-123")).isNotEqualTo(sealed);
        assertThat(sealer.open("int_1", "apiKey", sealed)).isEqualTo("k-secret-123");

        Map<String, String> headers = Map.of("X-Api-Key", "abc");
        assertThat(sealer.open("int_1", "headers", sealer.seal("int_1", "headers", headers))).isEqualTo(headers);
        assertThat(sealer.open("int_1", "tags", sealer.seal("int_1", "tags", List.of("a", "b")))).isEqualTo(List.of("a", "b"));
        assertThat(SecretSealer.isSealed(sealed)).isTrue();
        assertThat(SecretSealer.isSealed("k-secret-123")).isFalse();
        assertThat(SecretSealer.isSealed(42)).isFalse();
    }

    @Test
    void aSealedValueOpensOnlyWithItsKeyForItsIntegrationAndKeyUnchanged()
    {
        String sealed = sealer.seal("int_1", "apiKey", "k-secret-123");
        String message = "secret 'apiKey' of integration 'int_2' does not open with this hub's sealing key: "
                + "it was sealed with another key (every member needs the same secrets.key) or changed";
        assertThatThrownBy(() -> sealer.open("int_2", "apiKey", sealed)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> sealer.open("int_1", "token", sealed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("secret 'token' of integration 'int_1' does not open");

        byte[] other = new byte[32];
        other[0] = 1;
        SecretSealer otherKey = new SecretSealer(new SecretKeySpec(other, "AES"), new SecureRandom());
        assertThatThrownBy(() -> otherKey.open("int_1", "apiKey", sealed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("secret 'apiKey' of integration 'int_1' does not open");

        byte[] bytes = Base64.getDecoder().decode(sealed.substring("rlsealed:v1:".length()));
        bytes[bytes.length - 1] ^= 1;
        String tampered = "rlsealed:v1:" + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> sealer.open("int_1", "apiKey", tampered)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("secret 'apiKey' of integration 'int_1' does not open");
        assertThatThrownBy(() -> sealer.open("int_1", "apiKey", "rlsealed:v1:AAAA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret 'apiKey' of integration 'int_1' is damaged: its sealed value is too short");
        assertThatThrownBy(() -> sealer.open("int_1", "apiKey", "rlsealed:v1:!!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret 'apiKey' of integration 'int_1' is damaged: its sealed value is not base64");
    }

    @Test
    void needsAnAesKeyOf32Bytes()
    {
        assertThatThrownBy(() -> new SecretSealer(new SecretKeySpec(new byte[16], "AES"), new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the sealing key must be an AES key of 32 bytes");
    }
}
