package io.runlight.hub.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import io.runlight.hub.auth.Role;
import io.runlight.hub.insights.HubMaps;
import io.runlight.hub.insights.Quarantine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, defect 1: an event whose text is not valid Unicode (an unpaired UTF-16
 * surrogate sent as a JSON escape) is rejected at the edge and never poisons its image,
 * neither now nor after a restart.
 */
final class TestHostileEvents
{
    private static final String DIGEST = RunningHub.ALPINE_DIGEST;

    @TempDir
    Path dataDir;

    @Test
    void unpairedSurrogateIsRejectedAndTheImageStaysWritableAcrossRestart()
    {
        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            String ingest = hub.jwt(Role.INGEST);
            RunningHub.Response hostile = postEvents(hub, ingest,
                    event("/bin/\\ud800x", "/bin/\\ud800x") + "\n" + event("/bin/\\udc00x", "/usr/bin/\\udc00x") + "\n");
            assertThat(hostile.status()).as(hostile.body()).isEqualTo(202);
            JsonNode answer = hostile.json();
            assertThat(answer.path("accepted").asInt()).isZero();
            assertThat(answer.path("rejected").asInt()).isEqualTo(2);
            assertThat(answer.path("errors").get(0).path("message").asText())
                    .isEqualTo("'/process' holds an unpaired UTF-16 surrogate (U+D800) at character 6; expected Unicode text");

            assertThat(postEvents(hub, ingest, event("/bin/busybox", "/bin/busybox") + "\n").status()).isEqualTo(202);
            assertThat(postEvents(hub, ingest, event("/bin/sh", "/bin/busybox") + "\n").status()).isEqualTo(202);
        }
        try (RunningHub restarted = RunningHub.start(dataDir, Clock.systemUTC())) {
            String ingest = restarted.jwt(Role.INGEST);
            RunningHub.Response again = postEvents(restarted, ingest, event("/lib/ld-musl-x86_64.so.1", "/bin/busybox") + "\n");
            assertThat(again.status()).as(again.body()).isEqualTo(202);
            assertThat(again.json().path("accepted").asInt()).isEqualTo(1);
        }
    }

    @Test
    void unreadableStoredProfileIsQuarantinedAndNeverBlocksItsImage()
    {
        String unreadable = "{\"containers\":[{\"workload\":7}]}";
        Logger quarantineLog = (Logger) LoggerFactory.getLogger(Quarantine.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        quarantineLog.addAppender(logged);
        try (RunningHub hub = RunningHub.start(dataDir, Clock.systemUTC())) {
            String ingest = hub.jwt(Role.INGEST);
            assertThat(hub.post("/api/v1/sboms", ingest, "application/json", RunningHub.fixture("sbom/alpine-3.17.2.syft.json")).status()).isEqualTo(201);
            // a record written by an older, buggier member, or damaged in the database
            hub.hub().store().map(HubMaps.PROFILES).set(DIGEST, unreadable);

            RunningHub.Response answer = postEvents(hub, ingest, event("/bin/busybox", "/bin/busybox") + "\n");
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            assertThat(answer.json().path("accepted").asInt()).isEqualTo(1);
            hub.awaitImage(DIGEST, hub.jwt(Role.READ), image -> image.path("profile").path("containers").asInt() == 1);
            assertQuarantined(hub, unreadable);
            // logged once, at ERROR, with what to look for
            assertThat(logged.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).isEqualTo("Moved the unreadable value of '" + DIGEST + "' in map 'profiles' to map 'quarantine'; "
                        + "the image goes on without it");
            });

            // the same when the damage is found while insights are computed, not while events merge
            hub.hub().store().map(HubMaps.PROFILES).set(DIGEST, unreadable);
            hub.hub().insights().compute(DIGEST);
            assertThat(hub.hub().store().map(HubMaps.PROFILES).get(DIGEST)).isNull();
        }
        try (RunningHub restarted = RunningHub.start(dataDir, Clock.systemUTC())) {
            RunningHub.Response again = postEvents(restarted, restarted.jwt(Role.INGEST), event("/bin/sh", "/bin/busybox") + "\n");
            assertThat(again.status()).as(again.body()).isEqualTo(202);
            assertThat(restarted.hub().store().map(HubMaps.QUARANTINE).size()).isEqualTo(2);
        }
        finally {
            quarantineLog.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR);
    }

    private static void assertQuarantined(RunningHub hub, String unreadable)
    {
        Map<String, String> quarantine = hub.hub().store().map(HubMaps.QUARANTINE);
        assertThat(quarantine).hasSize(1);
        JsonNode entry = RunningHub.parse(quarantine.values().iterator().next());
        assertThat(entry.path("map").asText()).isEqualTo("profiles");
        assertThat(entry.path("key").asText()).isEqualTo(DIGEST);
        assertThat(entry.path("value").asText()).isEqualTo(unreadable);
        assertThat(entry.path("reason").asText()).startsWith("Cannot decode a 'ImageProfile' from JSON at line 1");
    }

    private static RunningHub.Response postEvents(RunningHub hub, String token, String ndjson)
    {
        return hub.post("/api/v1/runtime/events", token, "application/x-ndjson", ndjson.getBytes(StandardCharsets.UTF_8));
    }

    // the path and process go into the JSON text as they are, so escapes such as \ud800 stay escapes
    private static String event(String path, String process)
    {
        return "{\"time\":\"2026-11-28T12:00:00Z\",\"cluster\":\"prod-eu\",\"namespace\":\"shop\",\"workloadKind\":\"Deployment\","
                + "\"workloadName\":\"cart\",\"pod\":\"cart-7d9f\",\"container\":\"cart\",\"imageDigest\":\"" + DIGEST + "\","
                + "\"kind\":\"exec\",\"path\":\"" + path + "\",\"process\":\"" + process + "\"}";
    }
}
