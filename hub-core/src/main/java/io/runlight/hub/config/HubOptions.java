package io.runlight.hub.config;

import java.util.List;

import static io.runlight.hub.config.ConfigOption.OptionType.BOOLEAN;
import static io.runlight.hub.config.ConfigOption.OptionType.BYTES;
import static io.runlight.hub.config.ConfigOption.OptionType.DECIMAL;
import static io.runlight.hub.config.ConfigOption.OptionType.DURATION;
import static io.runlight.hub.config.ConfigOption.OptionType.INTEGER;
import static io.runlight.hub.config.ConfigOption.OptionType.LIST;
import static io.runlight.hub.config.ConfigOption.OptionType.PATH;
import static io.runlight.hub.config.ConfigOption.OptionType.STRING;
import static io.runlight.hub.config.ConfigOption.option;
import static io.runlight.hub.config.ConfigOption.secret;

/**
 * Every setting of the hub, with its default. The defaults run a single hub on this
 * machine with nothing configured: HTTPS on 8443 with a self-signed certificate, HTTP
 * on 8080, an H2 file in {@code ./runlight-data}, bound to 127.0.0.1.
 */
public final class HubOptions
{
    public static final ConfigOption DATA_DIR = option("data-dir", PATH, "./runlight-data", "Folder for the H2 database, keys, the self-signed certificate and plugins.");
    public static final ConfigOption HTTP_ADDRESS = option("http.address", STRING, "127.0.0.1", "Address the HTTP and HTTPS listeners bind to (0.0.0.0 for every interface).");
    public static final ConfigOption HTTP_ENABLED = option("http.enabled", BOOLEAN, "true", "Serve plain HTTP as well as HTTPS.");
    public static final ConfigOption HTTP_PORT = option("http.port", INTEGER, "8080", "Plain HTTP port (0 picks a free port).");
    public static final ConfigOption HTTPS_ENABLED = option("https.enabled", BOOLEAN, "true", "Serve HTTPS.");
    public static final ConfigOption HTTPS_PORT = option("https.port", INTEGER, "8443", "HTTPS port (0 picks a free port).");
    public static final ConfigOption HTTPS_CERT = option("https.cert", PATH, null, "PEM certificate chain; without it the hub generates a self-signed certificate in the data folder.");
    public static final ConfigOption HTTPS_KEY = option("https.key", PATH, null, "PEM private key of https.cert.");
    public static final ConfigOption HTTP_IDLE_TIMEOUT = option("http.idle-timeout", DURATION, "PT60S", "How long a client connection may send and receive nothing before the hub closes it; a stalled upload is dropped with its spooled part, and nothing of it is stored. 0 keeps idle connections open.");
    public static final ConfigOption MAX_DOCUMENT_SIZE = option("ingest.max-document-size", BYTES, "256MiB", "Largest SBOM or scan report accepted in one request.");
    public static final ConfigOption MAX_EVENTS_SIZE = option("ingest.max-events-size", BYTES, "32MiB", "Largest runtime-events request body.");
    public static final ConfigOption DATABASE_URL = option("database.url", STRING, null, "JDBC URL of a PostgreSQL database; without it an H2 file in the data folder is used (single member only).");
    public static final ConfigOption DATABASE_USER = option("database.user", STRING, null, "Database user.");
    public static final ConfigOption DATABASE_PASSWORD = secret("database.password", "Database password.");
    public static final ConfigOption CLUSTER_NAME = option("cluster.name", STRING, "runlight", "Hazelcast cluster name; members with the same name join each other.");
    public static final ConfigOption CLUSTER_JOIN = option("cluster.join", STRING, "none", "How members find each other: none (single member), tcp (cluster.members) or kubernetes (cluster.kubernetes-service).");
    public static final ConfigOption CLUSTER_ADDRESS = option("cluster.address", STRING, "127.0.0.1", "Address this member's cluster port binds to.");
    public static final ConfigOption CLUSTER_PORT = option("cluster.port", INTEGER, "5701", "This member's cluster port; 0 picks a free one, for a member alone (cluster.join=none).");
    public static final ConfigOption CLUSTER_MEMBERS = option("cluster.members", LIST, "", "With cluster.join=tcp: host:port of the members' cluster ports, comma-separated; list every member, this one included, so that all members have the same list.");
    public static final ConfigOption CLUSTER_KUBERNETES_SERVICE = option("cluster.kubernetes-service", STRING, null, "With cluster.join=kubernetes: DNS name of the headless service, e.g. runlight-hz.runlight.svc.cluster.local.");
    public static final ConfigOption JWT_PUBLIC_KEYS = option("auth.jwt-public-keys", LIST, "", "PEM public keys (files) that sign admin, ingest and read JWTs, in addition to the hub's own key.");
    public static final ConfigOption JWKS_FILE = option("auth.jwks-file", PATH, null, "A JWKS file with the public keys of your identity provider.");
    public static final ConfigOption JWKS_URL = option("auth.jwks-url", STRING, null, "A JWKS URL of your identity provider, read at start.");
    public static final ConfigOption HS256_SECRET = secret("auth.hs256-secret", "A shared HS256 secret for JWTs (allowed, not recommended).");
    // the issuer AdminTokens mints with (a test keeps the two equal)
    public static final ConfigOption JWT_ISSUERS = option("auth.jwt-issuers", LIST, "runlight", "Issuers ('iss' claim) whose JWTs are accepted; a JWT from another issuer, or with none, is refused. The hub's own JWTs (runlight admin-token, runlight demo, other members) say runlight: keep it when you add your identity provider's issuer.");
    public static final ConfigOption SECRETS_KEY = secret("secrets.key", "Key that seals integration secrets at rest (AES-256-GCM), base64 of 32 random bytes (openssl rand -base64 32); required in a cluster, where every member needs the same one. Without it a single hub makes its own in keys/secrets.key of the data folder.");
    public static final ConfigOption LEARNING_WINDOW = option("insights.learning-window", DURATION, "PT24H", "How long an image must be observed before a package can be called not in use.");
    public static final ConfigOption DATA_OPENS_COUNT = option("insights.data-opens-count", BOOLEAN, "false", "Count opening a package's data files (not only code) as use.");
    // the bounds are HubConfig.Insights's
    public static final ConfigOption REFRESH_INTERVAL = option("insights.refresh-interval", DURATION, "PT0.5S", "How often the hub recomputes the insights of the images that received documents or events since its last pass, and the fleet view after them: what arrives shows in verdicts after up to this long. From 10ms to 1m.");
    public static final ConfigOption PLUGINS_DIR = option("plugins.dir", PATH, null, "Folder watched for connector plugin jars; default: plugins/ of the distribution ($RUNLIGHT_HOME/plugins), else plugins/ in the data folder.");
    public static final ConfigOption SHUTDOWN_GRACE = option("shutdown.grace-period", DURATION, "PT20S", "How long a stopping hub waits for in-flight requests.");
    // the delivery defaults are those of RelayOptions.defaults() (a test keeps the two equal)
    public static final ConfigOption DELIVERY_MAX_ATTEMPTS = option("delivery.max-attempts", INTEGER, "8", "Failed attempts after which a push delivery is dead (a receiver's permanent refusal makes it dead at once).");
    public static final ConfigOption DELIVERY_FIRST_BACKOFF = option("delivery.first-backoff", DURATION, "PT1S", "Delay after a delivery's first failed attempt.");
    public static final ConfigOption DELIVERY_BACKOFF_MULTIPLIER = option("delivery.backoff-multiplier", DECIMAL, "2", "How much the delay grows with each further failed attempt (1 keeps it constant).");
    public static final ConfigOption DELIVERY_BACKOFF_JITTER = option("delivery.backoff-jitter", DECIMAL, "0.5", "Randomises each delay by up to this fraction either way (0 to below 1), so retries of many deliveries spread out.");
    public static final ConfigOption DELIVERY_MAX_BACKOFF = option("delivery.max-backoff", DURATION, "PT5M", "Longest delay between two attempts of a delivery.");
    public static final ConfigOption DELIVERY_MAX_RETRY_AFTER = option("delivery.max-retry-after", DURATION, "PT1H", "Longest Retry-After of a receiver that is honoured; a longer one is cut to this.");
    public static final ConfigOption DELIVERY_REQUEST_TIMEOUT = option("delivery.request-timeout", DURATION, "PT30S", "Timeout of a push request whose connector sets none.");
    public static final ConfigOption DELIVERY_MAX_RESPONSE_SIZE = option("delivery.max-response-size", BYTES, "1MiB", "How much of a receiver's response body is kept for the connector to interpret.");
    public static final ConfigOption DELIVERY_REQUESTS_PER_SECOND = option("delivery.requests-per-second", INTEGER, "10", "Most push requests per second to one integration, on each member.");
    public static final ConfigOption DELIVERY_CIRCUIT_FAILURE_RATE = option("delivery.circuit-failure-rate-percent", DECIMAL, "50", "Failure rate (percent of delivery.circuit-window calls) that opens an integration's circuit breaker: while open, its deliveries wait.");
    public static final ConfigOption DELIVERY_CIRCUIT_WINDOW = option("delivery.circuit-window", INTEGER, "10", "How many of an integration's last calls the failure rate is computed over (and the fewest before it is).");
    public static final ConfigOption DELIVERY_CIRCUIT_OPEN_DURATION = option("delivery.circuit-open-duration", DURATION, "PT30S", "How long an open circuit stays open before it lets trial calls through.");
    public static final ConfigOption DELIVERY_CIRCUIT_HALF_OPEN_CALLS = option("delivery.circuit-half-open-calls", INTEGER, "3", "How many trial calls a half-open circuit lets through to decide whether to close.");
    public static final ConfigOption DELIVERY_MAX_RESENDS = option("delivery.max-resends", INTEGER, "3", "How often in a row a connector may ask to send an attempt again at once (after refreshing a credential) before it counts as a failed attempt.");
    public static final ConfigOption DELIVERY_POLL_INTERVAL = option("delivery.poll-interval", DURATION, "PT1S", "How often the relay looks for due deliveries (it also looks at once after new ones are written).");
    public static final ConfigOption DELIVERY_LOCK_LEASE = option("delivery.lock-lease", DURATION, "PT10M", "Longest time a member holds a delivery it is sending; if it stalls, another member may send it after this.");

