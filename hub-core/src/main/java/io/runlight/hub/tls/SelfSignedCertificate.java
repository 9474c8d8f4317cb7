package io.runlight.hub.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The certificate the hub serves HTTPS with when none is configured (docs/architecture.md, decision 6):
 * an EC P-256 key and a self-signed X.509 certificate, CN=runlight, valid 825 days, for
 * localhost, 127.0.0.1, ::1 and this machine's host name. Made once in
 * {@code <dataDir>/tls/} ({@code cert.pem}, {@code key.pem} with mode 0600) and reused on
 * later starts, so clients that pinned it keep working; made again only when it expired
 * or a file is missing.
 */
public final class SelfSignedCertificate
{
    public static final String CERTIFICATE_FILE = "cert.pem";
    public static final String KEY_FILE = "key.pem";
    /** The longest validity browsers accept for a server certificate. */
    public static final Duration VALIDITY = Duration.ofDays(825);
    public static final String COMMON_NAME = "runlight";

    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private SelfSignedCertificate() {}

    /** The certificate in {@code <dataDir>/tls/}, made first if needed. Blocking: call it at start-up. */
    public static TlsMaterial loadOrCreate(Path dataDir, Clock clock)
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(clock, "clock is null");
        Path directory = dataDir.resolve("tls");
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            TlsMaterial existing = TlsMaterial.load(certificateFile, keyFile);
            if (clock.instant().isBefore(existing.notAfter())) {
                return existing;
            }
            log.warn("The self-signed TLS certificate '{}' expired on {}: making a new one (clients that pinned it must trust the new one)",
                    certificateFile, existing.notAfter());
        }
        else if (Files.exists(certificateFile) || Files.exists(keyFile)) {
            log.warn("Only one of '{}' and '{}' exists: making a new self-signed certificate", certificateFile, keyFile);
        }
        create(directory, certificateFile, keyFile, clock.instant(), subjectAlternativeNames());
        return TlsMaterial.load(certificateFile, keyFile);
    }

    private static void create(Path directory, Path certificateFile, Path keyFile, Instant now, List<GeneralName> names)
    {
        KeyPair pair;
        X509Certificate certificate;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + COMMON_NAME);
            BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    serial,
                    // an hour back, so a client whose clock is a little behind accepts it at once
                    Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)),
                    subject,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        }
        catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make a self-signed TLS certificate with this Java runtime", e);
        }
        try {
            PrivateFiles.createPrivateDirectory(directory);
            PrivateFiles.writeAtomically(keyFile, PemBlocks.write("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            PrivateFiles.writeAtomically(certificateFile, PemBlocks.write("CERTIFICATE", certificate.getEncoded()), false);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed TLS certificate to '" + directory + "': check that the data folder is writable", e);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the self-signed TLS certificate", e);
        }
        log.info("Created a self-signed TLS certificate in '{}', valid until {}", directory, certificate.getNotAfter().toInstant());
    }

    private static List<GeneralName> subjectAlternativeNames()
    {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        try {
            String hostName = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            if (!hostName.equals("localhost") && DNS_NAME.matcher(hostName).matches()) {
                names.add(new GeneralName(GeneralName.dNSName, hostName));
            }
        }
        catch (UnknownHostException e) {
            log.warn("Cannot find this machine's host name; the self-signed certificate names only localhost, 127.0.0.1 and ::1", e);
        }
        return names;
    }
}
