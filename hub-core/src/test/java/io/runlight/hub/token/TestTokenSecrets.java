package io.runlight.hub.token;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokenSecrets
{
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String KNOWN = "rlt_AbCdEfGhIjKlMnOpQrStUvWxYz01232piBxe";

    private final TokenSecrets secrets = new TokenSecrets(new SecureRandom());

    @Test
    void generatedSecretsHaveTheFormatAndAValidChecksum()
    {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = secrets.generate();
            assertThat(secret).matches("^rlt_[0-9A-Za-z]{30}[0-9A-Za-z]{6}$");
            assertThat(TokenSecrets.hasValidChecksum(secret)).isTrue();
            seen.add(secret);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void checksumIsTheBase62Crc32OfTheBodyLeftPadded()
    {
        // values computed independently with Python's zlib.crc32
        assertThat(TokenSecrets.checksum("AbCdEfGhIjKlMnOpQrStUvWxYz0123")).isEqualTo("2piBxe");
        assertThat(TokenSecrets.checksum("000000000000000000000000000000")).isEqualTo("2C8GjS");
        assertThat(TokenSecrets.hasValidChecksum(KNOWN)).isTrue();
    }

    @Test
    void checksumDetectsEverySingleCharacterChange()
    {
        String secret = secrets.generate();
        int checked = 0;
        for (int position = TokenSecrets.PREFIX.length(); position < secret.length(); position++) {
            for (char replacement : ALPHABET.toCharArray()) {
                if (replacement == secret.charAt(position)) {
                    continue;
                }
                String changed = secret.substring(0, position) + replacement + secret.substring(position + 1);
                assertThat(TokenSecrets.hasValidChecksum(changed)).as(changed).isFalse();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(36 * 61);
    }

    @Test
    void malformedSecretsAreRejected()
    {
        assertThat(TokenSecrets.hasValidChecksum(null)).isFalse();
        assertThat(TokenSecrets.hasValidChecksum("")).isFalse();
        assertThat(TokenSecrets.hasValidChecksum("RLT_AbCdEfGhIjKlMnOpQrStUvWxYz01232piBxe")).isFalse();
        assertThat(TokenSecrets.hasValidChecksum("rlt_AbCdEfGhIjKlMnOpQrStUvWxYz01232piBx")).isFalse();
        assertThat(TokenSecrets.hasValidChecksum("rlt_AbCdEfGhIjKlMnOpQrStUvWxYz01232piBxe0")).isFalse();
        assertThat(TokenSecrets.hasValidChecksum("rlt_AbCdEfGhIjKlMnOpQrStUvWxYz0-232piBxe")).isFalse();
        assertThat(TokenSecrets.hasValidChecksum(" " + KNOWN)).isFalse();
        assertThat(TokenSecrets.hasValidChecksum("eyJhbGciOiJFUzI1NiJ9.e30.c2ln")).isFalse();
    }

    @Test
    void hashIsLowercaseHexSha256()
    {
        // sha256 computed independently with Python's hashlib
        assertThat(TokenSecrets.sha256Hex(KNOWN)).isEqualTo("59d2b692ffba62510fc0a87656368fed22586d2a94b025e27012bb7da20b6649");
    }

    @Test
    void displayPrefixIsTheFirstEightCharacters()
    {
        assertThat(TokenSecrets.displayPrefix(KNOWN)).isEqualTo("rlt_AbCd");
        assertThatThrownBy(() -> TokenSecrets.displayPrefix("rlt_"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a token secret has at least 8 characters");
    }

    @Test
    void tokenIdsAreDistinctAndRecognisable()
    {
        assertThat(secrets.newTokenId()).matches("^tok_[0-9A-Za-z]{16}$").isNotEqualTo(secrets.newTokenId());
    }
}
