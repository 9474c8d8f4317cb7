package io.runlight.hub.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestJwtKeys
{
    @TempDir
    Path dataDir;

    @Test
    void createsTheKeyPairOnceWithPrivatePermissionsAndReusesIt()
            throws Exception
    {
        JwtKeys first = JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir));

        Path privateKey = dataDir.resolve("keys/jwt-es256-private.pem");
        Path publicKey = dataDir.resolve("keys/jwt-es256-public.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("keys")))).isEqualTo("rwx------");
        assertThat(Files.readString(privateKey)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(publicKey)).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(first.ownPublicKeyPem()).isEqualTo(Files.readString(publicKey));
        assertThat(first.ownKeyId()).matches("[0-9a-f]{16}");
        try (Stream<Path> files = Files.list(dataDir.resolve("keys"))) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted())
                    .containsExactly("jwt-es256-private.pem", "jwt-es256-public.pem");
        }
        FileTime written = Files.getLastModifiedTime(privateKey);
        String privatePem = Files.readString(privateKey);

        JwtKeys second = JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir));

        assertThat(second.ownKeyId()).isEqualTo(first.ownKeyId());
        assertThat(Files.readString(privateKey)).isEqualTo(privatePem);
        assertThat(Files.getLastModifiedTime(privateKey)).isEqualTo(written);
        assertThat(second.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void aMissingHalfOfThePairIsAnErrorNotANewKey()
            throws Exception
    {
        JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir));
        Path publicKey = dataDir.resolve("keys/jwt-es256-public.pem");
        Files.delete(publicKey);

        assertThatThrownBy(() -> JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("JWT key file '" + publicKey + "' is missing but '" + dataDir.resolve("keys/jwt-es256-private.pem")
                        + "' exists: restore the missing file, or delete both to make a new key pair (tokens already issued stop working)");
    }

    @Test
    void keyFilesThatDoNotBelongTogetherAreRefused(@TempDir Path otherDir)
            throws Exception
    {
        JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir));
        JwtKeys other = JwtKeys.load(JwtKeySettings.ownKeyOnly(otherDir));
        Path publicKey = dataDir.resolve("keys/jwt-es256-public.pem");
        Files.writeString(publicKey, other.ownPublicKeyPem());

        assertThatThrownBy(() -> JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("JWT key files '" + dataDir.resolve("keys/jwt-es256-private.pem") + "' and '" + publicKey
                        + "' do not belong together: restore the pair, or delete both to make a new one");
    }

    @Test
    void badConfigurationNamesTheFileOrSetting()
            throws Exception
    {
        Path notPem = dataDir.resolve("idp.pem");
        Files.writeString(notPem, "hello");
        Path noKeys = dataDir.resolve("jwks.json");
        Files.writeString(noKeys, "{\"issuer\": \"x\"}");

        assertThatThrownBy(() -> JwtKeys.load(new JwtKeySettings(dataDir, List.of(notPem), Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key file '" + notPem + "' contains no PEM block: expected '-----BEGIN PUBLIC KEY-----' or '-----BEGIN CERTIFICATE-----'");
        assertThatThrownBy(() -> JwtKeys.load(new JwtKeySettings(dataDir, List.of(), Optional.of(noKeys), Optional.empty(), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the JWKS file '" + noKeys + "' has no \"keys\" array");
        assertThatThrownBy(() -> JwtKeys.load(new JwtKeySettings(dataDir, List.of(), Optional.empty(), Optional.empty(), Optional.of("short"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the HS256 secret is shorter than 32 bytes: use a random secret of at least 32 characters");
        assertThat(new JwtKeySettings(dataDir, List.of(), Optional.empty(), Optional.empty(), Optional.of("short")).toString())
                .doesNotContain("short")
                .contains("hs256Secret=****");
    }
}
