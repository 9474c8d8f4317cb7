package io.runlight.benchmarks.hub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.vertx.core.buffer.Buffer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static java.util.Objects.requireNonNull;

/**
 * 1 → 3 members on loopback: the same requests (events ingest and the Snyk serve route) sent
 * to a cluster of one member and then spread over a cluster of three, all members in this
 * JVM on one machine, sharing an embedded PostgreSQL (a cluster needs a shared database; the
 * one member runs on PostgreSQL too, so that the two runs differ only in the member count).
 * The figure is throughput per member: on one machine three members share its cores, so
 * what it shows is what the cluster's own work (backups, partition hops, near-cache
 * invalidations) costs, not how a cluster of three machines scales.
 */
final class MemberScaling
        implements AutoCloseable
{
    /** Hazelcast settings for members that join quickly; the hub has no configuration key for them. */
    private static final Map<String, String> FAST_JOIN = Map.of(
            "hazelcast.wait.seconds.before.join", "1",
            "hazelcast.max.wait.seconds.before.join", "3");
    /** Every member seals integration secrets with the same key (a cluster requires one). */
    private static final String SECRETS_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private final BenchOptions options;
    private final LoadDriver driver;
    private final BenchReport report;
    private final EmbeddedPostgres postgres;
    private final Map<String, Optional<String>> previousProperties = new HashMap<>();

    private MemberScaling(BenchOptions options, LoadDriver driver, BenchReport report, EmbeddedPostgres postgres)
    {
        this.options = requireNonNull(options, "options is null");
        this.driver = requireNonNull(driver, "driver is null");
        this.report = requireNonNull(report, "report is null");
        this.postgres = requireNonNull(postgres, "postgres is null");
    }

    static MemberScaling start(BenchOptions options, LoadDriver driver, BenchReport report)
            throws IOException
    {
        MemberScaling scaling = new MemberScaling(options, driver, report, EmbeddedPostgres.start());
        FAST_JOIN.forEach((key, value) -> {
            scaling.previousProperties.put(key, Optional.ofNullable(System.getProperty(key)));
            System.setProperty(key, value);
        });
        return scaling;
    }

    /** One cluster of one member, then one of three; prints per-member throughput and its ratio for events ingest and the Snyk serve route. */
    void run()
            throws Exception
    {
        Map<String, LoadResult> one = measure(1);
        Map<String, LoadResult> three = measure(3);
        for (String part : one.keySet()) {
            report.scaling(part, one.get(part), three.get(part), 3, part.startsWith("events") ? 50 : 1);
        }
    }

    private Map<String, LoadResult> measure(int size)
            throws Exception
    {
        String database = "bench_members_" + size + "_" + Long.toString(System.currentTimeMillis(), 36);
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            clusterPorts.add(BenchHub.freePort());
        }
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("cluster.name", "runlight-bench-" + clusterPorts.get(0));
        shared.put("cluster.join", "tcp");
        shared.put("cluster.members", String.join(",", clusterPorts.stream().map(port -> "127.0.0.1:" + port).toList()));
        shared.put("database.url", postgres.getJdbcUrl("postgres", database));
        shared.put("database.user", "postgres");
        shared.put("database.password", "postgres");
        shared.put("secrets.key", SECRETS_KEY);
        shared.put("insights.learning-window", "PT0S");
        List<BenchHub> members = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(size);
        try {
            // started at once: a member waits for the others to join
            List<Future<BenchHub>> starting = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Map<String, String> settings = new LinkedHashMap<>(shared);
                settings.put("cluster.port", String.valueOf(clusterPorts.get(i)));
                Path dataDir = options.work().resolve("member-" + size + "-" + (i + 1) + "-" + System.currentTimeMillis());
                starting.add(starter.submit(() -> BenchHub.start(dataDir, options.plugins(), settings)));
            }
            for (Future<BenchHub> member : starting) {
                members.add(member.get(5, TimeUnit.MINUTES));
            }
            return load(size, members);
        }
        finally {
            starter.shutdownNow();
            for (BenchHub member : members) {
                member.close();
            }
        }
    }

    private Map<String, LoadResult> load(int size, List<BenchHub> members)
            throws Exception
    {
        BenchHub first = members.get(0);
        awaitMembers(members, size);
        for (BenchHub member : members) {
            member.awaitPlugin("snyk");
        }
        // set up through the first member (its own key signs the admin JWT); the tokens work on every member
        BenchHub.Integration snyk = first.createIntegration("snyk", "Bench Snyk", "{}");
        String ingest = first.createIngestToken("bench sensor");
        HubBench.loadDemoSample(first);
        String servePath = HubBench.SERVE_PATH + "?clusterName=prod-eu&limit=100";
        HttpResponse<String> page = first.get(servePath, "Bearer " + snyk.token());
        if (page.statusCode() != 200) {
            throw new IllegalStateException("the Snyk serve route answered " + page.statusCode() + " on the first member: " + page.body());
        }
        for (BenchHub member : members) {
            awaitPage(member, servePath, snyk.token(), page.body());
        }
        List<URI> bases = members.stream().map(BenchHub::base).toList();
        Duration warmUp = Duration.ofSeconds(options.warmUp());
        Duration measured = Duration.ofSeconds(options.seconds());
        Buffer[] batches = HubBench.eventBatches();
        IntFunction<LoadDriver.Request> events = index -> LoadDriver.Request.post("/api/v1/runtime/events", "Bearer " + ingest, "application/x-ndjson", batches[index % batches.length]);
        IntFunction<LoadDriver.Request> serve = index -> LoadDriver.Request.get(servePath, "Bearer " + snyk.token());
        Map<String, LoadResult> results = new LinkedHashMap<>();
        String label = size + (size == 1 ? " member" : " members");
        results.put("events ingest (50-event batches)", driver.run("events ingest, " + label, bases, events, 202, options.connections(), warmUp, measured));
        results.put("Snyk serve route", driver.run("Snyk serve route, " + label, bases, serve, 200, options.connections(), warmUp, measured));
        return results;
    }

    private static void awaitMembers(List<BenchHub> members, int size)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!members.stream().allMatch(member -> member.hub().store().hazelcast().getCluster().getMembers().size() == size)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + size + " bench members did not form one cluster within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** Until the member answers the page the first member answered (its near cache and plugins are ready). */
    private static void awaitPage(BenchHub member, String path, String token, String expected)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> page = member.get(path, "Bearer " + token);
            if (page.statusCode() == 200 && page.body().length() == expected.length()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("member " + member.base() + " did not serve the Snyk page within 60 s: " + page.statusCode() + " " + page.body());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            postgres.close();
        }
        finally {
            previousProperties.forEach((key, value) -> {
                if (value.isPresent()) {
                    System.setProperty(key, value.get());
                }
                else {
                    System.clearProperty(key);
                }
            });
        }
    }
}
