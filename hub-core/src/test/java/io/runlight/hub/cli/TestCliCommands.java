package io.runlight.hub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.token.TokenExpiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every admin command of the CLI against a real hub in this JVM: table and JSON output,
 * exit codes, the secret shown once, bad usage (2), a refused request and an unreachable
 * or untrusted hub (1, one sentence).
 */
final class TestCliCommands
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPINE_DIGEST = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";
    private static final String NL = System.lineSeparator();

    @TempDir
    static Path dataDir;

    @TempDir
    static Path files;

    private static CliHub hub;

    @BeforeAll
    static void start()
            throws IOException
    {
        // 31 partitions, as every member of these tests (hub-core/pom.xml)
        hub = CliHub.start(dataDir);
    }

    @AfterAll
    static void stop()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void tokenCreateListRenewDelete()
    {
        CliHub.Result created = hub.admin("token", "create", "--name", "ci upload", "--expires-in", "P3M");

        assertThat(created.exitCode()).as(created.toString()).isEqualTo(0);
        assertThat(created.err()).isEqualTo(TokenCommand.SHOWN_ONCE + NL);
        Matcher fields = Pattern.compile("""
                id:           (tok_\\S+)
                name:         ci upload
                scope:        ingest
                integration:  -
                prefix:       (rlt_\\S+)
                expires:      (\\S+)
                secret:       (rlt_[0-9A-Za-z]{36})
                """.replace("\n", NL)).matcher(created.out());
        assertThat(fields.matches()).as(created.out()).isTrue();
        String id = fields.group(1);
        assertThat(fields.group(4)).startsWith(fields.group(2));
        assertThat(date(fields.group(3))).isEqualTo(date(TokenExpiry.P3M.expiresAt(Instant.now()).toString()));

        CliHub.Result json = hub.admin("token", "create", "--name", "second", "--expires-in", "p1m", "--output", "json");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(0);
        assertThat(json.err()).isEqualTo(TokenCommand.SHOWN_ONCE + NL);
        JsonNode second = parse(json.out());
        assertThat(second.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "name", "prefix", "scope", "expiresAt", "secret");
        assertThat(second.path("scope").asText()).isEqualTo("ingest");
        assertThat(json.out()).startsWith("{" + NL + "  \"id\" : \"" + second.path("id").asText() + "\",");

        CliHub.Result list = hub.admin("token", "list");
        assertThat(list.exitCode()).as(list.toString()).isEqualTo(0);
        assertThat(list.err()).isEmpty();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +NAME +SCOPE +INTEGRATION +PREFIX +CREATED +EXPIRES +LAST USED +STATUS");
        String row = lines.stream().filter(line -> line.startsWith(id + " ")).findFirst().orElseThrow();
        assertThat(row).matches(Pattern.quote(id) + " +ci upload +ingest +- +" + Pattern.quote(fields.group(2))
                + " +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +" + Pattern.quote(fields.group(3)) + " +- +ACTIVE");
        assertAligned(lines, "STATUS", "ACTIVE");
        assertThat(list.out()).doesNotContain(fields.group(4)).doesNotContain(second.path("secret").asText());

        JsonNode listed = parse(hub.admin("token", "list", "-o", "json").out());
        assertThat(listed.isArray()).isTrue();
        assertThat(listed.findValuesAsText("id")).contains(id, second.path("id").asText());
        assertThat(listed.findValues("secret")).isEmpty();

        CliHub.Result renewed = hub.admin("token", "renew", id, "--expires-in", "P1Y");
        assertThat(renewed.exitCode()).as(renewed.toString()).isEqualTo(0);
        assertThat(renewed.out()).contains("id:           " + id + NL, "status:       ACTIVE" + NL)
                .contains("expires:      " + date(TokenExpiry.P1Y.expiresAt(Instant.now()).toString()));
        assertThat(renewed.out()).doesNotContain("secret");
        JsonNode renewedJson = parse(hub.admin("token", "renew", id, "--expires-in", "P6M", "--output", "json").out());
        assertThat(date(renewedJson.path("expiresAt").asText())).isEqualTo(date(TokenExpiry.P6M.expiresAt(Instant.now()).toString()));

        CliHub.Result deleted = hub.admin("token", "delete", id);
        assertThat(deleted.exitCode()).as(deleted.toString()).isEqualTo(0);
        assertThat(deleted.out()).isEqualTo("Deleted token '" + id + "'." + NL);
        CliHub.Result again = hub.admin("token", "delete", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).isEqualTo("runlight: the hub refused the request: No token '" + id + "' (HTTP 404)" + NL);
        CliHub.Result renewMissing = hub.admin("token", "renew", id, "--expires-in", "P1M");
        assertThat(renewMissing.exitCode()).isEqualTo(1);
        assertThat(renewMissing.err()).isEqualTo("runlight: the hub refused the request: No token '" + id + "' (HTTP 404)" + NL);
        // a 204 has no JSON to print: stdout stays empty, the exit code says it worked
        CliHub.Result deletedJson = hub.admin("token", "delete", second.path("id").asText(), "--output", "json");
        assertThat(deletedJson.exitCode()).isEqualTo(0);
        assertThat(deletedJson.out()).isEmpty();
    }

    @Test
    void pluginAndIntegrationCommands()
            throws IOException
    {
        CliHub.Result plugins = hub.admin("plugin", "list");
        assertThat(plugins.exitCode()).as(plugins.toString()).isEqualTo(0);
        List<String> pluginLines = plugins.out().lines().toList();
        assertThat(pluginLines.get(0)).matches("ID +VERSION +STATE +CONNECTORS +JAR +ERROR");
        assertThat(pluginLines.get(1)).matches("echo-plugin +1\\.0\\.0 +STARTED +echo: \\S.* +echo\\.jar +-");
        JsonNode pluginJson = parse(hub.admin("plugin", "list", "--output", "json").out());
        assertThat(pluginJson.path(0).path("id").asText()).isEqualTo("echo-plugin");
        assertThat(pluginJson.path(0).path("connectors").path(0).path("id").asText()).isEqualTo("echo");
        assertThat(pluginJson.path(0).path("connectors").path(0).path("configProperties").findValuesAsText("name")).contains("target", "apiKey");

        CliHub.Result created = hub.admin("integration", "create", "--plugin", "echo", "--name", "Third party", "--expires-in", "P3M",
                "--config", "target=" + hub.receiverUrl(), "--config", "apiKey=" + CliHub.RECEIVER_KEY, "--config", "tags=a, b");
        assertThat(created.exitCode()).as(created.toString()).isEqualTo(0);
        assertThat(created.err()).isEqualTo(TokenCommand.SHOWN_ONCE + NL);
        Matcher fields = Pattern.compile("""
                id:                  (int_\\S+)
                name:                Third party
                plugin:              echo-plugin
                connector:           echo
                state:               ACTIVE
                created:             \\S+
                last success:        -
                last error at:       -
                last error:          -
                pending deliveries:  0
                dead deliveries:     0
                circuit:             DISABLED
                token:               (tok_\\S+)
                token expires:       (\\S+)
                token secret:        (rlt_[0-9A-Za-z]{36})
                config.apiKey:       \\*\\*\\*\\*
                config.tags:         a, b
                config.target:       %s
                """.formatted(Pattern.quote(hub.receiverUrl())).replace("\n", NL)).matcher(created.out());
        assertThat(fields.matches()).as(created.out()).isTrue();
        String id = fields.group(1);
        assertThat(date(fields.group(3))).isEqualTo(date(TokenExpiry.P3M.expiresAt(Instant.now()).toString()));

        Path configFile = files.resolve("echo-config.json");
        Files.writeString(configFile, "{\"target\": \"" + hub.receiverUrl() + "\", \"apiKey\": \"wrong\", \"labels\": {\"team\": \"sec\"}, \"tags\": \"x\"}");
        CliHub.Result fromFile = hub.admin("integration", "create", "--plugin", "echo-plugin", "--name", "From file", "--expires-in", "P1M",
                "--config-file", configFile.toString(), "--config", "tags=y", "--output", "json");
        assertThat(fromFile.exitCode()).as(fromFile.toString()).isEqualTo(0);
        JsonNode second = parse(fromFile.out());
        assertThat(second.path("config")).isEqualTo(parse("{\"target\": \"" + hub.receiverUrl() + "\", \"apiKey\": \"****\", \"labels\": {\"team\": \"sec\"}, \"tags\": \"y\"}"));
        assertThat(second.path("token").fieldNames()).toIterable().containsExactly("id", "secret", "expiresAt");
        // created by its plugin's id, the integration uses the plugin's one connector
        assertThat(second.path("plugin").asText()).isEqualTo("echo-plugin");
        assertThat(second.path("connector").asText()).isEqualTo("echo");
        String secondId = second.path("id").asText();

        CliHub.Result list = hub.admin("integration", "list");
        assertThat(list.exitCode()).as(list.toString()).isEqualTo(0);
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +NAME +PLUGIN +CONNECTOR +STATE +PENDING +DEAD +LAST SUCCESS +LAST ERROR +TOKEN EXPIRES");
        assertThat(lines).anyMatch(line -> line.matches(Pattern.quote(id) + " +Third party +echo-plugin +echo +ACTIVE +0 +0 +- +- +" + Pattern.quote(fields.group(3))));
        assertThat(lines).anyMatch(line -> line.matches(Pattern.quote(secondId) + " +From file +echo-plugin +echo +ACTIVE +0 +0 +- +- +\\S+"));
        assertAligned(lines, "TOKEN EXPIRES", "20");
        assertThat(list.out()).doesNotContain(CliHub.RECEIVER_KEY).doesNotContain(fields.group(4));
        assertThat(parse(hub.admin("integration", "list", "--output", "json").out()).findValuesAsText("id")).contains(id, secondId);

        CliHub.Result shown = hub.admin("integration", "show", id);
        assertThat(shown.exitCode()).isEqualTo(0);
        assertThat(shown.out()).contains("id:                  " + id + NL, "token:               " + fields.group(2) + NL, "token status:        ACTIVE" + NL,
                "config.apiKey:       ****" + NL).doesNotContain("secret");
        assertThat(parse(hub.admin("integration", "show", id, "--output", "json").out()).path("token").path("status").asText()).isEqualTo("ACTIVE");

        CliHub.Result passed = hub.admin("integration", "test", id);
        assertThat(passed.exitCode()).as(passed.toString()).isEqualTo(0);
        assertThat(passed.out()).isEqualTo("Connection test passed: GET " + hub.receiverUrl() + "/health answered HTTP 200." + NL);
        CliHub.Result failed = hub.admin("integration", "test", secondId);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).isEqualTo("Connection test failed: GET " + hub.receiverUrl() + "/health answered HTTP 401: {\"error\":\"bad key\"}" + NL);
        assertThat(parse(hub.admin("integration", "test", secondId, "--output", "json").out()))
                .isEqualTo(parse("{\"ok\": false, \"status\": 401, \"message\": \"GET " + hub.receiverUrl() + "/health answered HTTP 401: {\\\"error\\\":\\\"bad key\\\"}\"}"));

        CliHub.Result paused = hub.admin("integration", "pause", id);
        assertThat(paused.exitCode()).isEqualTo(0);
        assertThat(paused.out()).isEqualTo("Integration '" + id + "' is PAUSED: Paused by an admin: resume it to serve and push again." + NL);
        CliHub.Result resumed = hub.admin("integration", "resume", id);
        assertThat(resumed.out()).isEqualTo("Integration '" + id + "' is ACTIVE." + NL);
        assertThat(parse(hub.admin("integration", "pause", id, "--output", "json").out()).path("state").asText()).isEqualTo("PAUSED");
        assertThat(parse(hub.admin("integration", "resume", id, "-o", "json").out()).path("state").asText()).isEqualTo("ACTIVE");

        // a token for the integration replaces its token
        CliHub.Result replaced = hub.admin("token", "create", "--name", "replacement", "--expires-in", "P6M", "--integration", id, "--output", "json");
        assertThat(replaced.exitCode()).as(replaced.toString()).isEqualTo(0);
        assertThat(parse(replaced.out()).path("scope").asText()).isEqualTo("integration");
        assertThat(parse(replaced.out()).path("integrationId").asText()).isEqualTo(id);

        CliHub.Result deleted = hub.admin("integration", "delete", id);
        assertThat(deleted.exitCode()).isEqualTo(0);
        assertThat(deleted.out()).isEqualTo("Deleted integration '" + id + "'; its token is revoked." + NL);
        for (String action : List.of("show", "delete", "pause", "resume", "test")) {
            CliHub.Result missing = hub.admin("integration", action, id);
            assertThat(missing.exitCode()).as(action).isEqualTo(1);
            assertThat(missing.out()).as(action).isEmpty();
            assertThat(missing.err()).as(action).isEqualTo("runlight: the hub refused the request: No integration '" + id + "' (HTTP 404)" + NL);
        }
        assertThat(hub.admin("integration", "delete", secondId, "--output", "json").out()).isEmpty();
    }

    @Test
    void integrationConfigurationErrorsAreListed()
            throws IOException
    {
        CliHub.Result invalid = hub.admin("integration", "create", "--plugin", "echo", "--name", "broken", "--expires-in", "P1M",
                "--config", "target=ftp://127.0.0.1/", "--config", "verbose=maybe");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err()).isEqualTo("runlight: the hub refused the request: The configuration for connector 'echo' has 3 errors; "
                + "fix every property listed in 'errors': target must be an absolute http or https URL such as https://example.com/path, not 'ftp://127.0.0.1/'; "
                + "apiKey is required; verbose must be true or false, not 'maybe' (HTTP 422)" + NL);

        CliHub.Result unknown = hub.admin("integration", "create", "--plugin", "nope", "--name", "x", "--expires-in", "P1M");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("runlight: the hub refused the request: No plugin or connector 'nope' is loaded: GET /api/v1/plugins lists the loaded plugins and their connectors; "
                + "add its plugin jar to the plugins folder (HTTP 422)" + NL);

        Path notAnObject = files.resolve("list.json");
        Files.writeString(notAnObject, "[1, 2]");
        CliHub.Result badFile = hub.admin("integration", "create", "--plugin", "echo", "--name", "x", "--expires-in", "P1M", "--config-file", notAnObject.toString());
        assertThat(badFile.exitCode()).isEqualTo(2);
        assertThat(badFile.err()).startsWith("--config-file '" + notAnObject + "' must hold a JSON object of configuration properties." + NL);

        CliHub.Result readOnly = CliHub.run("integration", "create", "--plugin", "echo", "--name", "x", "--expires-in", "P1M",
                "--hub", hub.httpUrl(), "--admin-token", hub.readJwt());
        assertThat(readOnly.exitCode()).isEqualTo(1);
        assertThat(readOnly.err()).startsWith("runlight: the hub refused the request: ").endsWith(" (HTTP 403)" + NL);
    }

    @Test
    void ingestCommandsSendEachFileAndReportIt()
            throws IOException
    {
        Path sbom = CliHub.fixture("sbom/alpine-3.17.2.syft.json", files);
        Path report = CliHub.fixture("vulns/alpine-3.17.2.grype.json", files);
        Path events = CliHub.fixture("events/alpine-3.17.2.ndjson", files);

        CliHub.Result sbomResult = hub.admin("ingest", "sbom", sbom.toString());
        assertThat(sbomResult.exitCode()).as(sbomResult.toString()).isEqualTo(0);
        assertThat(sbomResult.err()).isEmpty();
        List<String> sbomLines = sbomResult.out().lines().toList();
        assertThat(sbomLines).hasSize(2);
        assertThat(sbomLines.get(0)).matches("FILE +IMAGE +PACKAGES +FORMAT");
        assertThat(sbomLines.get(1)).matches(Pattern.quote(sbom.toString()) + " +" + ALPINE_DIGEST + " +\\d+ +\\S+");
        assertAligned(sbomLines, "IMAGE", "sha256");

        CliHub.Result reportResult = hub.admin("ingest", "vulns", report.toString(), "--output", "json");
        assertThat(reportResult.exitCode()).as(reportResult.toString()).isEqualTo(0);
        JsonNode reportJson = parse(reportResult.out());
        assertThat(reportJson.size()).isEqualTo(1);
        assertThat(reportJson.path(0).path("file").asText()).isEqualTo(report.toString());
        assertThat(reportJson.path(0).path("response").path("imageDigest").asText()).isEqualTo(ALPINE_DIGEST);
        assertThat(reportJson.path(0).path("response").path("vulnerabilities").asInt()).isPositive();
        assertThat(hub.admin("ingest", "vulns", report.toString()).out().lines().findFirst().orElseThrow()).matches("FILE +IMAGE +VULNERABILITIES +FORMAT");

        // a file over 1 MiB reports its progress on stderr (one line, as stderr is no terminal here)
        List<String> fixtureLines = Files.readAllLines(events);
        List<String> many = new ArrayList<>();
        while (many.stream().mapToLong(line -> line.length() + 1).sum() <= UploadProgress.THRESHOLD_BYTES + 100_000) {
            many.addAll(fixtureLines);
        }
        many.add("{\"not\": \"an event\"}");
        Path big = files.resolve("big.ndjson");
        Files.write(big, many, StandardCharsets.UTF_8);
        long bigSize = Files.size(big);

        CliHub.Result eventsResult = hub.admin("ingest", "events", events.toString(), big.toString());
        assertThat(eventsResult.exitCode()).as(eventsResult.toString()).isEqualTo(0);
        assertThat(eventsResult.err()).isEqualTo("big.ndjson: sent " + UploadProgress.size(bigSize) + " of " + UploadProgress.size(bigSize) + NL);
        List<String> eventLines = eventsResult.out().lines().toList();
        assertThat(eventLines.get(0)).matches("FILE +ACCEPTED +REJECTED");
        assertThat(eventLines.get(1)).matches(Pattern.quote(events.toString()) + " +" + fixtureLines.size() + " +0");
        assertThat(eventLines.get(2)).matches(Pattern.quote(big.toString()) + " +" + (many.size() - 1) + " +1");
        assertThat(eventLines).hasSize(4);
        assertThat(eventLines.get(3)).startsWith(big + ": rejected ");

        // the wrong kind of document is refused; the other files still go, and the exit code says something failed
        CliHub.Result mixed = hub.admin("ingest", "sbom", events.toString(), sbom.toString());
        assertThat(mixed.exitCode()).isEqualTo(1);
        assertThat(mixed.err()).startsWith("runlight: '" + events + "': the hub refused the request: ").endsWith(NL).hasLineCount(1);
        assertThat(mixed.err()).containsPattern("\\(HTTP 4\\d\\d\\)" + NL + "$");
        assertThat(mixed.out().lines().toList()).hasSize(2);
        JsonNode mixedJson = parse(hub.admin("ingest", "sbom", events.toString(), sbom.toString(), "--output", "json").out());
        assertThat(mixedJson.path(0).path("error").path("error").asText()).isNotEmpty();
        assertThat(mixedJson.path(1).path("response").path("imageDigest").asText()).isEqualTo(ALPINE_DIGEST);

        CliHub.Result missing = hub.admin("ingest", "events", files.resolve("nope.ndjson").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("File '" + files.resolve("nope.ndjson") + "' does not exist or cannot be read." + NL);
        CliHub.Result none = hub.admin("ingest", "events");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("Missing required parameter: 'FILE'");
    }

    @Test
    void ingestSbomOfARootFolderCatalogsAndSendsRunlightsOwnSbom()
            throws IOException
    {
        Path root = files.resolve("catalog-root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10-3\n\n");
        Files.writeString(root.resolve("var/lib/dpkg/info/hello.list"), "/.\n/usr/bin/hello\n");
        String digest = "sha256:" + "5e".repeat(32);

        CliHub.Result result = hub.admin("ingest", "sbom", "--rootfs", root.toString(), "--image", "shop/hello@" + digest, "--output", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
        assertThat(result.err()).isEqualTo("runlight: cataloged 1 packages (deb 1) owning 1 files in '" + root + "', image " + digest + NL);
        JsonNode response = parse(result.out()).path(0).path("response");
        assertThat(response.path("imageDigest").asText()).isEqualTo(digest);
        assertThat(response.path("packages").asInt()).isEqualTo(1);
        assertThat(response.path("format").asText()).isEqualTo("cyclonedx-json");
    }

    @Test
    void badUsageExitsWithTwo()
    {
        CliHub.Result badExpiry = hub.admin("token", "create", "--name", "x", "--expires-in", "P2M");
        assertThat(badExpiry.exitCode()).isEqualTo(2);
        assertThat(badExpiry.err()).startsWith("Invalid value for option '--expires-in': token expiry 'P2M' is not supported: use P1M, P3M, P6M or P1Y" + NL);

        CliHub.Result missingName = hub.admin("token", "create", "--expires-in", "P1M");
        assertThat(missingName.exitCode()).isEqualTo(2);
        assertThat(missingName.err()).startsWith("Missing required option: '--name=N'" + NL);

        CliHub.Result badScope = hub.admin("token", "create", "--name", "x", "--expires-in", "P1M", "--scope", "admin");
        assertThat(badScope.exitCode()).isEqualTo(2);
        assertThat(badScope.err()).startsWith("Invalid value for option '--scope': token scope 'admin' is not supported: use 'integration' or 'ingest'" + NL);

        CliHub.Result badOutput = hub.admin("plugin", "list", "--output", "yaml");
        assertThat(badOutput.exitCode()).isEqualTo(2);
        assertThat(badOutput.err()).startsWith("Invalid value for option '--output': output 'yaml' is not known: use table or json (or csv for `runlight vulns`)" + NL);

        CliHub.Result unknownCommand = hub.admin("integration", "frobnicate");
        assertThat(unknownCommand.exitCode()).isEqualTo(2);

        CliHub.Result missingId = hub.admin("token", "delete");
        assertThat(missingId.exitCode()).isEqualTo(2);
        assertThat(missingId.err()).startsWith("Missing required parameter: 'ID'" + NL);

        CliHub.Result badHub = CliHub.run("token", "list", "--hub", "ftp://127.0.0.1", "--admin-token", hub.adminJwt());
        assertThat(badHub.exitCode()).isEqualTo(2);
        assertThat(badHub.err()).startsWith("--hub 'ftp://127.0.0.1' is not a hub URL: give one such as https://127.0.0.1:8443." + NL);

        CliHub.Result both = CliHub.run("token", "list", "--hub", hub.httpsUrl(), "--admin-token", hub.adminJwt(), "--insecure",
                "--ca-cert", hub.dataDir().resolve("tls/cert.pem").toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).startsWith("--insecure and --ca-cert contradict each other: give one of them." + NL);

        for (String group : List.of("token", "integration", "plugin", "ingest")) {
            CliHub.Result bare = CliHub.run(group);
            assertThat(bare.exitCode()).as(group).isEqualTo(2);
            assertThat(bare.err()).as(group).startsWith("Usage: runlight " + group + " ");
            assertThat(bare.out()).as(group).isEmpty();
        }
    }

    @Test
    void aMissingTokenIsBadUsage()
    {
        assumeTrue(System.getenv("RUNLIGHT_ADMIN_TOKEN") == null && System.getenv("RUNLIGHT_TOKEN") == null, "a RUNLIGHT_*TOKEN is set in this environment");

        CliHub.Result result = CliHub.run("token", "list", "--hub", hub.httpUrl());
        CliHub.Result blank = CliHub.run("token", "list", "--hub", hub.httpUrl(), "--token", " ");

        for (CliHub.Result missing : List.of(result, blank)) {
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.out()).isEmpty();
            assertThat(missing.err()).startsWith("No token for the hub: give --token T or set RUNLIGHT_TOKEN "
                    + "(`runlight admin-token` mints one; `runlight token create` makes an ingest token)." + NL);
        }
    }

    @Test
    void tokenAndAdminTokenAreOneSetting()
            throws IOException
    {
        assumeTrue(System.getenv("RUNLIGHT_ADMIN_TOKEN") == null && System.getenv("RUNLIGHT_TOKEN") == null, "a RUNLIGHT_*TOKEN is set in this environment");
        String ingestToken = parse(hub.admin("token", "create", "--name", "ci pipeline", "--expires-in", "P1M", "--output", "json").out()).path("secret").asText();
        assertThat(ingestToken).startsWith("rlt_");
        Path sbom = CliHub.fixture("sbom/alpine-3.17.2.syft.json", files);

        // what CI pipelines do: an ingest-scoped token with --token
        CliHub.Result ingested = CliHub.run("ingest", "sbom", sbom.toString(), "--hub", hub.httpUrl(), "--token", ingestToken);
        assertThat(ingested.exitCode()).as(ingested.toString()).isEqualTo(0);
        assertThat(ingested.out().lines().toList().get(1)).startsWith(sbom + " ").contains(ALPINE_DIGEST);
        // an ingest token opens the ingest endpoints only
        CliHub.Result listed = CliHub.run("token", "list", "--hub", hub.httpUrl(), "--token", ingestToken);
        assertThat(listed.exitCode()).isEqualTo(1);
        assertThat(listed.err()).startsWith("runlight: the hub refused the request: ").endsWith(" (HTTP 403)" + NL).hasLineCount(1);
        // both names, one token: fine; two tokens: bad usage, whichever the order
        CliHub.Result same = CliHub.run("plugin", "list", "--hub", hub.httpUrl(), "--token", hub.adminJwt(), "--admin-token", " " + hub.adminJwt());
        assertThat(same.exitCode()).as(same.toString()).isEqualTo(0);
        assertThat(same.out()).startsWith("ID ").contains("echo-plugin");
        for (String[] args : List.of(new String[] {"--token", ingestToken, "--admin-token", hub.adminJwt()}, new String[] {"--admin-token", hub.adminJwt(), "--token", ingestToken})) {
            List<String> command = new ArrayList<>(List.of("ingest", "sbom", sbom.toString(), "--hub", hub.httpUrl()));
            command.addAll(List.of(args));
            CliHub.Result conflict = CliHub.run(command.toArray(new String[0]));
            assertThat(conflict.exitCode()).isEqualTo(2);
            assertThat(conflict.out()).isEmpty();
            assertThat(conflict.err()).startsWith("--token and --admin-token name different tokens: give one of them (they are the same setting)." + NL);
        }

        // from the environment (a separate JVM, as a test cannot change its own)
        CliProcess byEnvironment = CliProcess.run(Map.of("RUNLIGHT_TOKEN", ingestToken), "ingest", "sbom", sbom.toString(), "--hub", hub.httpUrl());
        assertThat(byEnvironment.exitCode()).as(byEnvironment.toString()).isEqualTo(0);
        assertThat(byEnvironment.out()).contains(ALPINE_DIGEST);
        CliProcess bothVariables = CliProcess.run(Map.of("RUNLIGHT_TOKEN", ingestToken, "RUNLIGHT_ADMIN_TOKEN", hub.adminJwt()),
                "ingest", "sbom", sbom.toString(), "--hub", hub.httpUrl());
        assertThat(bothVariables.exitCode()).isEqualTo(2);
        assertThat(bothVariables.err()).startsWith("RUNLIGHT_TOKEN and RUNLIGHT_ADMIN_TOKEN hold different tokens: unset one of them (they are the same setting) or give --token T." + NL);
        // a flag beats the environment, as --hub beats RUNLIGHT_HUB
        CliProcess flagOverVariables = CliProcess.run(Map.of("RUNLIGHT_TOKEN", ingestToken, "RUNLIGHT_ADMIN_TOKEN", "not-a-token"),
                "plugin", "list", "--hub", hub.httpUrl(), "--admin-token", hub.adminJwt());
        assertThat(flagOverVariables.exitCode()).as(flagOverVariables.toString()).isEqualTo(0);
        assertThat(flagOverVariables.out()).contains("echo-plugin");
    }

    @Test
    void anUnreachableHubIsOneSentenceAndExitOne()
    {
        String url = "https://127.0.0.1:" + CliHub.freePort();
        for (String[] command : List.of(new String[] {"token", "list"}, new String[] {"plugin", "list"}, new String[] {"integration", "show", "int_x"})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--hub", url, "--admin-token", hub.adminJwt()));
            CliHub.Result result = CliHub.run(args.toArray(new String[0]));
            assertThat(result.exitCode()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).isEqualTo("runlight: cannot reach the hub at " + url + ": connection refused. Is `runlight serve` running?" + NL);
        }
    }

    @Test
    void trustsTheHubsCertificateOnlyWhenTold()
    {
        assumeTrue(System.getenv("RUNLIGHT_DATA_DIR") == null && !Files.exists(Path.of("runlight-data/tls/cert.pem")),
                "a default data folder would be trusted");
        String url = hub.httpsUrl();

        CliHub.Result untrusted = CliHub.run("plugin", "list", "--hub", url, "--admin-token", hub.adminJwt());
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.err()).isEqualTo("runlight: cannot reach the hub at " + url + ": its TLS certificate is not trusted. "
                + "Give --ca-cert FILE with the hub's certificate, --data-dir DIR of the hub (its tls/cert.pem is trusted) or --insecure." + NL);

        CliHub.Result insecure = CliHub.run("plugin", "list", "--hub", url, "--admin-token", hub.adminJwt(), "--insecure");
        CliHub.Result caCert = CliHub.run("plugin", "list", "--hub", url + "/", "--admin-token", hub.adminJwt(), "--ca-cert", hub.dataDir().resolve("tls/cert.pem").toString());
        CliHub.Result dataDirTrust = CliHub.run("plugin", "list", "--hub", url, "--admin-token", hub.adminJwt(), "--data-dir", hub.dataDir().toString());
        CliHub.Result plainHttp = CliHub.run("plugin", "list", "--hub", hub.httpUrl(), "--admin-token", hub.adminJwt());
        for (CliHub.Result result : List.of(insecure, caCert, dataDirTrust, plainHttp)) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
            assertThat(result.out()).startsWith("ID ").contains("echo-plugin");
        }

        CliHub.Result missingCa = CliHub.run("plugin", "list", "--hub", url, "--admin-token", hub.adminJwt(), "--ca-cert", "/no/such/cert.pem");
        assertThat(missingCa.exitCode()).isEqualTo(2);
        assertThat(missingCa.err()).startsWith("--ca-cert '/no/such/cert.pem' is not a readable file." + NL);

        CliHub.Result badToken = CliHub.run("plugin", "list", "--hub", hub.httpUrl(), "--admin-token", "not-a-token");
        assertThat(badToken.exitCode()).isEqualTo(1);
        assertThat(badToken.err()).startsWith("runlight: the hub refused the request: ").endsWith(" (HTTP 401)" + NL).hasLineCount(1);
    }

    @Test
    void everyCommandHasHelp()
    {
        List<List<String>> commands = List.of(
                List.of("token"), List.of("token", "create"), List.of("token", "list"), List.of("token", "renew"), List.of("token", "delete"),
                List.of("integration"), List.of("integration", "create"), List.of("integration", "list"), List.of("integration", "show"),
                List.of("integration", "delete"), List.of("integration", "pause"), List.of("integration", "resume"), List.of("integration", "test"),
                List.of("plugin"), List.of("plugin", "list"),
                List.of("ingest"), List.of("ingest", "sbom"), List.of("ingest", "vulns"), List.of("ingest", "events"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CliHub.Result result = CliHub.run(args.toArray(new String[0]));
            assertThat(result.exitCode()).as(String.join(" ", command)).isEqualTo(0);
            assertThat(result.out()).as(String.join(" ", command)).startsWith("Usage: runlight " + String.join(" ", command) + " ");
            if (command.size() == 2) {
                assertThat(result.out()).as(String.join(" ", command)).contains("--hub=URL", "--token=T", "--admin-token=T", "--insecure", "--ca-cert=FILE", "-o, --output=table|json");
            }
            assertThat(result.out()).doesNotContain(hub.adminJwt());
        }
        assertThat(CliHub.run("--help").out()).contains("token", "integration", "plugin", "ingest");
    }

    /** The column that starts with {@code header} in the first line starts at the same place as {@code cell} in every other line. */
    private static void assertAligned(List<String> lines, String header, String cell)
    {
        int column = lines.get(0).indexOf(header);
        assertThat(column).isPositive();
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.substring(column)).as(line).startsWith(cell);
        }
    }

    private static LocalDate date(String instant)
    {
        return LocalDate.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static JsonNode parse(String json)
    {
        try {
            return JSON.readTree(json);
        }
        catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
