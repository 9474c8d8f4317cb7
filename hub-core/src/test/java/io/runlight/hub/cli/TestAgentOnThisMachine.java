package io.runlight.hub.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.agent.Agent;
import io.runlight.agent.AgentSettings;
import io.runlight.agent.AgentSettingsLoader;
import io.runlight.agent.attribution.HostIdentity;
import io.runlight.agent.delivery.HubConnection;
import io.runlight.agent.delivery.ObservationBuffer;
import io.runlight.agent.proc.ProcSampler;
import io.runlight.hub.Await;
import io.runlight.hub.auth.AdminTokens;
import io.runlight.hub.auth.Role;
import io.runlight.hub.config.ConfigLoader;
import io.runlight.hub.config.ValueParsers;
import io.runlight.hub.server.Hub;
import io.runlight.insights.input.InputLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent's acceptance on this machine: real processes (a shell script, python3 importing
 * ssl and sqlite3, a java program loading two jars), sampled from the real {@code /proc} by
 * {@code runlight agent --once}, arrive at a real hub; the host's image is cataloged from
 * {@code /} and the Debian packages and jars those processes load are in use, with the kind
 * of evidence the agent saw. Sampling proves use, never non-use: a package nothing here runs
 * stays unknown, with the reason. With the hub stopped, the agent keeps its observations and
 * delivers them once when the hub is back.
 */
class TestAgentOnThisMachine
{
    private static final ObjectMapper JSON = new ObjectMapper();
    // the folders of a Debian host its packages live in; the test's jars go to /var/tmp
    private static final Set<String> HOST_FOLDERS = Set.of("usr", "etc", "var", "bin", "sbin", "lib", "lib64", "lib32", "libx32");

    @TempDir
    static Path hubFolder;
    // one hub for the class, on a fixed port so that the outage test can bring it back where the agent looks for it
    private static int port;
    private static Hub hub;

    @TempDir
    Path folder;

    private Path jars;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startSharedHub()
    {
        port = CliHub.freePort();
        hub = startHub(port);
    }

    @AfterAll
    static void stopHub()
    {
        if (hub != null) {
            hub.close();
        }
    }

    @BeforeEach
    void onADebianMachine()
            throws IOException
    {
        assumeTrue(Files.isRegularFile(Path.of("/var/lib/dpkg/status")), "not a Debian-family machine");
        assumeTrue(Files.isRegularFile(Path.of("/usr/bin/python3")), "no Debian python3");
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc");
        jars = Files.createTempDirectory(Path.of("/var/tmp"), "runlight-agent-test");
    }

