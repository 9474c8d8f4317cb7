package io.runlight.dist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import static java.util.Objects.requireNonNull;

/**
 * HTTP(S) calls to a distribution hub. The HTTPS client trusts every certificate and
 * host name, as Snyk's monitor does (it does not verify); responses are decompressed
 * when the server compressed them, as a client sending {@code Accept-Encoding} must.
 */
final class HubHttp
{
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient client;

    HubHttp()
    {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(trustingEveryCertificate())
                .build();
    }

    /** Status, content type, content encoding and the (decompressed) body text. */
    record Response(int status, Optional<String> contentType, Optional<String> contentEncoding, String body)
    {
        Response
        {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(contentEncoding, "contentEncoding is null");
            requireNonNull(body, "body is null");
        }
    }

    Response send(HttpRequest.Builder request)
            throws IOException, InterruptedException
    {
        HttpResponse<byte[]> response = client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        Optional<String> encoding = response.headers().firstValue("Content-Encoding");
        byte[] body = response.body();
        if (encoding.isPresent()) {
            body = decode(encoding.get(), body);
        }
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type"), encoding, new String(body, StandardCharsets.UTF_8));
    }

    Response get(String url, String bearer)
            throws IOException, InterruptedException
    {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).GET());
    }

    Response post(String url, String bearer, String contentType, String body)
            throws IOException, InterruptedException
    {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response delete(String url, String bearer)
            throws IOException, InterruptedException
    {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).DELETE());
    }

    private static byte[] decode(String encoding, byte[] body)
            throws IOException
    {
        InputStream in = switch (encoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(body));
            case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(body));
            case "identity" -> new ByteArrayInputStream(body);
            default -> throw new IllegalStateException("the hub answered with content encoding '" + encoding + "', which this client cannot decode");
        };
        try (in) {
            return in.readAllBytes();
        }
    }

    private static SSLContext trustingEveryCertificate()
    {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingEverything()}, new SecureRandom());
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make a TLS context", e);
        }
    }

    /** An extended trust manager checks host names itself; this one checks nothing, like the monitor. */
    private static final class TrustingEverything
            extends X509ExtendedTrustManager
    {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