    /** Every option, in the order of the reference documentation. */
    public static final List<ConfigOption> ALL = List.of(
            DATA_DIR, HTTP_ADDRESS, HTTP_ENABLED, HTTP_PORT, HTTP_IDLE_TIMEOUT, HTTPS_ENABLED, HTTPS_PORT, HTTPS_CERT, HTTPS_KEY,
            MAX_DOCUMENT_SIZE, MAX_EVENTS_SIZE,
            DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD,
            CLUSTER_NAME, CLUSTER_JOIN, CLUSTER_ADDRESS, CLUSTER_PORT, CLUSTER_MEMBERS, CLUSTER_KUBERNETES_SERVICE,
            JWT_PUBLIC_KEYS, JWKS_FILE, JWKS_URL, HS256_SECRET, JWT_ISSUERS, SECRETS_KEY,
            LEARNING_WINDOW, DATA_OPENS_COUNT, REFRESH_INTERVAL, PLUGINS_DIR, SHUTDOWN_GRACE,
            DELIVERY_MAX_ATTEMPTS, DELIVERY_FIRST_BACKOFF, DELIVERY_BACKOFF_MULTIPLIER, DELIVERY_BACKOFF_JITTER, DELIVERY_MAX_BACKOFF,
            DELIVERY_MAX_RETRY_AFTER, DELIVERY_REQUEST_TIMEOUT, DELIVERY_MAX_RESPONSE_SIZE, DELIVERY_REQUESTS_PER_SECOND,
            DELIVERY_CIRCUIT_FAILURE_RATE, DELIVERY_CIRCUIT_WINDOW, DELIVERY_CIRCUIT_OPEN_DURATION, DELIVERY_CIRCUIT_HALF_OPEN_CALLS,
            DELIVERY_MAX_RESENDS, DELIVERY_POLL_INTERVAL, DELIVERY_LOCK_LEASE);

    private HubOptions() {}
}
