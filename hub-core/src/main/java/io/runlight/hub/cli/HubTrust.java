package io.runlight.hub.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of the CLI's hub client: the system's CAs, optionally plus a PEM file (the
 * hub's self-signed certificate or a private CA), or, with {@code --insecure}, anything.
 */
final class HubTrust
{
    private HubTrust() {}

    /** The JDK's default trust: the system's CAs. */
    static SSLContext systemCas()
    {
        return context(null);
    }

    /** The system's CAs and every certificate in {@code pemFile}. */
    static SSLContext systemCasAnd(Path pemFile)
    {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int index = 0;
            for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
                trust.setCertificateEntry("system-" + index++, ca);
            }
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(pemFile)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("'" + pemFile + "' holds no PEM certificate: give the hub's certificate (cert.pem in the hub's tls folder).");
            }
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("given-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return context(factory.getTrustManagers());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the certificate file '" + pemFile + "'", e);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("'" + pemFile + "' is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** Accepts any certificate for any host name: {@code --insecure}. */
    static SSLContext anyCertificate()
    {
        return context(new TrustManager[] {new AnyCertificate()});
    }

    private static X509TrustManager defaultTrustManager()
            throws GeneralSecurityException
    {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK has no default X.509 trust manager");
    }

    private static SSLContext context(TrustManager[] trustManagers)
    {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, null);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Trusts everything. Being an extended trust manager, it also replaces the JDK's host name
     * check, which the JDK runs only inside its own trust manager.
     */
    private static final class AnyCertificate
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