    @AfterEach
    void stop()
            throws Exception
    {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (jars != null) {
            try (Stream<Path> files = Files.walk(jars)) {
                files.sorted((left, right) -> right.compareTo(left)).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Tag("package-managers")
    void realProcessesArriveAtTheHubAndTheirPackagesAreInUse()
            throws Exception
    {
        String token = ingestToken();
        Path script = folder.resolve("wait.sh");
        Files.writeString(script, "#!/bin/sh\necho ready\nread line\n");
        started(new ProcessBuilder("/bin/sh", script.toString()));
        started(new ProcessBuilder("/usr/bin/python3", "-c", "import ssl, sqlite3, sys; print('ready', flush=True); sys.stdin.read()"));
        started(javaWithTwoJars());

        Path settings = folder.resolve("agent.yaml");
        Files.writeString(settings, "host:\n  name: test-node\n  exclude: [" + String.join(", ", otherFolders()) + "]\n");
        CliHub.Result result = CliHub.run("agent", "--once", "--hub", httpUrl(), "--token", token, "--cluster", "lab", "--config", settings.toString(),
                "--output", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode round = JSON.readTree(result.out());
        assertThat(round.path("hubReachable").asBoolean()).isTrue();
        assertThat(round.path("pending").asInt()).isZero();
        assertThat(round.path("sent").asInt()).isPositive();
        String host = HostIdentity.of("test-node", Path.of("/")).digest().value();
        assertThat(round.path("images").toString()).contains("{\"digest\":\"" + host + "\",\"result\":\"UPLOADED\"");

        JsonNode image = awaitImage(host, packages -> inUse(packages).containsAll(List.of("dash", "libc6", "libssl3", "libsqlite3-0", "agent-lib", "agent-app")));
        Map<String, JsonNode> byName = byName(image.path("packages"));
        // the shell is executed; the C library mapped; python's ssl and sqlite3 libraries mapped; the jars held open by the JVM
        assertThat(kinds(byName.get("dash"))).contains("exec");
        assertThat(kinds(byName.get("libc6"))).contains("mmap");
        assertThat(kinds(byName.get("libssl3"))).containsExactly("mmap");
        assertThat(kinds(byName.get("agent-lib"))).containsExactly("open");
        assertThat(byName.get("agent-lib").path("purl").asText()).isEqualTo("pkg:maven/io.runlight.test/agent-lib@1.0");
        assertThat(byName.get("agent-lib").path("evidence").get(0).path("path").asText()).isEqualTo(jars.resolve("agent-lib-1.0.jar").toString());
        // nothing here runs git: a sample cannot tell that it never ran, so it stays unknown, saying why
        assumeTrue(byName.containsKey("git"), "git is not installed from a Debian package");
        assertThat(byName.get("git").path("usage").asText()).isEqualTo("UNKNOWN");
        assertThat(byName.get("git").path("reason").asText()).isEqualTo("no source that observed this image sees exec (seen: Runlight agent's /proc samples "
                + "(executables, mappings and open descriptors of the processes alive at each sample), which only show the processes alive when they were taken): "
                + "its executables cannot be judged");
    }

    @Test
    void withTheHubStoppedObservationsWaitAndArriveOnce()
            throws Exception
    {
        String token = ingestToken();
        AgentSettings settings = new AgentSettingsLoader(Map.of(), ValueParsers::duration).load(Optional.empty(), Map.of(
                AgentSettingsLoader.HOST_NAME, "outage-node", AgentSettingsLoader.CATALOG, "false", AgentSettingsLoader.BUFFER_CAPACITY, "50000"));
        HostIdentity host = HostIdentity.of("outage-node", Path.of("/"));
        HubConnection connection = new HubConnection(URI.create(httpUrl()), token, HttpClient.newHttpClient());
        ObservationBuffer buffer = new ObservationBuffer(settings.bufferCapacity(), settings.refreshAfter());
        Agent agent = new Agent(settings, new ProcSampler(Path.of("/proc"), InputLimits.DEFAULT, Set.of(ProcessHandle.current().pid())), List.of(),
                host, buffer, connection, Optional.empty(), Clock.systemUTC());

        Agent.Round before = agent.runOnce();
        assertThat(before.hubReachable()).isTrue();
        assertThat(before.pending()).isZero();

        hub.close();
        hub = null;
        Path watched = folder.resolve("watched.log");
        Files.writeString(watched, "one line\n");
        // a copy of tail that nothing else on this machine runs: a tail of another process, seen before the hub stopped, is not sent again
        Path tail = Files.copy(Path.of("/usr/bin/tail"), folder.resolve("outage-tail"));
        Files.setPosixFilePermissions(tail, PosixFilePermissions.fromString("rwxr-xr-x"));
        String tailPath = tail.toRealPath().toString();
        started(new ProcessBuilder(tailPath, "-f", watched.toString()));
        List<Agent.Round> away = List.of(agent.runOnce(), agent.runOnce(), agent.runOnce());
        assertThat(away).allSatisfy(round -> {
            assertThat(round.hubReachable()).isFalse();
            assertThat(round.sent()).isZero();
        });
        // tail was seen three times and waits once: its exec and its mapping
        assertThat(buffer.next(Integer.MAX_VALUE)).filteredOn(observation -> observation.use().path().equals(tailPath))
                .extracting(observation -> observation.use().kind().wireName())
                .containsExactlyInAnyOrder("exec", "mmap");
        assertThat(away.get(2).pending()).isPositive().isEqualTo(buffer.pending());

        hub = startHub(port);
        Agent.Round after = agent.runOnce();
        assertThat(after.hubReachable()).isTrue();
        assertThat(after.pending()).isZero();
        // what waited, and whatever else started meanwhile (this machine is busy)
        assertThat(after.sent()).isGreaterThanOrEqualTo(away.get(2).pending());

        // the hub has tail's exec and mapping once each, though three rounds saw them while the hub was away
        List<JsonNode> tailEvidence = awaitEvidence(host.digest().value(), tailPath);
        assertThat(tailEvidence).extracting(evidence -> evidence.path("kind").asText() + " " + evidence.path("count").asInt())
                .containsExactlyInAnyOrder("exec 1", "mmap 1");
    }

    private List<JsonNode> awaitEvidence(String digest, String path)
            throws Exception
    {
        String body = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,\"metadata\":{\"component\":{\"type\":\"container\",\"name\":\"host/outage-node\","
                + "\"version\":\"" + digest + "\",\"bom-ref\":\"" + digest + "\"}},\"components\":[{\"type\":\"library\",\"bom-ref\":\"coreutils\",\"name\":\"coreutils\","
                + "\"version\":\"9\",\"purl\":\"pkg:deb/debian/coreutils@9\",\"evidence\":{\"occurrences\":[{\"location\":\"" + path + "\"}]}}]}";
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(httpUrl() + "/api/v1/sboms?image=" + digest))
                .header("Authorization", "Bearer " + adminJwt()).header("Content-Type", "application/vnd.cyclonedx+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        JsonNode image = awaitImage(digest, packages -> inUse(packages).contains("coreutils"));
        JsonNode evidence = byName(image.path("packages")).get("coreutils").path("evidence");
        List<JsonNode> tail = new ArrayList<>();
        evidence.forEach(item -> {
            if (item.path("path").asText().equals(path)) {
                tail.add(item);
            }
        });
        return tail;
    }

    private ProcessBuilder javaWithTwoJars()
            throws IOException
    {
        Path sources = folder.resolve("src");
        Files.createDirectories(sources.resolve("lib"));
        Files.createDirectories(sources.resolve("app"));
        Files.writeString(sources.resolve("lib/Greeting.java"), "package lib; public class Greeting { public static String text() { return \"ready\"; } }\n");
        Files.writeString(sources.resolve("app/Main.java"), "package app; public class Main { public static void main(String[] args) throws Exception {"
                + " System.out.println(lib.Greeting.text()); System.out.flush(); System.in.read(); } }\n");
        Path classes = folder.resolve("classes");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int compiled = compiler.run(null, null, null, "-d", classes.toString(), sources.resolve("lib/Greeting.java").toString(),
                sources.resolve("app/Main.java").toString());
        assertThat(compiled).isZero();
        Path lib = jar("agent-lib", classes.resolve("lib/Greeting.class"), "lib/Greeting.class");
        Path app = jar("agent-app", classes.resolve("app/Main.class"), "app/Main.class");
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xshare:off", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", app + ":" + lib, "app.Main");
    }

    private Path jar(String artifact, Path classFile, String entry)
            throws IOException
    {
        Path jar = jars.resolve(artifact + "-1.0.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classFile));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/maven/io.runlight.test/" + artifact + "/pom.properties"));
            out.write(("groupId=io.runlight.test\nartifactId=" + artifact + "\nversion=1.0\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    // each process prints "ready" once it has loaded what the test looks for
    private void started(ProcessBuilder builder)
            throws Exception
    {
        Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(process);
        if (builder.command().get(0).endsWith("tail")) {
            // a started process may not have run exec yet (on a busy machine for a while): until then its /proc says java
            Path executable = Path.of(builder.command().get(0)).toRealPath();
            Path exe = Path.of("/proc", String.valueOf(process.pid()), "exe");
            boolean execed = Await.await(Duration.ofSeconds(20), () -> Files.isSymbolicLink(exe) && Files.readSymbolicLink(exe).equals(executable));
            assertThat(execed).as("%s ran exec", builder.command()).isTrue();
            return;
        }
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(output.readLine()).as(String.join(" ", builder.command())).isEqualTo("ready");
    }

    // everything at / but the folders Debian packages live in and /var/tmp's test jars: the host catalog stays quick on a developer's machine
    private List<String> otherFolders()
            throws IOException
    {
        List<String> others = new ArrayList<>();
        try (Stream<Path> top = Files.list(Path.of("/"))) {
            top.filter(path -> !HOST_FOLDERS.contains(path.getFileName().toString())).forEach(path -> others.add(path.toString()));
        }
        for (String heavy : List.of("/usr/lib/google-cloud-sdk", "/usr/share/maven-repo", "/usr/share/maven", "/usr/share/java", "/usr/lib/jvm",
                "/usr/lib/python3", "/usr/local", "/usr/share/doc", "/usr/share/locale", "/usr/share/man", "/usr/include", "/var/lib/apt", "/var/cache")) {
            others.add(heavy);
        }
        return others;
    }

    private static Hub startHub(int port)
    {
        Map<String, String> values = new HashMap<>();
        values.put("data-dir", hubFolder.resolve("hub").toString());
        values.put("http.port", Integer.toString(port));
        values.put("https.enabled", "false");
        values.put("cluster.port", "0");
        values.put("insights.learning-window", "0");
        values.put("insights.refresh-interval", "50ms");
        return Hub.start(new ConfigLoader(Map.of()).load(Optional.empty(), values), Clock.systemUTC());
    }

    private String httpUrl()
    {
        return "http://127.0.0.1:" + hub.httpPort().orElseThrow();
    }

    private String adminJwt()
    {
        return new AdminTokens(hub.jwt(), Clock.systemUTC()).mint(Role.ADMIN, Duration.ofHours(1), "test-agent");
    }

    private String ingestToken()
            throws IOException
    {
        CliHub.Result created = CliHub.run("token", "create", "--name", "agent", "--expires-in", "P1M", "--hub", httpUrl(), "--token", adminJwt(),
                "--output", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        return JSON.readTree(created.out()).path("secret").asText();
    }

    // the hub computes insights after the events are stored: poll the image until it shows what the test waits for
    private JsonNode awaitImage(String digest, java.util.function.Predicate<JsonNode> ready)
            throws Exception
    {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode[] image = new JsonNode[1];
        String[] last = {""};
        boolean shown = Await.holdsWithin(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/api/v1/images/" + digest))
                    .header("Authorization", "Bearer " + adminJwt()).GET().build(), HttpResponse.BodyHandlers.ofString());
            last[0] = response.statusCode() + " " + response.body();
            image[0] = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            return image[0] != null && ready.test(image[0].path("packages"));
        });
        assertThat(shown).as("the hub shows image %s as expected; last answer: %s", digest, last[0].length() > 2000 ? last[0].substring(0, 2000) : last[0]).isTrue();
        return image[0];
    }

    private static Set<String> inUse(JsonNode packages)
    {
        Set<String> names = new TreeSet<>();
        packages.forEach(pkg -> {
            if (pkg.path("usage").asText().equals("IN_USE")) {
                names.add(pkg.path("name").asText());
            }
        });
        return names;
    }

    private static Map<String, JsonNode> byName(JsonNode packages)
    {
        Map<String, JsonNode> byName = new HashMap<>();
        packages.forEach(pkg -> byName.putIfAbsent(pkg.path("name").asText(), pkg));
        return byName;
    }

    private static Set<String> kinds(JsonNode pkg)
    {
        Set<String> kinds = new TreeSet<>();
        pkg.path("evidence").forEach(evidence -> kinds.add(evidence.path("kind").asText()));
        return kinds;
    }

}
