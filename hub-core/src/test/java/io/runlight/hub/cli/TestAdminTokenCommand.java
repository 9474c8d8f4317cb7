package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.auth.JwtKeySettings;
import io.runlight.hub.auth.JwtKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class TestAdminTokenCommand
{
    @TempDir
    Path dataDir;

    @Test
    void printsAJwtThatTheHubsKeysVerify()
            throws Exception
    {
        Result result = run("--data-dir", dataDir.toString(), "--ttl", "15m", "--role", "ingest", "--subject", "ci-pipeline");

        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.err()).isEmpty();
        String token = result.out().strip();
        assertThat(result.out()).isEqualTo(token + System.lineSeparator());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("keys/jwt-es256-private.pem")))).isEqualTo("rw-------");
        JsonObject claims = claims(token);
        assertThat(claims.getString("sub")).isEqualTo("ci-pipeline");
        assertThat(claims.getString("iss")).isEqualTo("runlight");
        assertThat(claims.getString("role")).isEqualTo("ingest");
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);

        Vertx vertx = Vertx.vertx();
        try {
            User user = JwtKeys.load(JwtKeySettings.ownKeyOnly(dataDir)).createAuth(vertx)
                    .authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(user.principal().getString("sub")).isEqualTo("ci-pipeline");
        }
        finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void defaultsToAnAdminTokenForOneHourAndReusesTheKey()
            throws Exception
    {
        Result first = run("--data-dir", dataDir.toString());
        String privateKey = Files.readString(dataDir.resolve("keys/jwt-es256-private.pem"));
        Result second = run("--data-dir", dataDir.toString(), "--ttl", "PT2H", "--output", "json");

        assertThat(first.exitCode()).isEqualTo(0);
        JsonObject claims = claims(first.out().strip());
        assertThat(claims.getString("role")).isEqualTo("admin");
        assertThat(claims.getString("sub")).isEqualTo("runlight-admin-token");
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(3600);
        assertThat(Files.readString(dataDir.resolve("keys/jwt-es256-private.pem"))).isEqualTo(privateKey);
        JsonObject json = new JsonObject(second.out());
        assertThat(json.fieldNames()).containsExactly("token", "role", "subject", "expiresAt");
        assertThat(claims(json.getString("token")).getLong("exp")).isEqualTo(Instant.parse(json.getString("expiresAt")).getEpochSecond());
    }

    @Test
    void badOptionsAreUsageErrors()
    {
        Result badTtl = run("--data-dir", dataDir.toString(), "--ttl", "soon");
        Result badRole = run("--data-dir", dataDir.toString(), "--role", "root");
        Result zeroTtl = run("--data-dir", dataDir.toString(), "--ttl", "0s");

        assertThat(badTtl.exitCode()).isEqualTo(2);
        assertThat(badTtl.err()).startsWith("Invalid value for option '--ttl': duration 'soon' is not valid: use ISO-8601 (PT15M, P14D) or a number with a unit (30s, 15m, 12h, 14d)");
        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err()).startsWith("Invalid value for option '--role': role 'root' is not known: use admin, ingest or read");
        assertThat(zeroTtl.exitCode()).isEqualTo(2);
        assertThat(zeroTtl.err()).startsWith("--ttl 'PT0S' is too short: give at least one second, such as 15m");
        assertThat(badTtl.out()).isEmpty();
        assertThat(Files.exists(dataDir.resolve("keys"))).isFalse();
    }

    private static JsonObject claims(String jwt)
    {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static Result run(String... args)
    {
        CommandLine commandLine = new CommandLine(new AdminTokenCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
