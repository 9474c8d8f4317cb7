package io.runlight.hub.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.runlight.hub.auth.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, defect 9: the HTTPS listener offers TLS 1.3 and AEAD suites of TLS 1.2 only,
 * says Strict-Transport-Security, and no API answer (token secrets among them) may be
 * cached.
 */
@ExtendWith(SharedHub.class)
final class TestTransportSecurity
{
    private static RunningHub hub;

    @BeforeAll
    static void takeSharedHub(RunningHub shared)
    {
        hub = shared;
    }

    @Test
    void tls12OffersNoCbcSuite()
            throws Exception
    {
        int port = hub.hub().httpsPort().orElseThrow();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
        String[] cbc = Arrays.stream(context.getSupportedSSLParameters().getCipherSuites()).filter(suite -> suite.contains("_CBC_")).toArray(String[]::new);
        assertThat(cbc).isNotEmpty();

        assertThatThrownBy(() -> handshake(context, port, "TLSv1.2", cbc)).isInstanceOf(SSLHandshakeException.class);
        assertThat(handshake(context, port, "TLSv1.2", context.getSupportedSSLParameters().getCipherSuites())).contains("_GCM_");
        assertThat(handshake(context, port, "TLSv1.3", context.getSupportedSSLParameters().getCipherSuites())).startsWith("TLS_AES_");
    }

    @Test
    void httpsAnswersSayStrictTransportSecurityAndApiAnswersAreNeverStored()
    {
        String admin = hub.jwt(Role.ADMIN);
        RunningHub.Response overTls = hub.sendTls("GET", "/health/live", null, null, null);
        assertThat(overTls.header("Strict-Transport-Security")).contains("max-age=31536000");
        assertThat(hub.get("/health/live", null).header("Strict-Transport-Security")).isEmpty();

        RunningHub.Response created = hub.postJson("/api/v1/tokens", admin, "{\"name\": \"ci\", \"expiresIn\": \"P1M\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).contains("no-store");
        assertThat(hub.sendTls("GET", "/api/v1/tokens", admin, null, null).header("Cache-Control")).contains("no-store");
        assertThat(hub.get("/api/v1/nothing-here", admin).header("Cache-Control")).contains("no-store");
    }

    private static String handshake(SSLContext context, int port, String protocol, String[] suites)
            throws IOException
    {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(suites);
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }

    /** The test checks what the server offers, not who it is. */
    private static final class TrustingEveryone
            implements X509TrustManager
    {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
        {
            throw new UnsupportedOperationException("no client certificates here");
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
        {
            // deliberately trusting: the hub's certificate is self-signed and not under test
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers()
        {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
