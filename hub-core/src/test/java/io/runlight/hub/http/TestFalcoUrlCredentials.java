package io.runlight.hub.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.auth.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Falco's {@code http_output} cannot add an {@code Authorization} header, so
 * dist/falco/falco.yaml puts the ingest token in the URL, which libcurl (Falco's HTTP
 * client) sends as HTTP Basic credentials. This test posts an alert exactly that way, with
 * the curl command line tool (the same libcurl), to a running hub over HTTPS.
 */
@ExtendWith(SharedHub.class)
final class TestFalcoUrlCredentials
{
    private static final String ALERT = "{\"time\": \"2026-11-28T12:10:00.000000000Z\", \"rule\": \"Runlight exec\", \"priority\": \"Informational\","
            + " \"source\": \"syscall\", \"output\": \"exec of /bin/busybox\", \"output_fields\": {\"evt.type\": \"execve\","
            + " \"proc.exepath\": \"/bin/busybox\", \"proc.name\": \"busybox\", \"container.id\": \"4f2a9c0d1e12\", \"container.name\": \"cart\","
            + " \"container.image.repository\": \"docker.io/library/alpine\", \"container.image.tag\": \"3.17\","
            + " \"container.image.digest\": \"" + RunningHub.ALPINE_DIGEST + "\", \"k8s.ns.name\": \"shop\", \"k8s.pod.name\": \"cart-7d9f\"}}";

    @TempDir
    static Path files;

    private static RunningHub hub;

    @BeforeAll
    static void takeSharedHub(RunningHub shared)
    {
        hub = shared;
    }

    @Test
    void anAlertPostedWithTheIngestTokenInTheUrlIsAccepted()
            throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl (libcurl's command line tool) is not installed");
        RunningHub.Response created = hub.postJson("/api/v1/tokens", hub.jwt(Role.ADMIN),
                "{\"name\": \"falco\", \"expiresIn\": \"P1M\", \"scope\": \"ingest\"}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().path("secret").asText();
        Path alert = files.resolve("alert.json");
        Files.writeString(alert, ALERT, StandardCharsets.UTF_8);

        assertThat(curl("falco:" + token, "/api/v1/runtime/falco", alert)).isEqualTo("202");
        assertThat(curl("falco:rlt_000000000000000000000000000000000000", "/api/v1/runtime/falco", alert)).isEqualTo("401");
        assertThat(curl("falco:not-a-runlight-token", "/api/v1/runtime/falco", alert)).isEqualTo("401");
        // only the Falco route reads a token from Basic credentials
        assertThat(curl("falco:" + token, "/api/v1/runtime/events", alert)).isEqualTo("401");
    }

    /** curl's HTTP status for POSTing {@code alert} to https://CREDENTIALS@127.0.0.1:PORT/PATH. */
    private static String curl(String credentials, String path, Path alert)
            throws IOException, InterruptedException
    {
        String url = "https://" + credentials + "@127.0.0.1:" + hub.hub().httpsPort().orElseThrow() + path;
        Process process = new ProcessBuilder(List.of("/usr/bin/curl", "--silent", "--show-error", "--max-time", "20",
                "--cacert", hub.dataDir().resolve("tls").resolve("cert.pem").toString(),
                "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@" + alert,
                "--output", "/dev/null", "--write-out", "%{http_code}", url))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
