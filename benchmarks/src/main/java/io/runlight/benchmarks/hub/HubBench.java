package io.runlight.benchmarks.hub;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;

import io.runlight.benchmarks.SyntheticImage;
import io.runlight.benchmarks.SyntheticSbomGenerator;

/**
 * {@code runlight bench} for the hub (issue 14): starts a hub and a bare Vert.x server in this
 * JVM, drives both with the same requests from the same closed-loop client, and prints the
 * ratios and latency percentiles as a table and JSON. Also measures exec → served and
 * exec → webhook delivered over many trials, listing 1,000 images, throughput per member of
 * one member and of three on loopback ({@link MemberScaling}), and a member's cold start to
 * ready in a child JVM (empty, and with many images).
 * <p>
 * Usage: {@code HubBench --plugins <folder with the snyk and webhook plugin jars> [--seconds 15]
 * [--warmup 5] [--connections 16] [--trials 100] [--images 1000] [--cold-images 10000]
 * [--sbom-runs 3] [--work <folder>] [--json <file>] [--skip name,...]}; see benchmarks/README.md.
 */
public final class HubBench
{
    private static final int COLD_STARTS = 3;
    static final String SERVE_PATH = "/api/scanning/eveintegration/v2/runtimeimages";
    private static final String ALPINE_DIGEST = "sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d";
    private static final String ALPINE_NAME = "docker.io/library/alpine:3.17.2";
    /** The digests by which the alpine SBOM names its image (image id, manifest, repo digest): a variant replaces them all. */
    private static final List<String> ALPINE_IMAGE_DIGESTS = List.of(ALPINE_DIGEST,
            "sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3",
            "sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
    /** Files of the demo's alpine image, each with the kind a running container would show for it. */
    private static final String[][] ALPINE_FILES = {
            {"exec", "/bin/busybox"}, {"mmap", "/lib/ld-musl-x86_64.so.1"}, {"mmap", "/lib/libcrypto.so.3"}, {"mmap", "/lib/libz.so.1.2.13"},
            {"exec", "/sbin/apk"}, {"mmap", "/lib/libapk.so.3.12.0"}, {"open", "/etc/ssl/openssl.cnf"}, {"exec", "/usr/bin/ssl_client"},
            {"open", "/etc/apk/repositories"}, {"exec", "/bin/sh"}, {"open", "/etc/passwd"}, {"mmap", "/lib/libc.musl-x86_64.so.1"},
    };

    private HubBench() {}

    public static void main(String[] args)
            throws Exception
    {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        }
        catch (IllegalArgumentException e) {
            System.err.println("hub bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Files.createDirectories(options.work());
        BenchReport report = new BenchReport(machine());
        try (LoadDriver driver = new LoadDriver(); BareServer bare = BareServer.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            URI bareBase = URI.create("http://127.0.0.1:" + bare.port());
            Path hubData = options.work().resolve("hub-" + System.currentTimeMillis());
            try (BenchHub hub = BenchHub.start(hubData, options.plugins(), Map.of("insights.learning-window", "PT0S"))) {
                report.note("hub data folder", hubData.toString());
                hub.awaitPlugin("snyk");
                hub.awaitPlugin("webhook");
                BenchHub.Integration snyk = hub.createIntegration("snyk", "Bench Snyk", "{}");
                hub.createIntegration("webhook", "Bench webhook", "{\"url\": \"" + receiver.url() + "\", \"secret\": \"whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" + "\"}");
                String ingest = hub.createIngestToken("bench sensor");
                loadDemoSample(hub);

                if (options.runs("trials")) {
                    trials(options, hub, snyk, ingest, receiver, report);
                }
                if (options.runs("events")) {
                    events(options, driver, hub, bareBase, ingest, report);
                }
                if (options.runs("serve")) {
                    String servePath = SERVE_PATH + "?clusterName=prod-eu&limit=100";
                    HttpResponse<String> page = hub.get(servePath, "Bearer " + snyk.token());
                    check(page, "the Snyk serve route");
                    bare.page("serve", Buffer.buffer(page.body()));
                    report.note("Snyk page bytes", String.valueOf(page.body().length()));
                    compare(options, driver, report, "Snyk serve route (GET runtimeimages, clusterName=prod-eu, limit=100)",
                            hub.base(), index -> LoadDriver.Request.get(servePath, "Bearer " + snyk.token()),
                            bareBase, index -> LoadDriver.Request.get("/page/serve", null), 200, 1, "0.5");
                }
                if (options.runs("listing")) {
                    listing(options, driver, hub, bare, bareBase, report);
                }
                if (options.runs("sbom")) {
                    sbom(options, hub, report);
                }
                if (options.soakMinutes() > 0) {
                    soak(options, driver, hub, snyk, ingest, report);
                }
                report.note("hub heap used after the load (MB)", String.valueOf(heapUsedMegabytes()));
            }
            if (options.runs("members")) {
                try (MemberScaling scaling = MemberScaling.start(options, driver, report)) {
                    scaling.run();
                }
            }
            if (options.runs("coldstart")) {
                coldStarts(options, report);
            }
        }
        report.note("load average at the end", loadAverage());
        report.print(System.out);
        Files.createDirectories(options.json().toAbsolutePath().getParent());
        Files.writeString(options.json(), report.json());
        System.out.println("JSON written to " + options.json());
    }

    static void loadDemoSample(BenchHub hub)
            throws InterruptedException
    {
        for (String sbom : List.of("alpine-3.17.2.syft.json", "debian-buster.trivy.json", "alpine-3.10.trivy.json")) {
            hub.post("/api/v1/sboms", "application/json", BenchHub.demoFile(sbom), 201);
        }
        for (String scan : List.of("alpine-3.17.2.grype.json", "debian-buster.trivy.json", "alpine-3.10.trivy.json")) {
            hub.post("/api/v1/vulnerability-reports", "application/json", BenchHub.demoFile(scan), 201);
        }
        hub.post("/api/v1/runtime/events", "application/x-ndjson", BenchHub.demoFile("events.ndjson"), 202);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (hub.get("/api/v1/workloads?limit=100").path("workloads").size() < 5) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo sample's insights were not computed within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Exec → served and exec → webhook delivered: each trial posts one exec of a new container
     * (in the trial cluster), then polls the Snyk route for that cluster until the container is
     * there, and waits for the webhook about that cluster that arrives after the post. Trials run
     * one after another on an otherwise idle hub.
     */
    private static void trials(BenchOptions options, BenchHub hub, BenchHub.Integration snyk, String ingest, WebhookReceiver receiver, BenchReport report)
            throws InterruptedException
    {
        List<Long> served = new ArrayList<>();
        List<Long> delivered = new ArrayList<>();
        int lostWebhooks = 0;
        // one cluster for all trials: the webhook plugin sends one message per cluster of a changed image
        String cluster = "bench-trials-" + Long.toString(System.currentTimeMillis(), 36);
        String path = SERVE_PATH + "?clusterName=" + cluster + "&limit=1000";
        for (int trial = 0; trial < options.trials(); trial++) {
            String container = "trial-" + trial;
            byte[] event = eventLine(Instant.now(), cluster, "trial", container, new String[] {"exec", "/bin/busybox"}).getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            hub.post("/api/v1/runtime/events", "application/x-ndjson", event, 202);
            long deadline = start + Duration.ofSeconds(30).toNanos();
            while (true) {
                HttpResponse<String> page = hub.get(path, "Bearer " + snyk.token());
                if (page.statusCode() == 200 && page.body().contains("\"" + container + "\"")) {
                    served.add(System.nanoTime() - start);
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("trial " + trial + ": the Snyk route did not show the new container within 30 s: " + page.body());
                }
                Thread.sleep(5);
            }
            long arrived = receiver.awaitArrival(start, "\"" + cluster + "\"", Duration.ofSeconds(30).toNanos());
            if (arrived < 0) {
                lostWebhooks++;
            }
            else {
                delivered.add(arrived - start);
            }
        }
        report.trials("exec → served (Snyk route shows the new container)", served, options.trials(), "p99 < 1000 ms");
        report.trials("exec → webhook delivered", delivered, options.trials(), "p99 < 5000 ms");
        if (lostWebhooks > 0) {
            report.note("webhooks not received within 30 s", String.valueOf(lostWebhooks));
        }
    }

    private static void events(BenchOptions options, LoadDriver driver, BenchHub hub, URI bareBase, String ingest, BenchReport report)
            throws InterruptedException
    {
        Buffer[] batches = eventBatches();
        LoadDriver.Response probe = driver.send(hub.base(), LoadDriver.Request.post("/api/v1/runtime/events", "Bearer " + ingest, "application/x-ndjson", batches[0]));
        if (probe.status() != 202 || !probe.body().toString().contains("\"accepted\":50")) {
            throw new IllegalStateException("the hub did not accept a batch of 50 events: " + probe.status() + " " + probe.body());
        }
        compare(options, driver, report, "events ingest (POST /api/v1/runtime/events, 50 NDJSON events, ingest token)",
                hub.base(), index -> LoadDriver.Request.post("/api/v1/runtime/events", "Bearer " + ingest, "application/x-ndjson", batches[index % batches.length]),
                bareBase, index -> LoadDriver.Request.post("/ingest", null, "application/x-ndjson", batches[index % batches.length]), 202, 50, "0.2");
    }

    /**
     * Sustained mixed load: half the connections post event batches, half poll the Snyk route,
     * for {@code --soak-minutes}; every 30 s the heap used after a full GC is noted. The hub
     * shares this JVM with the load driver, whose latency records grow by 8 bytes per answer.
     */
    private static void soak(BenchOptions options, LoadDriver driver, BenchHub hub, BenchHub.Integration snyk, String ingest, BenchReport report)
            throws Exception
    {
        Buffer[] batches = eventBatches();
        String servePath = SERVE_PATH + "?clusterName=prod-eu&limit=100";
        Duration measured = Duration.ofMinutes(options.soakMinutes());
        int half = Math.max(1, options.connections() / 2);
        ExecutorService runs = Executors.newFixedThreadPool(2);
        try {
            Future<LoadResult> events = runs.submit(() -> driver.run("soak: events ingest", hub.base(),
                    index -> LoadDriver.Request.post("/api/v1/runtime/events", "Bearer " + ingest, "application/x-ndjson", batches[index % batches.length]),
                    202, half, Duration.ZERO, measured));
            Future<LoadResult> serve = runs.submit(() -> driver.run("soak: Snyk serve route", hub.base(),
                    index -> LoadDriver.Request.get(servePath, "Bearer " + snyk.token()), 200, half, Duration.ZERO, measured));
            List<String> heap = new ArrayList<>();
            long start = System.nanoTime();
            while (!events.isDone() || !serve.isDone()) {
                Thread.sleep(Duration.ofSeconds(30).toMillis());
                heap.add(String.format(Locale.ROOT, "%ds %dMB", (System.nanoTime() - start) / 1_000_000_000L, heapUsedMegabytes()));
            }
            report.load("soak (" + options.soakMinutes() + " min, mixed): events ingest", events.get(), "-");
            report.load("soak (" + options.soakMinutes() + " min, mixed): Snyk serve route", serve.get(), "-");
            report.note("heap used after a full GC during the soak (time since start, MB)", String.join(", ", heap));
        }
        finally {
            runs.shutdownNow();
        }
    }

    private static void listing(BenchOptions options, LoadDriver driver, BenchHub hub, BareServer bare, URI bareBase, BenchReport report)
            throws InterruptedException
    {
        String alpineJson = new String(BenchHub.demoFile("alpine-3.17.2.syft.json"), StandardCharsets.UTF_8);
        int existing = hub.get("/api/v1/images?limit=1000").path("images").size();
        Random random = new Random(1000);
        if (options.hugePackages() > 0 && existing < options.images()) {
            // the listing: one of the images is huge, and a listing must not pay for its packages
            byte[] huge = hugeImage(options.hugePackages(), randomDigest(random));
            long start = System.nanoTime();
            hub.post("/api/v1/sboms", "application/json", huge, 201);
            report.note("huge image in the listing", options.hugePackages() + " packages, " + huge.length / (1024 * 1024) + " MiB CycloneDX, ingested in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            existing++;
        }
        for (int image = existing; image < options.images(); image++) {
            hub.post("/api/v1/sboms", "application/json", alpineVariant(alpineJson, random), 201);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (hub.get("/api/v1/images?limit=1000").path("images").size() < options.images()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hub did not list " + options.images() + " images within 10 minutes");
            }
            Thread.sleep(200);
        }
        String adminHeader = hub.adminAuthorization();
        String path = "/api/v1/images?limit=1000";
        HttpResponse<String> page = hub.get(path, adminHeader);
        check(page, "the image listing");
        bare.page("images", Buffer.buffer(page.body()));
        report.note("image listing bytes (limit=1000)", String.valueOf(page.body().length()));
        compare(options, driver, report, "admin listing (GET /api/v1/images?limit=1000 of " + options.images() + " images)",
                hub.base(), index -> LoadDriver.Request.get(path, adminHeader),
                bareBase, index -> LoadDriver.Request.get("/page/images", null), 200, 1, "-");
        // one client, one request at a time: the latency an admin sees
        LoadResult alone = driver.run("listing, one client", hub.base(), index -> LoadDriver.Request.get(path, adminHeader), 200, 1,
                Duration.ofSeconds(2), Duration.ofSeconds(options.seconds()));
        report.load("GET /api/v1/images?limit=1000 of " + options.images() + " images, one client", alone, "p50 < 100 ms");
    }

    /** SBOM ingest end to end over HTTP vs a Jackson token pass over the same bytes, both one document at a time. */
    private static void sbom(BenchOptions options, BenchHub hub, BenchReport report)
            throws IOException
    {
        SyntheticImage image = SyntheticSbomGenerator.cached(options.work().resolve("synthetic"), SyntheticSbomGenerator.Options.DEFAULT);
        byte[] document = Files.readAllBytes(image.sbom());
        report.note("synthetic SBOM", SyntheticSbomGenerator.Options.DEFAULT.packages() + " packages, " + image.listedFiles() + " files, " + document.length / (1024 * 1024) + " MiB");
        JsonFactory factory = new JsonFactory();
        long tokens = 0;
        // warm-up of both, then the measured runs
        tokens += tokenPass(factory, document);
        hub.post("/api/v1/sboms", "application/json", document, 201);
        long[] jackson = new long[options.sbomRuns()];
        long[] ingest = new long[options.sbomRuns()];
        for (int run = 0; run < options.sbomRuns(); run++) {
            long start = System.nanoTime();
            tokens += tokenPass(factory, document);
            jackson[run] = System.nanoTime() - start;
            start = System.nanoTime();
            hub.post("/api/v1/sboms", "application/json", document, 201);
            ingest[run] = System.nanoTime() - start;
        }
        report.note("JSON tokens per pass", String.valueOf(tokens / (options.sbomRuns() + 1)));
        Arrays.sort(jackson);
        Arrays.sort(ingest);
        double jacksonSeconds = jackson[jackson.length / 2] / 1e9;
        double ingestSeconds = ingest[ingest.length / 2] / 1e9;
        report.ratio("SBOM ingest, 20k-package synthetic image (median of " + options.sbomRuns() + ", MB/s)",
                document.length / 1e6 / ingestSeconds, document.length / 1e6 / jacksonSeconds, ingestSeconds * 1000, jacksonSeconds * 1000, "0.3");
    }

    private static long tokenPass(JsonFactory factory, byte[] document)
            throws IOException
    {
        long tokens = 0;
        try (JsonParser parser = factory.createParser(document)) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }

    private static void compare(BenchOptions options, LoadDriver driver, BenchReport report, String name, URI hubBase, IntFunction<LoadDriver.Request> hubRequests,
            URI bareBase, IntFunction<LoadDriver.Request> bareRequests, int status, int itemsPerRequest, String target)
            throws InterruptedException
    {
        Duration warmUp = Duration.ofSeconds(options.warmUp());
        Duration measured = Duration.ofSeconds(options.seconds());
        LoadResult bareResult = driver.run(name + " — bare Vert.x", bareBase, bareRequests, status, options.connections(), warmUp, measured);
        LoadResult hubResult;
        List<String> profile;
        try (StackSampler sampler = new StackSampler()) {
            hubResult = driver.run(name + " — hub", hubBase, hubRequests, status, options.connections(), warmUp, measured);
            profile = sampler.top(12);
        }
        report.compared(name, hubResult, bareResult, itemsPerRequest, target);
        report.profile(name, profile);
    }

    /** 64 different batches of 50 events (random workloads and files of the demo's alpine image), to be sent in turn. */
    static Buffer[] eventBatches()
    {
        Random random = new Random(14);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Buffer[] batches = new Buffer[64];
        for (int i = 0; i < batches.length; i++) {
            StringBuilder body = new StringBuilder();
            for (int event = 0; event < 50; event++) {
                int workload = random.nextInt(20);
                body.append(eventLine(now.plusMillis(i * 50L + event), "prod-eu", "bench", "worker-" + workload, ALPINE_FILES[random.nextInt(ALPINE_FILES.length)]));
            }
            batches[i] = Buffer.buffer(body.toString());
        }
        return batches;
    }

    static String eventLine(Instant time, String cluster, String namespace, String workload, String[] file)
    {
        return "{\"time\":\"" + time + "\",\"cluster\":\"" + cluster + "\",\"namespace\":\"" + namespace + "\",\"workloadKind\":\"Deployment\",\"workloadName\":\""
                + workload + "\",\"pod\":\"" + workload + "-pod\",\"container\":\"" + workload + "\",\"containerId\":\"containerd://" + Integer.toHexString(workload.hashCode())
                + "\",\"image\":\"" + ALPINE_NAME + "\",\"imageDigest\":\"" + ALPINE_DIGEST + "\",\"files\":[{\"kind\":\"" + file[0] + "\",\"path\":\"" + file[1]
                + "\",\"process\":\"/usr/bin/worker\"}]}\n";
    }

    /** The alpine SBOM as the SBOM of another image: every digest that names the image replaced by a random one. */
    /** A CycloneDX SBOM of image {@code digest} with {@code packages} npm components and no file evidence. */
    static byte[] hugeImage(int packages, String digest)
    {
        StringBuilder json = new StringBuilder(packages * 140 + 512);
        json.append("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"metadata\":{\"component\":")
                .append("{\"type\":\"container\",\"bom-ref\":\"huge-image\",\"name\":\"bench/huge\",\"version\":\"").append(digest).append("\"}},")
                .append("\"components\":[");
        for (int i = 0; i < packages; i++) {
            String name = "huge-package-" + i;
            String version = (i % 7) + "." + (i % 13) + "." + (i % 5);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"type\":\"library\",\"bom-ref\":\"pkg:npm/").append(name).append('@').append(version)
                    .append("\",\"name\":\"").append(name).append("\",\"version\":\"").append(version)
                    .append("\",\"purl\":\"pkg:npm/").append(name).append('@').append(version).append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] alpineVariant(String alpineJson, Random random)
    {
        String variant = alpineJson;
        for (String digest : ALPINE_IMAGE_DIGESTS) {
            variant = variant.replace(digest, randomDigest(random));
        }
        return variant.getBytes(StandardCharsets.UTF_8);
    }

    static String randomDigest(Random random)
    {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "sha256:" + HexFormat.of().formatHex(bytes);
    }

    private static void check(HttpResponse<String> response, String what)
    {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static long heapUsedMegabytes()
    {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews both sides of every ratio. */
    /**
     * Starts to ready, each the median of {@value #COLD_STARTS} (the 10,000-image folder: one), without and
     * with the class-data archive that {@code runlight cds} makes; with each, the CPU time the start used.
     */
    private static void coldStarts(BenchOptions options, BenchReport report)
            throws IOException, InterruptedException
    {
        ColdStart coldStart = new ColdStart(options.plugins(), options.work());
        Path archive = coldStart.classDataArchive();
        for (Optional<Path> withArchive : List.of(Optional.<Path>empty(), Optional.of(archive))) {
            String how = withArchive.isPresent() ? ", class-data archive (runlight cds)" : ", no class-data archive";
            List<ColdStart.Start> starts = new ArrayList<>();
            for (int run = 0; run < COLD_STARTS; run++) {
                starts.add(coldStart.toReady(coldStart.emptyFolder(), withArchive));
            }
            starts.sort(Comparator.comparingDouble(ColdStart.Start::millis));
            ColdStart.Start median = starts.get(COLD_STARTS / 2);
            report.single("cold start to ready, empty data folder" + how + " (median of " + COLD_STARTS + ")", median.millis(), "< 3000 ms");
            report.note("CPU time (ms) of the median start, empty data folder" + how, String.valueOf(Math.round(median.cpuMillis())));
        }
        if (options.coldImages() > 0) {
            Path populated = coldStart.populated(options.coldImages(), BenchHub.demoFile("alpine-3.17.2.syft.json"));
            for (Optional<Path> withArchive : List.of(Optional.<Path>empty(), Optional.of(archive))) {
                String how = withArchive.isPresent() ? ", class-data archive (runlight cds)" : ", no class-data archive";
                ColdStart.Start start = coldStart.toReady(populated, withArchive);
                report.single("cold start to ready, " + options.coldImages() + " images" + how, start.millis(), "< 10000 ms");
                report.note("CPU time (ms) of the start with " + options.coldImages() + " images" + how, String.valueOf(Math.round(start.cpuMillis())));
            }
        }
    }

    static String loadAverage()
    {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, String> machine()
            throws IOException
    {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        machine.put("max heap (MB)", String.valueOf(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        Path cpuInfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuInfo)) {
            try (InputStream in = Files.newInputStream(cpuInfo)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                text.lines().filter(line -> line.startsWith("model name")).findFirst().ifPresent(line -> machine.put("cpu", line.substring(line.indexOf(':') + 1).strip()));
            }
        }
        machine.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        machine.put("load average at start", loadAverage());
        return machine;
    }
}
