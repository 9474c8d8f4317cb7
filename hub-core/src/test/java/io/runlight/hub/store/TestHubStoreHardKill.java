package io.runlight.hub.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.store.StoreFixtures.freePort;
import static io.runlight.hub.store.StoreFixtures.h2;
import static org.assertj.core.api.Assertions.assertThat;

/** Restart safety: what a member acknowledged before {@code kill -9} is there after a restart. */
@Tag("kill9")
class TestHubStoreHardKill
{
    /** Far more than get written before the kill, so the writer is killed mid-way. */
    private static final int ENTRIES = 1_000_000;
    /** Kill once this many writes are acknowledged. */
    private static final int KILL_AFTER = 300;

    @TempDir
    Path dataDirectory;

    private Process writer;

    @AfterEach
    void killWriter()
    {
        if (writer != null) {
            writer.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteSurvivesKillMinus9()
            throws Exception
    {
        Path log = dataDirectory.resolve("writer.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-Dhazelcast.logging.type=slf4j",
                "-cp", System.getProperty("java.class.path"),
                HardKillWriter.class.getName(),
                dataDirectory.resolve("hub").toString(),
                String.valueOf(freePort()),
                String.valueOf(ENTRIES));
        builder.redirectError(log.toFile());
        writer = builder.start();

        int lastAck = -1;
        List<String> unexpected = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("ACK ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                    if (lastAck == KILL_AFTER) {
                        // SIGKILL: no shutdown hook, no flush, no graceful leave. The handle's destroy, unlike
                        // Process.destroyForcibly(), leaves our end of the pipe open to read the ACKs already in it
                        assertThat(writer.toHandle().destroyForcibly()).isTrue();
                    }
                }
                else if (!line.equals("READY")) {
                    unexpected.add(line);
                }
            }
        }
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unexpected).as("writer output; its log: %s", readLog(log)).isEmpty();
        // lines already in the pipe when the process died were acknowledged too
        assertThat(lastAck).as("writer log: %s", readLog(log)).isBetween(KILL_AFTER, ENTRIES - 2);

        try (HubStore store = HubStore.start(h2(dataDirectory.resolve("hub"), freePort()))) {
            IMap<String, String> outbox = store.map("outbox");
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i <= lastAck; i++) {
                if (!HardKillWriter.value(i).equals(outbox.get(HardKillWriter.key(i)))) {
                    missing.add(i);
                }
            }
            assertThat(missing).as("acknowledged entries missing after the restart (last ACK %d)", lastAck).isEmpty();
            // at most the one write in flight at the kill got committed without its ACK
            assertThat(outbox.size()).isBetween(lastAck + 1, lastAck + 2);
        }
    }

    private static String readLog(Path log)
            throws IOException
    {
        if (!Files.exists(log)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
