package io.runlight.hub.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSelfSignedCertificate
{
    @TempDir
    Path dataDir;

    private Vertx vertx;

    @BeforeEach
    void setUp()
    {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown()
            throws Exception
    {
        await(vertx.close());
    }

    @Test
    void makesTheCertificateOnceAndReusesIt()
            throws Exception
    {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        TlsMaterial first = SelfSignedCertificate.loadOrCreate(dataDir, Clock.fixed(now, ZoneOffset.UTC));

        Path certificateFile = dataDir.resolve("tls/cert.pem");
        Path keyFile = dataDir.resolve("tls/key.pem");
        assertThat(first.certificateFile()).isEqualTo(certificateFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(certificateFile)).startsWith("-----BEGIN CERTIFICATE-----\n");
        X509Certificate certificate = first.certificate();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=runlight");
        assertThat(certificate.getIssuerX500Principal().getName()).isEqualTo("CN=runlight");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(825)));
        assertThat(subjectAlternativeNames(certificate)).startsWith("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(first.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

        TlsMaterial second = SelfSignedCertificate.loadOrCreate(dataDir, Clock.fixed(now.plus(Duration.ofDays(30)), ZoneOffset.UTC));
        assertThat(second.sha256Fingerprint()).isEqualTo(first.sha256Fingerprint());

        TlsMaterial renewed = SelfSignedCertificate.loadOrCreate(dataDir, Clock.fixed(now.plus(Duration.ofDays(826)), ZoneOffset.UTC));
        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
    }

    @Test
    void servesHttpsToClientsThatTrustTheCertificateOrTrustAll()
            throws Exception
    {
        TlsMaterial material = SelfSignedCertificate.loadOrCreate(dataDir, Clock.systemUTC());
        HttpServer server = await(vertx.createHttpServer(material.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0)))
                .requestHandler(request -> request.response().end("secure " + request.isSSL()))
                .listen());
        int port = server.actualPort();

        HttpClientAgent trusting = vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(material.certificatePem()))));
        HttpClientAgent trustAll = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        HttpClientAgent defaultTrust = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true));

        assertThat(get(trusting, port, "localhost")).isEqualTo("secure true");
        assertThat(get(trusting, port, "127.0.0.1")).isEqualTo("secure true");
        assertThat(get(trustAll, port, "127.0.0.1")).isEqualTo("secure true");
        assertThatThrownBy(() -> get(defaultTrust, port, "localhost")).isInstanceOf(ExecutionException.class);
    }

    private static String get(HttpClientAgent client, int port, String host)
            throws Exception
    {
        Future<String> body = client.request(HttpMethod.GET, port, host, "/")
                .compose(request -> request.send())
                .compose(HttpClientResponse::body)
                .map(Buffer::toString);
        return body.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<String> subjectAlternativeNames(X509Certificate certificate)
            throws Exception
    {
        List<String> names = new ArrayList<>();
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
            names.add((String) name.get(1));
        }
        return names;
    }

    private static <T> T await(Future<T> future)
            throws Exception
    {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
