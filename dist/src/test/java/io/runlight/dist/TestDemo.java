package io.runlight.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, {@code runlight demo} of the unpacked distribution, run as a user runs it: in
 * an empty working folder, through {@code bin/runlight}. Everything is checked through
 * what the demo printed: the console URL, the admin token (images and workloads of two
 * clusters), the Snyk token (the serve route answers with packages in use), and the local
 * receiver's log (signed webhook deliveries verified, Scout and Snyk pushes arrived). A
 * second run on the same folder replaces the integrations instead of adding to them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestDemo
{
    private static final String READY = "Ctrl-C stops the hub gracefully";
    private static final Pattern INTEGRATION_ROW = Pattern.compile("^ {2}(demo-[a-z-]+) +([a-z-]+) +(rlt_[A-Za-z0-9]+) .*");
    private static final String ALPINE_317 = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";
    private static final String ALPINE_310 = "sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4";
    private static final String DEBIAN_BUSTER = "sha256:c2c03a296d2329a4f3ab72a7bf38b78a8a80108204d326b0139d6af700e152d1";

    @TempDir
    static Path folder;

    private final HubHttp http = new HubHttp();
    private Path work;
    private Demo demo;

    @BeforeAll
    void startTheDemo()
            throws IOException, InterruptedException
    {
        work = Files.createDirectories(folder.resolve("work"));
        demo = Demo.start(work, folder.resolve("demo-1.log"));
    }

    @AfterAll
    void stop()
            throws InterruptedException
    {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void printsBothConsoleUrlsAndTheConsoleAnswers()
            throws IOException, InterruptedException
    {
        assertThat(demo.consoleUrls()).containsExactly(demo.httpsUrl() + "/console/", demo.httpUrl() + "/console/");

        HubHttp.Response console = http.send(HttpRequest.newBuilder(URI.create(demo.consoleUrls().get(0))).GET());
        assertThat(console.status()).as(console.body()).isEqualTo(200);
        assertThat(console.contentType()).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    }

    @Test
    @Order(2)
    void theAdminTokenListsTheSampleImagesAndWorkloadsInTwoClusters()
            throws IOException, InterruptedException
    {
        HubHttp.Response images = http.get(demo.httpUrl() + "/api/v1/images?limit=100", demo.adminToken());
        assertThat(images.status()).as(images.body()).isEqualTo(200);
        Map<String, String> profiles = new TreeMap<>();
        for (Object image : new JsonObject(images.body()).getJsonArray("images")) {
            JsonObject json = (JsonObject) image;
            profiles.put(json.getString("digest"), json.getJsonObject("profile").getString("state"));
        }
        assertThat(profiles).isEqualTo(Map.of(ALPINE_317, "COMPLETE", ALPINE_310, "LEARNING", DEBIAN_BUSTER, "LEARNING"));

        HubHttp.Response alpine = http.get(demo.httpUrl() + "/api/v1/images/" + ALPINE_317, demo.adminToken());
        JsonObject summary = new JsonObject(alpine.body()).getJsonObject("summary");
        assertThat(summary.getInteger("packagesInUse")).isEqualTo(5);
        // libc-utils owns no file: unknown, never not in use
        assertThat(summary.getInteger("packagesNotInUse")).isEqualTo(9);
        assertThat(summary.getInteger("packagesUnknown")).isEqualTo(1);
        assertThat(summary.getInteger("vulnerabilitiesInUse")).isEqualTo(10);

        HubHttp.Response workloads = http.get(demo.httpUrl() + "/api/v1/workloads?limit=100", demo.adminToken());
        assertThat(workloads.status()).as(workloads.body()).isEqualTo(200);
        Set<String> seen = new TreeSet<>();
        for (Object workload : new JsonObject(workloads.body()).getJsonArray("workloads")) {
            JsonObject json = ((JsonObject) workload).getJsonObject("workload");
            seen.add(json.getString("cluster") + "/" + json.getString("namespace") + "/" + json.getString("name"));
        }
        assertThat(seen).containsExactly("prod-eu/ops/backup", "prod-eu/payments/ledger", "prod-eu/shop/cart", "staging/shop/cart", "staging/web/legacy-portal");
    }

    @Test
    @Order(3)
    void theSnykTokenPullsThePackagesInUse()
            throws IOException, InterruptedException
    {
        HubHttp.Response response = http.send(HttpRequest.newBuilder(URI.create(demo.httpsUrl()
                        + "/api/scanning/eveintegration/v2/runtimeimages?clusterName=prod-eu&limit=10"))
                .header("Authorization", "Bearer " + demo.integrationToken("demo-snyk"))
                .header("Accept", "application/json")
                .GET());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).hasValueSatisfying(type -> assertThat(type).contains("application/json"));
        Map<String, List<String>> packages = new TreeMap<>();
        for (Object item : new JsonObject(response.body()).getJsonArray("data")) {
            JsonObject json = (JsonObject) item;
            List<String> names = new ArrayList<>();
            json.getJsonArray("packages").forEach(pkg -> names.add(((JsonObject) pkg).getString("name")));
            packages.put(json.getString("imageID") + " " + json.getString("namespace") + "/" + json.getString("workloadKind") + "/" + json.getString("workloadName"), names);
        }
        // the alpine 3.10 backup job runs too, but its Trivy report names no files, so none of its packages is known to be in use
        assertThat(packages).as(response.body()).isEqualTo(Map.of(
                ALPINE_317 + " shop/Deployment/cart", List.of("busybox-binsh", "busybox", "libcrypto3", "musl"),
                ALPINE_317 + " payments/StatefulSet/ledger", List.of("busybox-binsh", "busybox", "musl"),
                ALPINE_310 + " ops/CronJob/backup", List.of()));
    }

    @Test
    @Order(4)
    void theReceiverLoggedVerifiedWebhooksAndTheScoutAndSnykPushes()
            throws IOException, InterruptedException
    {
        Path log = work.resolve("runlight-data/demo-receiver.log");
        awaitLine(log, line -> line.contains(" POST /snyk/v2/kubernetes-upstream/api/v1/runtime-results?version=2023-02-10 [demo-snyk] ")
                && line.contains(" -> 200 runtime results: "));
        awaitLine(log, line -> line.contains(" POST /scout/v1/graphql [demo-docker-scout] ") && line.contains(" -> 200 GraphQL setStreamImages: "));
        awaitLine(log, line -> line.contains(" POST /scout/v1/graphql [demo-docker-scout] ") && line.contains(" -> 200 GraphQL addVulnerabilityException: "));
        awaitLine(log, line -> line.contains(" POST /docker-hub/v2/users/login [demo-docker-scout] ") && line.contains(" -> 200 Docker Hub login"));
        awaitLine(log, line -> line.contains(" POST /webhook [demo-webhook] ") && line.contains(" -> 204 signature verified (msg_")
                && line.endsWith(", runlight.image.insights.changed)"));

        List<String> webhooks = Files.readAllLines(log).stream().filter(line -> line.contains(" POST /webhook ")).toList();
        assertThat(webhooks).isNotEmpty().allSatisfy(line -> assertThat(line).contains("signature verified").doesNotContain("INVALID"));
        // the demo's output shows the same lines
        assertThat(demo.output()).contains("receiver | " + webhooks.get(0));
    }

    @Test
    @Order(5)
    void sigtermStopsItGracefullyAndASecondRunReplacesTheIntegrations()
            throws IOException, InterruptedException
    {
        demo.close();
        assertThat(demo.output()).contains("Runlight hub stopped");
        List<String> firstTokens = List.copyOf(demo.integrationTokens().values());

        demo = Demo.start(work, folder.resolve("demo-2.log"));

        assertThat(demo.output()).contains("(3 from an earlier run replaced)", "loaded by an earlier run in this data folder");
        assertThat(demo.integrationTokens().keySet()).containsExactly("demo-docker-scout", "demo-snyk", "demo-webhook");
        assertThat(demo.integrationTokens().values()).doesNotContainAnyElementsOf(firstTokens);
        HubHttp.Response integrations = http.get(demo.httpUrl() + "/api/v1/integrations", demo.adminToken());
        assertThat(new JsonArray(integrations.body()).stream().map(item -> ((JsonObject) item).getString("name")).sorted().toList())
                .containsExactly("demo-docker-scout", "demo-snyk", "demo-webhook");
        HubHttp.Response images = http.get(demo.httpUrl() + "/api/v1/images?limit=100", demo.adminToken());
        assertThat(new JsonObject(images.body()).getJsonArray("images")).hasSize(3);
        HubHttp.Response old = http.send(HttpRequest.newBuilder(URI.create(demo.httpsUrl() + "/api/scanning/eveintegration/v2/runtimeimages?clusterName=prod-eu&limit=1"))
                .header("Authorization", "Bearer " + firstTokens.get(1))
                .GET());
        assertThat(old.status()).isEqualTo(401);
    }

    private static void awaitLine(Path log, Predicate<String> wanted)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the receiver's log '" + log + "' has no such line within 20 s; it reads:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no file)"));
    }

    /** One {@code bin/runlight demo} process and what it printed. */
    private static final class Demo
            implements AutoCloseable
    {
        private final Process process;
        private final Path log;
        private final List<String> printout;

        private Demo(Process process, Path log, List<String> printout)
        {
            this.process = process;
            this.log = log;
            this.printout = List.copyOf(printout);
        }

        /** Runs the demo in {@code work} on free ports; returns once it printed its last paragraph. */
        static Demo start(Path work, Path log)
                throws IOException, InterruptedException
        {
            List<String> command = List.of(Distribution.unpackedTree().resolve("bin/runlight").toString(), "demo",
                    "--port", Integer.toString(DistributionHub.freePort()),
                    "--tls-port", Integer.toString(DistributionHub.freePort()),
                    "--cluster-port", Integer.toString(DistributionHub.freePort()));
            // the process writes straight into the file: nothing it prints while stopping can be lost in a pipe
            ProcessBuilder builder = DistributionHub.launcher(command).directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process process = builder.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!read(log).contains(READY)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("'bin/runlight demo' ended or did not print its summary within 60 s; its output:\n" + read(log));
                }
                Thread.sleep(100);
            }
            return new Demo(process, log, read(log).lines().filter(line -> !line.startsWith("receiver | ")).toList());
        }

        String httpsUrl()
        {
            return consoleUrls().get(0).replace("/console/", "");
        }

        String httpUrl()
        {
            return consoleUrls().get(1).replace("/console/", "");
        }

        /** The URLs after "Console:", on that line and the next. */
        List<String> consoleUrls()
        {
            for (int i = 0; i < printout.size(); i++) {
                if (printout.get(i).startsWith("  Console:")) {
                    return List.of(printout.get(i).substring("  Console:".length()).strip(), printout.get(i + 1).strip());
                }
            }
            throw new AssertionError("the demo printed no 'Console:' line:\n" + String.join("\n", printout));
        }

        String adminToken()
        {
            return printout.stream().filter(line -> line.startsWith("  Admin token:")).findFirst()
                    .map(line -> line.substring("  Admin token:".length()).strip())
                    .orElseThrow(() -> new AssertionError("the demo printed no 'Admin token:' line"));
        }

        /** Integration name to token, from the integrations table. */
        Map<String, String> integrationTokens()
        {
            Map<String, String> tokens = new TreeMap<>();
            for (String line : printout) {
                Matcher row = INTEGRATION_ROW.matcher(line);
                if (row.matches()) {
                    tokens.put(row.group(1), row.group(3));
                }
            }
            return tokens;
        }

        String integrationToken(String name)
        {
            String token = integrationTokens().get(name);
            assertThat(token).as("token of integration '%s' in the printout", name).isNotNull();
            return token;
        }

        String output()
        {
            return read(log);
        }

        /** The file so far; lenient, since the process may be in the middle of writing a character. */
        private static String read(Path log)
        {
            try {
                return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read the demo's output '" + log + "'", e);
            }
        }

        /** SIGTERM, as Ctrl-C would; the demo must stop by itself within 30 s. */
        @Override
        public void close()
                throws InterruptedException
        {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("'bin/runlight demo' did not stop within 30 s of SIGTERM");
            }
        }
    }
}
