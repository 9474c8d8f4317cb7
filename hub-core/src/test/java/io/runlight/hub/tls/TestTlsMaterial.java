package io.runlight.hub.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.Base64;

import javax.net.ssl.X509KeyManager;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTlsMaterial
{
    @TempDir
    Path dir;

    @Test
    void aKeyFromAnotherPairIsRefusedNamingBothFiles()
    {
        TlsMaterial a = SelfSignedCertificate.loadOrCreate(dir.resolve("a"), Clock.systemUTC());
        TlsMaterial b = SelfSignedCertificate.loadOrCreate(dir.resolve("b"), Clock.systemUTC());

        assertThatThrownBy(() -> TlsMaterial.load(a.certificateFile(), b.keyFile()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS key '" + b.keyFile() + "' does not belong to certificate '" + a.certificateFile()
                        + "': give the key the certificate was issued for");
    }

    @Test
    void missingOrWrongFilesAreNamed()
            throws Exception
    {
        TlsMaterial good = SelfSignedCertificate.loadOrCreate(dir, Clock.systemUTC());
        Path missing = dir.resolve("nope.pem");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a pem file\n");

        assertThatThrownBy(() -> TlsMaterial.load(missing, good.keyFile()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS certificate file '" + missing + "' cannot be read: check the path and its permissions");
        assertThatThrownBy(() -> TlsMaterial.load(good.certificateFile(), missing))
                .hasMessage("TLS key file '" + missing + "' cannot be read: check the path and its permissions");
        assertThatThrownBy(() -> TlsMaterial.load(garbage, good.keyFile()))
                .hasMessage("TLS certificate file '" + garbage + "' does not hold a PEM certificate: expected '-----BEGIN CERTIFICATE-----'");
        assertThatThrownBy(() -> TlsMaterial.load(good.certificateFile(), garbage))
                .hasMessage("TLS key file '" + garbage + "' holds no private key: expected '-----BEGIN PRIVATE KEY-----'");
        assertThatThrownBy(() -> TlsMaterial.load(good.certificateFile(), good.certificateFile()))
                .hasMessage("TLS key file '" + good.certificateFile() + "' holds no private key: expected '-----BEGIN PRIVATE KEY-----'");
    }

    @Test
    void acceptsATraditionalEcPrivateKeyAndHandsVertxItsKeyAndChain()
            throws Exception
    {
        Path certificateDir = dir.resolve("self");
        TlsMaterial generated = SelfSignedCertificate.loadOrCreate(certificateDir, Clock.systemUTC());
        KeyPair unrelated = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path rsaKey = dir.resolve("rsa-key.pem");
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(rsaKey))) {
            writer.writeObject(unrelated);
        }
        assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThatThrownBy(() -> TlsMaterial.load(generated.certificateFile(), rsaKey))
                .hasMessageStartingWith("TLS key '" + rsaKey + "' does not belong to certificate");

        // the form openssl writes: SEC1 "EC PRIVATE KEY" with the curve named inside
        ECPrivateKey ecKey = (ECPrivateKey) new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(Base64.getMimeDecoder().decode(
                Files.readString(generated.keyFile()).replaceAll("-----[A-Z ]+-----", "").strip())));
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ecKey.getS(), new X962Parameters(SECObjectIdentifiers.secp256r1)).getEncoded();
        Path traditional = dir.resolve("ec-key.pem");
        Files.writeString(traditional, PemBlocks.write("EC PRIVATE KEY", sec1));

        TlsMaterial loaded = TlsMaterial.load(generated.certificateFile(), traditional);

        assertThat(Files.readString(traditional)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        X509KeyManager keyManager = (X509KeyManager) loaded.keyCertOptions().getKeyManagerFactory(null).getKeyManagers()[0];
        String alias = keyManager.chooseServerAlias("EC", null, null);
        assertThat(((ECPrivateKey) keyManager.getPrivateKey(alias)).getS()).isEqualTo(ecKey.getS());
        assertThat(keyManager.getCertificateChain(alias)).containsExactly(generated.certificate());
        assertThat(loaded.sha256Fingerprint()).isEqualTo(generated.sha256Fingerprint());
        assertThat(loaded.toString()).doesNotContain("PRIVATE");
    }
}
