package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.JwtKeySettings;
import io.runlight.hub.auth.JwtKeys;
import io.runlight.hub.auth.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code runlight admin-token}: mints a short-lived JWT signed by the hub's own key, so a
 * single machine works with no IdP (docs/architecture.md, decision 5). Makes the key pair if the data
 * folder has none yet, exactly as the first {@code runlight serve} would. Prints only the
 * token, so {@code export RUNLIGHT_TOKEN=$(runlight admin-token)} works.
 */
@Command(
        name = "admin-token",
        mixinStandardHelpOptions = true,
        versionProvider = VersionLines.class,
        description = {
                "Mint a short-lived JWT signed by the hub's own key (made in the data folder on first use).",
                "The token is printed on stdout."})
public final class AdminTokenCommand
        implements Callable<Integer>
{
    private static final Logger log = LoggerFactory.getLogger(AdminTokenCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:RUNLIGHT_DATA_DIR:-./runlight-data}",
            description = "The hub's data folder, holding keys/ (default: $RUNLIGHT_DATA_DIR or ./runlight-data; now ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long the token is valid: ISO-8601 (PT15M, P14D) or short (15m, 12h, 14d). Default: ${DEFAULT-VALUE}.")
    private Duration ttl;

    @Option(names = "--role", paramLabel = "admin|ingest|read", defaultValue = "admin", converter = RoleConverter.class,
            description = "The role the token grants; admin implies ingest and read. Default: ${DEFAULT-VALUE}.")
    private Role role;

    @Option(names = "--subject", paramLabel = "S", defaultValue = "runlight-admin-token",
            description = "The token's subject (sub claim): who uses it. Default: ${DEFAULT-VALUE}.")
    private String subject;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text", converter = OutputConverter.class,
            description = "text prints the token alone; json prints {\"token\", \"role\", \"subject\", \"expiresAt\"}. Default: ${DEFAULT-VALUE}.")
    private String output;

    @Override
    public Integer call()
            throws InterruptedException
    {
        if (ttl.isNegative() || ttl.toSeconds() < 1) {
            throw new ParameterException(spec.commandLine(), "--ttl '" + ttl + "' is too short: give at least one second, such as 15m");
        }
        if (subject.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--subject is empty: say who or what uses the token");
        }
        JwtKeys keys = JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir));
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        Vertx vertx = Vertx.vertx();
        String token;
        try {
            token = new AdminTokens(keys.createAuth(vertx), clock).mint(role, ttl, subject);
        }
        finally {
            close(vertx);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            out.println(new JsonObject()
                    .put("token", token)
                    .put("role", role.claimValue())
                    .put("subject", subject)
                    .put("expiresAt", clock.instant().plus(ttl).toString())
                    .encode());
        }
        else {
            out.println(token);
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    private static void close(Vertx vertx)
            throws InterruptedException
    {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException | TimeoutException e) {
            // the token is already minted: a slow shutdown of the helper Vert.x instance does not change it
            log.debug("Vert.x did not close cleanly", e);
        }
    }

    /** {@code admin}, {@code ingest} or {@code read}, in any case. */
    static final class RoleConverter
            implements ITypeConverter<Role>
    {
        @Override
        public Role convert(String value)
        {
            try {
                return Role.parse(value);
            }
            catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code text} or {@code json}. */
    static final class OutputConverter
            implements ITypeConverter<String>
    {
        @Override
        public String convert(String value)
        {
            if (value.equals("text") || value.equals("json")) {
                return value;
            }
            throw new TypeConversionException("output '" + value + "' is not known: use text or json");
        }
    }
}
