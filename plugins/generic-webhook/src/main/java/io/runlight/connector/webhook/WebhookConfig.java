package io.runlight.connector.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.ConfigError;
import io.runlight.plugin.api.connector.ConfigProperty;
import io.runlight.plugin.api.connector.ConfigType;
import io.runlight.plugin.api.connector.ConnectorConfig;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * One webhook integration's configuration, validated and typed.
 *
 * @param url where deliveries are POSTed
 * @param secret the current signing secret
 * @param previousSecret the secret being rotated out, which also signs while present
 * @param events the event types delivered
 * @param payload what the body is
 * @param headers extra static headers, by name
 * @param batchSize how many events one delivery carries at most (runlight payload only)
 * @param timeout how long the hub waits for the receiver's response
 */
record WebhookConfig(
        URI url,
        SigningSecret secret,
        Optional<SigningSecret> previousSecret,
        Set<String> events,
        PayloadForm payload,
        Map<String, String> headers,
        int batchSize,
        Duration timeout)
{
    static final String URL = "url";
    static final String SECRET = "secret";
    static final String PREVIOUS_SECRET = "previousSecret";
    static final String EVENTS = "events";
    static final String PAYLOAD = "payload";
    static final String HEADERS = "headers";
    static final String BATCH_SIZE = "batchSize";
    static final String TIMEOUT = "timeout";

    static final int MAX_BATCH_SIZE = 100;

    /** Headers the connector sets itself, and headers the hub's HTTP client does not let anyone set. */
    static final Set<String> RESERVED_HEADERS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "webhook-id", "webhook-timestamp", "webhook-signature", "content-type",
            "connection", "content-length", "expect", "host", "upgrade")));

    private static final String TOKEN_CHARACTERS = "!#$%&'*+-.^_`|~";

    public WebhookConfig
    {
        requireNonNull(url, "url is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(previousSecret, "previousSecret is null");
        events = Collections.unmodifiableSet(new TreeSet<>(requireNonNull(events, "events is null")));
        requireNonNull(payload, "payload is null");
        TreeMap<String, String> headersCopy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headersCopy.putAll(requireNonNull(headers, "headers is null"));
        headers = Collections.unmodifiableMap(headersCopy);
        checkArgument(batchSize >= 1, "batchSize must be at least 1: " + batchSize);
        requireNonNull(timeout, "timeout is null");
    }

    /** The properties the connector declares. */
    static List<ConfigProperty> properties()
    {
        return List.of(
                ConfigProperty.required(URL, ConfigType.URL, "The receiver's absolute http or https URL; every delivery is a POST to it"),
                ConfigProperty.optional(SECRET, ConfigType.STRING,
                        "Required: the signing secret, 'whsec_' followed by the base64 of 24 to 64 random bytes "
                                + "(for example 'whsec_' + the output of 'openssl rand -base64 32'); give the same value to the receiver").asSecret(),
                ConfigProperty.optional(PREVIOUS_SECRET, ConfigType.STRING,
                        "During secret rotation, the old secret: deliveries then carry a signature with each secret").asSecret(),
                ConfigProperty.optional(EVENTS, ConfigType.LIST, String.join(",", allEventTypes()),
                        "The event types to deliver: " + String.join(", ", allEventTypes())),
                ConfigProperty.optional(PAYLOAD, ConfigType.STRING, PayloadForm.RUNLIGHT.configName(),
                        "The body: 'runlight' (event envelope), 'openvex' or 'cyclonedx-vex' (the image's VEX document)"),
                ConfigProperty.optional(HEADERS, ConfigType.MAP,
                        "Extra static headers sent with every delivery, for example an API key of the receiver; values are never shown").asSecret(),
                ConfigProperty.optional(BATCH_SIZE, ConfigType.INTEGER, "1",
                        "How many events (one per cluster of a changed image) one delivery carries at most, 1 to " + MAX_BATCH_SIZE
                                + "; above 1 every delivery is a batch envelope whose 'data' is an array"),
                ConfigProperty.optional(TIMEOUT, ConfigType.DURATION, "10s", "How long to wait for the receiver's response"));
    }

    /** Every problem of a configuration, at once; messages never contain secret values. */
    static List<ConfigError> errors(ConnectorConfig config)
    {
        requireNonNull(config, "config is null");
        List<ConfigError> errors = new ArrayList<>();

        Optional<URI> url = config.url(URL);
        if (url.isEmpty()) {
            errors.add(ConfigError.of(URL, "is required"));
        }
        else if (!isHttpUrl(url.get())) {
            errors.add(ConfigError.of(URL, "must be an absolute http or https URL with a host, not '" + url.get() + "'"));
        }

        Optional<String> secret = config.string(SECRET).filter(value -> !value.isBlank());
        if (secret.isEmpty()) {
            errors.add(ConfigError.of(SECRET, "is required: generate one with 'openssl rand -base64 32' and give 'whsec_' followed by its output "
                    + "(Runlight does not generate it, because the hub shows secrets only masked and the receiver needs the value)"));
        }
        else {
            SigningSecret.problem(secret.get()).ifPresent(problem -> errors.add(ConfigError.of(SECRET, problem)));
        }
        Optional<String> previousSecret = config.string(PREVIOUS_SECRET).filter(value -> !value.isBlank());
        if (previousSecret.isPresent()) {
            Optional<String> problem = SigningSecret.problem(previousSecret.get());
            if (problem.isPresent()) {
                errors.add(ConfigError.of(PREVIOUS_SECRET, problem.get()));
            }
            else if (secret.isPresent() && SigningSecret.problem(secret.get()).isEmpty()
                    && SigningSecret.parse(secret.get()).equals(SigningSecret.parse(previousSecret.get()))) {
                errors.add(ConfigError.of(PREVIOUS_SECRET, "must differ from 'secret'"));
            }
        }

        List<String> events = config.list(EVENTS);
        if (events.isEmpty()) {
            errors.add(ConfigError.of(EVENTS, "must name at least one event type of " + allEventTypes()));
        }
        List<String> unknown = events.stream().filter(event -> !allEventTypes().contains(event)).toList();
        if (!unknown.isEmpty()) {
            errors.add(ConfigError.of(EVENTS, "has unknown event types " + unknown + "; the event types are " + allEventTypes()));
        }

        String payloadName = config.string(PAYLOAD).orElse(PayloadForm.RUNLIGHT.configName());
        Optional<PayloadForm> payload = PayloadForm.fromConfigName(payloadName);
        if (payload.isEmpty()) {
            errors.add(ConfigError.of(PAYLOAD, "must be one of " + PayloadForm.configNames() + ", not '" + payloadName + "'"));
        }

        for (String name : new TreeSet<>(config.map(HEADERS).keySet())) {
            headerProblem(name, config.map(HEADERS).get(name)).ifPresent(problem -> errors.add(ConfigError.of(HEADERS, problem)));
        }

        long batchSize = config.integer(BATCH_SIZE).orElse(1L);
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            errors.add(ConfigError.of(BATCH_SIZE, "must be between 1 and " + MAX_BATCH_SIZE + ", not " + batchSize));
        }
        else if (batchSize > 1 && payload.isPresent() && payload.get() != PayloadForm.RUNLIGHT) {
            errors.add(ConfigError.of(BATCH_SIZE, "must be 1 with payload '" + payload.get().configName()
                    + "': a VEX document is one image's and is sent alone"));
        }

        Duration timeout = config.duration(TIMEOUT).orElse(Duration.ofSeconds(10));
        if (timeout.isNegative() || timeout.isZero()) {
            errors.add(ConfigError.of(TIMEOUT, "must be positive, not " + timeout));
        }
        return List.copyOf(errors);
    }

    /**
     * The typed configuration.
     *
     * @throws IllegalArgumentException listing every problem, if there is any
     */
    static WebhookConfig from(ConnectorConfig config)
    {
        List<ConfigError> errors = errors(config);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration of connector '" + WebhookConnectorFactory.ID + "': "
                    + errors.stream().map(error -> error.property() + " " + error.message()).collect(Collectors.joining("; ")));
        }
        return new WebhookConfig(
                config.url(URL).orElseThrow(),
                SigningSecret.parse(config.string(SECRET).orElseThrow()),
                config.string(PREVIOUS_SECRET).filter(value -> !value.isBlank()).map(SigningSecret::parse),
                new TreeSet<>(config.list(EVENTS)),
                PayloadForm.fromConfigName(config.string(PAYLOAD).orElse(PayloadForm.RUNLIGHT.configName())).orElseThrow(),
                config.map(HEADERS),
                Math.toIntExact(config.integer(BATCH_SIZE).orElse(1L)),
                config.duration(TIMEOUT).orElse(Duration.ofSeconds(10)));
    }

    static List<String> allEventTypes()
    {
        return Arrays.stream(ChangeType.values()).map(ChangeType::eventType).sorted().toList();
    }

    @Override
    public String toString()
    {
        // secrets and header values are never printed, header names are
        return "WebhookConfig[url=" + url + ", secret=" + secret + ", previousSecret=" + previousSecret.map(SigningSecret::toString).orElse("none")
                + ", events=" + events + ", payload=" + payload.configName() + ", headers=" + headers.keySet()
                + ", batchSize=" + batchSize + ", timeout=" + timeout + "]";
    }

    private static boolean isHttpUrl(URI url)
    {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return url.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }

    private static Optional<String> headerProblem(String name, String value)
    {
        if (name.isEmpty() || !name.chars().allMatch(c -> c < 0x7f && (Character.isLetterOrDigit(c) || TOKEN_CHARACTERS.indexOf(c) >= 0))) {
            return Optional.of("has an invalid header name '" + printable(name) + "'");
        }
        if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of("must not set '" + name + "': the connector or the HTTP client sets it");
        }
        if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            // the value is secret: name the header only
            return Optional.of("value of header '" + name + "' contains a line break or control character");
        }
        return Optional.empty();
    }

    private static String printable(String text)
    {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return out.toString();
    }
}
