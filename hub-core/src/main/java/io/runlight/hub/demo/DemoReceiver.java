package io.runlight.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The demo's local stand-in for Snyk, Docker Hub and Docker Scout, and a webhook endpoint,
 * on 127.0.0.1, so that the demo's push integrations deliver somewhere and nothing leaves
 * the machine. It answers as the real services do where a connector needs an answer (a
 * Docker Hub login token with an expiry, a GraphQL {@code data} object, 200 from Snyk, 204
 * for a webhook whose Standard Webhooks signature verifies) and logs every request on one
 * line: method, path, which integration, body size and what it answered. It stores nothing
 * and never logs bodies, tokens or secrets.
 */
public final class DemoReceiver
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(DemoReceiver.class);

    /** Snyk's {@code upstreamUrl} points here; runtime results arrive under it. */
    public static final String SNYK_UPSTREAM = "/snyk/v2/kubernetes-upstream";
    /** Snyk's "get my details" call of the connection test, at the upstream host's root. */
    static final String SNYK_SELF = "/rest/self";
    /** Docker Scout's {@code hubUrl}: the Docker Hub login. */
    public static final String DOCKER_HUB = "/docker-hub";
    /** Docker Scout's {@code scoutUrl}: the GraphQL API. */
    public static final String SCOUT = "/scout";
    /** Docker Scout's {@code vexUrl}: OpenVEX documents are PUT under it. */
    public static final String SCOUT_VEX = "/scout-vex";
    /** The generic webhook's {@code url}. */
    public static final String WEBHOOK = "/webhook";

    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
    private static final Duration LOGIN_LIFETIME = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final WebhookSignatureCheck signatures;
    private final Clock clock;
    private final PrintStream console;
    private final Writer file;
    private final Path logFile;
    private final AtomicInteger exceptionIds = new AtomicInteger();

    private DemoReceiver(HttpServer server, ExecutorService executor, WebhookSignatureCheck signatures, Clock clock, PrintStream console, Writer file, Path logFile)
    {
        this.server = server;
        this.executor = executor;
        this.signatures = signatures;
        this.clock = clock;
        this.console = console;
        this.file = file;
        this.logFile = logFile;
    }

    /**
     * Listens on a free port of 127.0.0.1.
     *
     * @param logFile appended to, one line per request
     * @param console where the same lines are printed
     */
    public static DemoReceiver start(WebhookSignatureCheck signatures, Path logFile, PrintStream console, Clock clock)
    {
        requireNonNull(signatures, "signatures is null");
        requireNonNull(logFile, "logFile is null");
        requireNonNull(console, "console is null");
        requireNonNull(clock, "clock is null");
        Writer file;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot open the demo receiver's log '" + logFile + "': " + e.getMessage(), e);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        }
        catch (IOException e) {
            closeQuietly(file);
            throw new UncheckedIOException("cannot start the demo receiver on 127.0.0.1: " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "demo-receiver-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        DemoReceiver receiver = new DemoReceiver(server, executor, signatures, clock, console, file, logFile);
        server.setExecutor(executor);
        server.createContext("/", receiver::handle);
        server.start();
        receiver.write("--- demo receiver listening on " + receiver.baseUrl() + " (a local stand-in: nothing is forwarded anywhere)");
        return receiver;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUrl()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Path logFile()
    {
        return logFile;
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String target = query == null ? path : path + "?" + query;
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes((int) MAX_BODY_BYTES + 1);
            }
            Answer answer;
            if (body.length > MAX_BODY_BYTES) {
                answer = new Answer("(unknown)", 413, Optional.empty(), "body larger than " + MAX_BODY_BYTES + " bytes");
            }
            else {
                answer = answer(exchange, method, path, body);
            }
            write(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS) + " " + method + " " + target + " [" + answer.integration() + "] "
                    + body.length + " bytes -> " + answer.status() + " " + answer.note());
            if (answer.body().isPresent()) {
                byte[] bytes = answer.body().get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            else {
                exchange.sendResponseHeaders(answer.status(), -1);
            }
        }
        catch (IOException | RuntimeException e) {
            log.warn("Demo receiver could not answer a request: {}", e.getMessage());
            throw e;
        }
    }

    private Answer answer(HttpExchange exchange, String method, String path, byte[] body)
    {
        if (method.equals("POST") && path.equals(WEBHOOK)) {
            return webhook(exchange, body);
        }
        if (method.equals("POST") && path.equals(DOCKER_HUB + "/v2/users/login")) {
            return login(body);
        }
        if (method.equals("POST") && path.equals(SCOUT + "/v1/graphql")) {
            return graphql(exchange, body);
        }
        if (method.equals("PUT") && path.startsWith(SCOUT_VEX + "/")) {
            return new Answer(DemoIntegrations.SCOUT_NAME, 200, Optional.empty(), "OpenVEX document accepted");
        }
        if (method.equals("POST") && path.equals(SNYK_UPSTREAM + "/api/v1/runtime-results")) {
            return runtimeResults(exchange, body);
        }
        if (method.equals("GET") && path.equals(SNYK_SELF)) {
            if (!header(exchange, "Authorization").orElse("").startsWith("token ")) {
                return new Answer(DemoIntegrations.SNYK_NAME, 401, Optional.of("{\"errors\":[{\"status\":\"401\",\"detail\":\"no token\"}]}"), "no service account token");
            }
            return new Answer(DemoIntegrations.SNYK_NAME, 200,
                    Optional.of("{\"jsonapi\":{\"version\":\"1.0\"},\"data\":{\"type\":\"service_account\",\"id\":\"runlight-demo\",\"attributes\":{\"name\":\"runlight-demo (local stand-in)\"}}}"),
                    "connection test: service account details");
        }
        return new Answer("(unknown)", 404, Optional.of("{\"error\":\"not_found\",\"message\":\"The demo receiver has no route " + method + " " + path + ".\"}"), "no such route");
    }

    private Answer webhook(HttpExchange exchange, byte[] body)
    {
        Optional<String> id = header(exchange, "webhook-id");
        WebhookSignatureCheck.Result result = signatures.check(id, header(exchange, "webhook-timestamp"), header(exchange, "webhook-signature"), body);
        String type = read(body).map(json -> json.path("type").asText("")).filter(text -> !text.isEmpty()).orElse("?");
        if (result.verified()) {
            return new Answer(DemoIntegrations.WEBHOOK_NAME, 204, Optional.empty(), "signature verified (" + id.orElse("") + ", " + type + ")");
        }
        // a real receiver refuses what it cannot verify; the hub then keeps the delivery as failed
        return new Answer(DemoIntegrations.WEBHOOK_NAME, 401, Optional.of("{\"error\":\"invalid_signature\"}"),
                "signature INVALID: " + result.reason().orElse("unknown reason"));
    }

    private Answer login(byte[] body)
    {
        Optional<JsonNode> json = read(body);
        if (json.isEmpty() || json.get().path("username").asText("").isBlank() || json.get().path("password").asText("").isBlank()) {
            return new Answer(DemoIntegrations.SCOUT_NAME, 400, Optional.of("{\"detail\":\"username and password are required\"}"), "login without credentials");
        }
        Instant expiry = Instant.now(clock).plus(LOGIN_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
        ObjectNode answer = JSON.createObjectNode().put("token", loginToken(json.get().path("username").asText(), expiry));
        return new Answer(DemoIntegrations.SCOUT_NAME, 200, Optional.of(answer.toString()), "Docker Hub login: token valid until " + expiry);
    }

    /** A JWT-shaped token whose {@code exp} the connector reads; unsigned, as nothing verifies it here. */
    private static String loginToken(String user, Instant expiry)
    {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = encoder.encodeToString(JSON.createObjectNode()
                .put("sub", user)
                .put("iss", "runlight-demo-receiver")
                .put("exp", expiry.getEpochSecond())
                .toString()
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + encoder.encodeToString("local-stand-in".getBytes(StandardCharsets.UTF_8));
    }

    private Answer graphql(HttpExchange exchange, byte[] body)
    {
        if (!header(exchange, "Authorization").orElse("").startsWith("Bearer ")) {
            return new Answer(DemoIntegrations.SCOUT_NAME, 401, Optional.of("{\"message\":\"unauthorized\"}"), "GraphQL without a bearer token");
        }
        Optional<JsonNode> json = read(body);
        String query = json.map(node -> node.path("query").asText("")).orElse("");
        JsonNode input = json.map(node -> node.path("variables").path("in")).orElse(JSON.missingNode());
        ObjectNode data = JSON.createObjectNode();
        String note;
        if (query.contains("setStreamImages")) {
            data.putObject("setStreamImages").put("status", "ACCEPTED");
            note = "GraphQL setStreamImages: environment '" + input.path("stream").asText() + "', " + input.path("images").size() + " image(s)";
        }
        else if (query.contains("addVulnerabilityException")) {
            data.putObject("addVulnerabilityException").putObject("exception").put("id", "exc_demo_" + exceptionIds.incrementAndGet());
            note = "GraphQL addVulnerabilityException: " + input.path("cveId").asText() + " (" + input.path("justification").asText() + ")";
        }
        else if (query.contains("removeVulnerabilityException")) {
            ArrayNode ids = data.putObject("removeVulnerabilityException").putArray("ids");
            input.path("ids").forEach(ids::add);
            note = "GraphQL removeVulnerabilityException: " + ids.size() + " id(s)";
        }
        else {
            note = "GraphQL query not known to the stand-in; answered with empty data";
        }
        return new Answer(DemoIntegrations.SCOUT_NAME, 200, Optional.of(JSON.createObjectNode().set("data", data).toString()), note);
    }

    private Answer runtimeResults(HttpExchange exchange, byte[] body)
    {
        if (!header(exchange, "Authorization").orElse("").startsWith("token ")) {
            return new Answer(DemoIntegrations.SNYK_NAME, 401, Optional.of("{\"errors\":[{\"status\":\"401\",\"detail\":\"no token\"}]}"), "runtime results without a token");
        }
        Optional<JsonNode> json = read(body);
        int items = 0;
        String cluster = "?";
        if (json.isPresent()) {
            cluster = json.get().path("target").path("cluster").asText("?");
            for (JsonNode fact : json.get().path("facts")) {
                items += fact.path("data").size();
            }
        }
        return new Answer(DemoIntegrations.SNYK_NAME, 200, Optional.of("{}"), "runtime results: " + items + " workload container(s) for Snyk cluster '" + cluster + "'");
    }

    private static Optional<String> header(HttpExchange exchange, String name)
    {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    private static Optional<JsonNode> read(byte[] body)
    {
        try {
            return Optional.ofNullable(JSON.readTree(body));
        }
        catch (IOException notJson) {
            return Optional.empty();
        }
    }

    private synchronized void write(String line)
    {
        console.println("receiver | " + line);
        console.flush();
        try {
            file.write(line);
            file.write('\n');
            file.flush();
        }
        catch (IOException e) {
            log.warn("Cannot write the demo receiver's log '{}': {}", logFile, e.getMessage());
        }
    }

    @Override
    public void close()
    {
        // the hub has stopped sending by now: nothing in flight is worth waiting for
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeQuietly(file);
        }
    }

    private static void closeQuietly(Writer writer)
    {
        try {
            writer.close();
        }
        catch (IOException e) {
            // the log is flushed after every line: nothing is lost by a failing close
            log.debug("Closing the demo receiver's log failed", e);
        }
    }

    /** What the stand-in answers, and the note for its log line. */
    private record Answer(String integration, int status, Optional<String> body, String note)
    {
        Answer
        {
            requireNonNull(integration, "integration is null");
            requireNonNull(body, "body is null");
            requireNonNull(note, "note is null");
        }
    }
}
