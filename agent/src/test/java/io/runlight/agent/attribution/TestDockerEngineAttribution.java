package io.runlight.agent.attribution;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.agent.proc.ContainerRef;
import io.runlight.agent.proc.ContainerRuntime;
import io.runlight.plugin.api.ImageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker attribution against a stand-in Engine API on a real unix socket, answering with the
 * shapes of the Engine API reference (v1.43: {@code ContainerInspectResponse}, {@code ImageInspect};
 * {@code RepoDigests} may be null, moby/moby#45556).
 */
class TestDockerEngineAttribution
{
    private static final String WEB = "4f2a9c1be0d34a7c8e5b6f70819a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";
    private static final String LOCAL = "b5b6f2da8008be266864f896f93789762b2ce50792114a5c5f2cc3315af0bc70";
    private static final String NGINX_ID = "sha256:" + "a".repeat(64);
    private static final String LOCAL_ID = "sha256:" + "b".repeat(64);
    private static final String NGINX_REPO_DIGEST = "nginx@sha256:" + "c".repeat(64);

    @TempDir
    Path folder;

    private ServerSocketChannel server;
    private Thread engine;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startEngine()
            throws IOException
    {
        answers.put("/containers/" + WEB + "/json", ok("{\"Id\":\"" + WEB + "\",\"Created\":\"2026-12-07T06:00:00.1Z\",\"Path\":\"nginx\",\"Args\":[\"-g\",\"daemon off;\"],"
                + "\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":4242},\"Image\":\"" + NGINX_ID + "\",\"Name\":\"/shop-web-1\",\"Driver\":\"overlay2\","
                + "\"Config\":{\"Hostname\":\"4f2a9c1be0d3\",\"Image\":\"nginx:1.27\",\"Labels\":{\"com.docker.compose.project\":\"shop\",\"com.docker.compose.service\":\"web\"}}}"));
        answers.put("/images/" + NGINX_ID + "/json", chunked("{\"Id\":\"" + NGINX_ID + "\",\"RepoTags\":[\"nginx:1.27\"],\"RepoDigests\":[\"" + NGINX_REPO_DIGEST + "\"],"
                + "\"Os\":\"linux\",\"Architecture\":\"amd64\"}"));
        answers.put("/containers/" + LOCAL + "/json", ok("{\"Id\":\"" + LOCAL + "\",\"Image\":\"" + LOCAL_ID + "\",\"Name\":\"/builder\",\"Config\":{\"Image\":\"local/tool\",\"Labels\":null}}"));
        answers.put("/images/" + LOCAL_ID + "/json", ok("{\"Id\":\"" + LOCAL_ID + "\",\"RepoTags\":[\"local/tool:latest\"],\"RepoDigests\":null}"));
        Path socket = folder.resolve("docker.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        engine = new Thread(this::serve, "stand-in-docker-engine");
        engine.setDaemon(true);
        engine.start();
    }

    @AfterEach
    void stopEngine()
            throws Exception
    {
        server.close();
        engine.join(5000);
    }

    @Test
    void namesAComposeServiceByItsRepoDigestAndAsksOncePerContainer()
    {
        DockerEngineAttribution docker = new DockerEngineAttribution(folder.resolve("docker.sock"), Clock.systemUTC());

        Optional<Workload> web = docker.workload(new ContainerRef(ContainerRuntime.DOCKER, WEB));
        assertThat(web).contains(new Workload(Optional.empty(), Optional.of("ComposeService"), Optional.of("web"), Optional.empty(), Optional.of("shop-web-1"),
                "docker://" + WEB, Optional.of(NGINX_REPO_DIGEST), new ImageDigest(NGINX_ID)));
        for (int i = 0; i < 5; i++) {
            assertThat(docker.workload(new ContainerRef(ContainerRuntime.DOCKER, WEB))).isEqualTo(web);
        }
        assertThat(requests).containsExactly("GET /containers/" + WEB + "/json", "GET /images/" + NGINX_ID + "/json");
    }

    @Test
    void aLocalBuildHasNoRepoDigestAndKeepsItsName()
    {
        DockerEngineAttribution docker = new DockerEngineAttribution(folder.resolve("docker.sock"), Clock.systemUTC());

        assertThat(docker.workload(new ContainerRef(ContainerRuntime.DOCKER, LOCAL))).contains(new Workload(Optional.empty(), Optional.of("Container"),
                Optional.of("builder"), Optional.empty(), Optional.of("builder"), "docker://" + LOCAL, Optional.of("local/tool"), new ImageDigest(LOCAL_ID)));
    }

    @Test
    void aContainerTheEngineDoesNotKnowIsAskedAgainOnlyAfterAMinute()
    {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
        DockerEngineAttribution docker = new DockerEngineAttribution(folder.resolve("docker.sock"), clock);
        ContainerRef other = new ContainerRef(ContainerRuntime.UNKNOWN, "d".repeat(64));

        assertThat(docker.workload(other)).isEmpty();
        clock.now = clock.now.plusSeconds(30);
        assertThat(docker.workload(other)).isEmpty();
        clock.now = clock.now.plusSeconds(31);
        assertThat(docker.workload(other)).isEmpty();
        assertThat(requests).containsExactly("GET /containers/" + "d".repeat(64) + "/json", "GET /containers/" + "d".repeat(64) + "/json");
        // containerd's and CRI-O's containers are never the Engine's
        assertThat(docker.workload(new ContainerRef(ContainerRuntime.CONTAINERD, WEB))).isEmpty();
        assertThat(requests).hasSize(2);
    }

    @Test
    void aBrokenAnswerOrAnAbsentSocketNamesNothing()
    {
        answers.put("/containers/" + WEB + "/json", "HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{\"Id\":");
        assertThat(new DockerEngineAttribution(folder.resolve("docker.sock"), Clock.systemUTC()).workload(new ContainerRef(ContainerRuntime.DOCKER, WEB))).isEmpty();
        answers.put("/containers/" + WEB + "/json", ok("{\"Id\":\"" + WEB + "\",\"Image\":\"nginx:1.27\"}"));
        assertThat(new DockerEngineAttribution(folder.resolve("docker.sock"), Clock.systemUTC()).workload(new ContainerRef(ContainerRuntime.DOCKER, WEB))).isEmpty();
        assertThat(new DockerEngineAttribution(folder.resolve("absent.sock"), Clock.systemUTC()).workload(new ContainerRef(ContainerRuntime.DOCKER, WEB))).isEmpty();
    }

    private void serve()
    {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                StringBuilder request = new StringBuilder();
                while (!request.toString().contains("\r\n\r\n") && client.read(buffer) > 0) {
                    buffer.flip();
                    request.append(StandardCharsets.US_ASCII.decode(buffer));
                    buffer.clear();
                }
                String line = request.toString().lines().findFirst().orElse("");
                String path = line.split(" ")[1];
                requests.add(line.substring(0, line.lastIndexOf(' ')));
                String answer = answers.getOrDefault(path, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n{\"message\":\"No such object\"}\n");
                ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    client.write(out);
                }
            }
            catch (IOException e) {
                // the socket closed at the end of a test: the engine stops
                return;
            }
        }
    }

    private static String ok(String json)
    {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 200 OK\r\nApi-Version: 1.43\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }

    private static String chunked(String json)
    {
        int half = json.length() / 2;
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(half) + "\r\n" + json.substring(0, half) + "\r\n"
                + Integer.toHexString(json.length() - half) + "\r\n" + json.substring(half) + "\r\n0\r\n\r\n";
    }

    private static final class MutableClock
            extends Clock
    {
        Instant now;

        MutableClock(Instant now)
        {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
