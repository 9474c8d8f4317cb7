package io.runlight.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.runlight.hub.delivery.RelayOptions;

import static java.util.Objects.requireNonNull;

/**
 * The hub's validated configuration, built once at start by {@link ConfigLoader} and
 * passed to every service through its constructor.
 *
 * @param dataDir where the hub keeps its H2 file, keys, certificate and plugins
 * @param http listeners
 * @param ingest request limits
 * @param database the JDBC database, absent for the embedded H2 file
 * @param cluster how members find each other
 * @param auth JWT verification keys
 * @param insights evidence policy
 * @param delivery how the relay sends, retries and protects receivers of push deliveries
 * @param pluginsDir the watched plugins folder
 * @param shutdownGracePeriod how long stopping waits for in-flight requests
 */
public record HubConfig(
        Path dataDir,
        Http http,
        Ingest ingest,
        Optional<Database> database,
        Cluster cluster,
        Auth auth,
        Insights insights,
        RelayOptions delivery,
        Path pluginsDir,
        Duration shutdownGracePeriod,
        Secrets secrets)
{
    public HubConfig
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(http, "http is null");
        requireNonNull(ingest, "ingest is null");
        requireNonNull(database, "database is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(insights, "insights is null");
        requireNonNull(delivery, "delivery is null");
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(shutdownGracePeriod, "shutdownGracePeriod is null");
        requireNonNull(secrets, "secrets is null");
    }

    /**
     * @param key the key that seals integration secrets at rest (base64 of 32 bytes); absent for the one the hub keeps in its data folder's keys/
     */
    public record Secrets(Optional<String> key)
    {
        public Secrets
        {
            requireNonNull(key, "key is null");
        }

        @Override
        public String toString()
        {
            return "Secrets[key=" + (key.isPresent() ? "****" : "keys/secrets.key") + "]";
        }
    }

    /**
     * @param address bind address of both listeners
     * @param httpEnabled whether plain HTTP is served
     * @param httpPort plain HTTP port (0: any free port)
     * @param httpsEnabled whether HTTPS is served
     * @param httpsPort HTTPS port (0: any free port)
     * @param certificate a PEM certificate and key; absent for the self-signed one
     * @param idleTimeout how long a connection may carry nothing before it is closed; zero: never
     */
    public record Http(String address, boolean httpEnabled, int httpPort, boolean httpsEnabled, int httpsPort, Optional<PemPair> certificate, Duration idleTimeout)
    {
        public Http
        {
            requireNonNull(address, "address is null");
            requireNonNull(certificate, "certificate is null");
            requireNonNull(idleTimeout, "idleTimeout is null");
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException("idleTimeout is negative: " + idleTimeout);
            }
        }
    }

    /** A PEM certificate chain and its private key. */
    public record PemPair(Path certificate, Path privateKey)
    {
        public PemPair
        {
            requireNonNull(certificate, "certificate is null");
            requireNonNull(privateKey, "privateKey is null");
        }
    }

    /**
     * @param maxDocumentBytes largest SBOM or report body
     * @param maxEventsBytes largest runtime-events body
     */
    public record Ingest(long maxDocumentBytes, long maxEventsBytes) {}

    /** A JDBC database (PostgreSQL in production). */
    public record Database(String url, Optional<String> user, Optional<String> password)
    {
        public Database
        {
            requireNonNull(url, "url is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
        }

        @Override
        public String toString()
        {
            return "Database[url=" + url + ", user=" + user.orElse("") + ", password=" + (password.isPresent() ? "****" : "") + "]";
        }
    }

    /** How members find each other. */
    public enum JoinMode
    {
        NONE, TCP, KUBERNETES
    }

    /**
     * @param name cluster name
     * @param join join mode
     * @param address this member's bind address
     * @param port this member's port
     * @param members other members for TCP join
     * @param kubernetesService headless service DNS name for Kubernetes join
     */
    public record Cluster(String name, JoinMode join, String address, int port, List<String> members, Optional<String> kubernetesService)
    {
        public Cluster
        {
            requireNonNull(name, "name is null");
            requireNonNull(join, "join is null");
            requireNonNull(address, "address is null");
            members = List.copyOf(requireNonNull(members, "members is null"));
            requireNonNull(kubernetesService, "kubernetesService is null");
        }
    }

    /**
     * @param publicKeys PEM public key files trusted for JWTs
     * @param jwksFile a JWKS file
     * @param jwksUrl a JWKS URL
     * @param issuers the {@code iss} values of accepted JWTs
     * @param hs256Secret a shared secret
     */
    public record Auth(List<Path> publicKeys, Optional<Path> jwksFile, Optional<String> jwksUrl, Optional<String> hs256Secret, List<String> issuers)
    {
        public Auth
        {
            issuers = List.copyOf(requireNonNull(issuers, "issuers is null"));
            publicKeys = List.copyOf(requireNonNull(publicKeys, "publicKeys is null"));
            requireNonNull(jwksFile, "jwksFile is null");
            requireNonNull(jwksUrl, "jwksUrl is null");
            requireNonNull(hs256Secret, "hs256Secret is null");
        }

        @Override
        public String toString()
        {
            return "Auth[publicKeys=" + publicKeys + ", jwksFile=" + jwksFile + ", jwksUrl=" + jwksUrl + ", hs256Secret=" + (hs256Secret.isPresent() ? "****" : "none") + ", issuers=" + issuers + "]";
        }
    }

    /**
     * @param learningWindow observation needed before "not in use"
     * @param dataOpensCount whether opening data files counts as use
     * @param refreshInterval how often insights of changed images are recomputed, from {@link #SHORTEST_REFRESH} to {@link #LONGEST_REFRESH}
     */
    public record Insights(Duration learningWindow, boolean dataOpensCount, Duration refreshInterval)
    {
        /** Shorter passes would mostly find nothing to do, and each still lists the changed images of every map partition. */
        public static final Duration SHORTEST_REFRESH = Duration.ofMillis(10);
        /** Until a pass, a package that has just been used can still read "not in use": that window must stay short. */
        public static final Duration LONGEST_REFRESH = Duration.ofMinutes(1);

        public Insights
        {
            requireNonNull(learningWindow, "learningWindow is null");
            requireNonNull(refreshInterval, "refreshInterval is null");
            if (refreshInterval.compareTo(SHORTEST_REFRESH) < 0 || refreshInterval.compareTo(LONGEST_REFRESH) > 0) {
                throw new IllegalArgumentException("refreshInterval " + refreshInterval + " is not from " + SHORTEST_REFRESH + " to " + LONGEST_REFRESH);
            }
        }
    }
}
