package io.runlight.hub.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import io.runlight.agent.delivery.HubConnection;
import io.runlight.hub.client.HubApiClient;
import io.runlight.hub.tls.SelfSignedCertificate;

/**
 * The options every command that talks to a running hub shares (a picocli mixin): where the
 * hub is, the bearer token, which certificate to trust and how to print. The hub's own
 * self-signed certificate is trusted without a flag when the hub's data folder is known:
 * {@code <data-dir>/tls/cert.pem} with {@code --data-dir}, or {@code ./runlight-data/tls/cert.pem}
 * for a hub on 127.0.0.1 or localhost.
 */
final class HubCommandOptions
{
    static final String DEFAULT_HUB = "https://127.0.0.1:8443";
    private static final Path DEFAULT_DATA_DIR = Path.of("runlight-data");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    /** Where the hub keeps its self-signed certificate inside its data folder. */
    private static final String TLS_FOLDER = "tls";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final String TOKEN_VARIABLE = "RUNLIGHT_TOKEN";
    private static final String ADMIN_TOKEN_VARIABLE = "RUNLIGHT_ADMIN_TOKEN";

    @Option(names = "--hub", paramLabel = "URL", defaultValue = "${env:RUNLIGHT_HUB:-" + DEFAULT_HUB + "}",
            description = "The hub's base URL (default: $RUNLIGHT_HUB or " + DEFAULT_HUB + ").")
    String hub;

    // no ${DEFAULT-VALUE} in the descriptions: --help must never print a token
    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:" + TOKEN_VARIABLE + "}",
            description = "Bearer token for the hub: a JWT from `runlight admin-token`, or an ingest token (rlt_…) for `ingest` (default: $" + TOKEN_VARIABLE + ").")
    String token;

    @Option(names = "--admin-token", paramLabel = "T", defaultValue = "${env:" + ADMIN_TOKEN_VARIABLE + "}",
            description = "The same as --token, under its earlier name (default: $" + ADMIN_TOKEN_VARIABLE + ").")
    String adminToken;

    @Option(names = "--insecure",
            description = "Accept any certificate the hub presents (for a hub with a self-signed certificate you cannot reach otherwise).")
    boolean insecure;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM file with the certificate(s) to trust for the hub, besides the system's CAs.")
    Path caCert;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:RUNLIGHT_DATA_DIR}",
            description = "The hub's data folder: its tls/cert.pem is trusted (default: $RUNLIGHT_DATA_DIR; ./runlight-data is tried for a hub on this machine).")
    Path dataDir;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table", converter = OutputFormat.Converter.class,
            description = "table prints aligned columns; json prints the hub's JSON answer, pretty-printed. Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    /** A client for the hub these options name; a missing token or a bad URL or file is bad usage. */
    HubApiClient client(CommandSpec spec)
    {
        URI base = base(spec);
        String bearer = bearerToken(spec);
        return new HubApiClient(base, bearer, httpClient(spec, base));
    }

    /** The node agent's connection to the hub these options name, checked as for {@link #client}. */
    HubConnection agentConnection(CommandSpec spec)
    {
        URI base = base(spec);
        String bearer = bearerToken(spec);
        return new HubConnection(base, bearer, httpClient(spec, base));
    }

    private HttpClient httpClient(CommandSpec spec, URI base)
    {
        if (insecure && caCert != null) {
            throw new ParameterException(spec.commandLine(), "--insecure and --ca-cert contradict each other: give one of them.");
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        if (base.getScheme().equals("https")) {
            builder.sslContext(sslContext(spec, base));
        }
        return builder.build();
    }

    /**
     * The token of --token or --admin-token, which are one setting under two names. A flag
     * beats the environment, as --hub beats RUNLIGHT_HUB; two different tokens at the same
     * level are bad usage rather than a silent pick.
     */
    private String bearerToken(CommandSpec spec)
    {
        ParseResult parsed = spec.commandLine().getParseResult();
        boolean tokenFlag = parsed.hasMatchedOption("--token");
        boolean adminTokenFlag = parsed.hasMatchedOption("--admin-token");
        Optional<String> chosen;
        if (tokenFlag || adminTokenFlag) {
            chosen = agreed(spec, tokenFlag ? present(token) : Optional.empty(), adminTokenFlag ? present(adminToken) : Optional.empty(),
                    "--token and --admin-token name different tokens: give one of them (they are the same setting).");
        }
        else {
            chosen = agreed(spec, present(token), present(adminToken),
                    TOKEN_VARIABLE + " and " + ADMIN_TOKEN_VARIABLE + " hold different tokens: unset one of them (they are the same setting) or give --token T.");
        }
        return chosen.orElseThrow(() -> new ParameterException(spec.commandLine(),
                "No token for the hub: give --token T or set " + TOKEN_VARIABLE + " (`runlight admin-token` mints one; `runlight token create` makes an ingest token)."));
    }

    private static Optional<String> agreed(CommandSpec spec, Optional<String> first, Optional<String> second, String conflict)
    {
        if (first.isPresent() && second.isPresent() && !first.get().equals(second.get())) {
            throw new ParameterException(spec.commandLine(), conflict);
        }
        return first.or(() -> second);
    }

    private static Optional<String> present(String value)
    {
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }

    /** Where the output goes and in which format; csv is bad usage (only some commands have a CSV form, see {@link #outputAllowingCsv}). */
    CommandOutput output(CommandSpec spec)
    {
        if (output == OutputFormat.CSV) {
            throw new ParameterException(spec.commandLine(), "--output csv is not available for this command: use table or json (csv is for `runlight vulns`).");
        }
        return new CommandOutput(spec.commandLine().getOut(), output);
    }

    /** The chosen format, csv included, for a command that can print CSV. */
    OutputFormat outputAllowingCsv()
    {
        return output;
    }

    private URI base(CommandSpec spec)
    {
        String text = hub.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        }
        catch (URISyntaxException e) {
            // reported below with the accepted form
        }
        throw new ParameterException(spec.commandLine(), "--hub '" + hub + "' is not a hub URL: give one such as " + DEFAULT_HUB + ".");
    }

    private SSLContext sslContext(CommandSpec spec, URI base)
    {
        if (insecure) {
            return HubTrust.anyCertificate();
        }
        if (caCert != null) {
            if (!Files.isReadable(caCert)) {
                throw new ParameterException(spec.commandLine(), "--ca-cert '" + caCert + "' is not a readable file.");
            }
            return HubTrust.systemCasAnd(caCert);
        }
        Optional<Path> ownCertificate = ownCertificate(base);
        if (ownCertificate.isPresent()) {
            return HubTrust.systemCasAnd(ownCertificate.get());
        }
        return HubTrust.systemCas();
    }

    private Optional<Path> ownCertificate(URI base)
    {
        if (dataDir != null) {
            Path certificate = dataDir.resolve(TLS_FOLDER).resolve(SelfSignedCertificate.CERTIFICATE_FILE);
            return Files.isReadable(certificate) ? Optional.of(certificate) : Optional.empty();
        }
        Path certificate = DEFAULT_DATA_DIR.resolve(TLS_FOLDER).resolve(SelfSignedCertificate.CERTIFICATE_FILE);
        if (LOOPBACK_HOSTS.contains(base.getHost().toLowerCase(Locale.ROOT)) && Files.isReadable(certificate)) {
            return Optional.of(certificate);
        }
        return Optional.empty();
    }
}
