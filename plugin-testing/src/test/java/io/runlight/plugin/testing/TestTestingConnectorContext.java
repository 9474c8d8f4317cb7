package io.runlight.plugin.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.HttpServer;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.InboundResponse;
import io.runlight.plugin.api.connector.OutboundRequest;
import io.runlight.plugin.api.connector.Page;
import io.runlight.plugin.api.connector.PageRequest;
import io.runlight.plugin.api.connector.VexFormat;
import io.runlight.plugin.api.connector.WorkloadQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTestingConnectorContext
{
    private static final ProfileSummary PROFILE = new ProfileSummary(ProfileState.LEARNING, 0, Duration.ofDays(14), Optional.empty(), Optional.empty());

    @Test
    void pagesWorkloadsAndImagesWithCursorsItIssued()
    {
        TestingConnectorContext context = new TestingConnectorContext()
                .withImage(image("b"), List.of(workload("prod", "shop", "cart", "b"), workload("dev", "shop", "cart", "b")))
                .withImage(image("a"), List.of(workload("prod", "api", "gateway", "a")));

        Page<WorkloadInsights> first = context.insights().workloads(new WorkloadQuery(Optional.of("prod"), Optional.empty()), PageRequest.first(1));
        assertThat(first.items()).extracting(item -> item.workload().name()).containsExactly("gateway");
        Page<WorkloadInsights> second = context.insights().workloads(new WorkloadQuery(Optional.of("prod"), Optional.empty()), new PageRequest(1, first.next()));
        assertThat(second.items()).extracting(item -> item.workload().name()).containsExactly("cart");
        assertThat(second.next()).isEmpty();

        Page<ImageInsights> images = context.insights().images(PageRequest.first(1));
        assertThat(images.items()).containsExactly(image("a"));
        assertThat(context.insights().images(new PageRequest(5, images.next())).items()).containsExactly(image("b"));
        assertThatThrownBy(() -> context.insights().images(new PageRequest(5, Optional.of("bm90LWlzc3VlZA"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid cursor 'bm90LWlzc3VlZA'");
    }

    @Test
    void findsImagesAndTheirVexByDigest()
    {
        TestingConnectorContext context = new TestingConnectorContext()
                .withImage(image("a"), List.of())
                .withVex(digest("a"), VexFormat.OPENVEX, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(context.insights().image(digest("a"))).contains(image("a"));
        assertThat(context.insights().image(digest("c"))).isEmpty();
        assertThat(context.insights().vex(digest("a"), VexFormat.OPENVEX)).hasValueSatisfying(document -> assertThat(document).containsExactly('{', '}'));
        assertThat(context.insights().vex(digest("a"), VexFormat.CYCLONEDX)).isEmpty();
    }

    @Test
    void stateKeepsTheHubsLimitsAndClockMovesOnlyWhenTold()
    {
        TestingConnectorContext context = new TestingConnectorContext(Instant.parse("2026-01-01T00:00:00Z")).withIntegration("int-9", "scout-eu");
        context.state().put("env|prod", "1");
        context.state().put("env|dev", "2");
        context.state().put("other", "3");

        assertThat(context.state().entries("env|")).containsExactly(Map.entry("env|dev", "2"), Map.entry("env|prod", "1"));
        assertThatThrownBy(() -> context.state().put("k".repeat(257), "v"))
                .hasMessage("state key must have 1 to 256 characters, not 257");
        assertThatThrownBy(() -> context.state().put("k", "v".repeat(64 * 1024 + 1)))
                .hasMessage("the value for state key 'k' has 65537 characters; the hub keeps at most 65536: store an id, not a document");
        context.clock().advance(Duration.ofMinutes(5));
        assertThat(context.clock().instant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
        assertThat(context.integrationId() + " " + context.integrationName()).isEqualTo("int-9 scout-eu");
    }

    @Test
    void senderPerformsTheRequestAsTheHubWould()
            throws Exception
    {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] received = exchange.getRequestBody().readAllBytes();
            byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("X-Key") + " " + new String(received, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "7");
            exchange.sendResponseHeaders(503, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
            InboundResponse response = new TestingHttpSender().send(OutboundRequest.builder("PUT", uri).header("X-Key", "k1").body("{}".getBytes(StandardCharsets.UTF_8)).build());

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.bodyText()).isEqualTo("PUT k1 {}");
            assertThat(response.header("retry-after")).contains("7");
        }
        finally {
            server.stop(0);
        }
    }

    private static ImageDigest digest(String letter)
    {
        return new ImageDigest("sha256:" + letter.repeat(64));
    }

    private static ImageInsights image(String letter)
    {
        return new ImageInsights(digest(letter), List.of(), List.of(), Optional.empty(), PROFILE, new InsightsSummary(0, 0, 0, 0, 0, 0), List.of(), List.of());
    }

    private static WorkloadInsights workload(String cluster, String namespace, String name, String letter)
    {
        return new WorkloadInsights(new Workload(cluster, namespace, "Deployment", name, name), digest(letter), List.of(), PROFILE, List.of());
    }
}
