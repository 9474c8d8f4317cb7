package io.runlight.hub.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.runlight.hub.ConfigException;
import io.runlight.hub.delivery.RelayOptions;
import io.runlight.hub.store.StoreConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import static java.util.Objects.requireNonNull;

/**
 * Builds the {@link HubConfig} from, in increasing precedence: the defaults of
 * {@link HubOptions}, a YAML file, environment variables ({@code RUNLIGHT_HTTP_PORT}
 * for {@code http.port}) and command-line flags. Every problem is collected and
 * reported at once in a {@link ConfigException}.
 */
public final class ConfigLoader
{
    /** The environment variable a distribution's launcher sets to its own folder. */
    public static final String DISTRIBUTION_HOME = "RUNLIGHT_HOME";

    private static final Pattern DECIMAL = Pattern.compile("-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)");
    // below a millisecond Vert.x timers refuse to start and a request timeout of 0 means none
    private static final Duration SHORTEST = Duration.ofMillis(1);

    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /**
     * @param file the YAML file, if one was given
     * @param flags settings from the command line, by option key
     */
    public HubConfig load(Optional<Path> file, Map<String, String> flags)
    {
        requireNonNull(file, "file is null");
        requireNonNull(flags, "flags is null");
        List<String> errors = new ArrayList<>();
        Map<String, String> values = new TreeMap<>();
        HubOptions.ALL.forEach(option -> option.defaultValue().ifPresent(value -> values.put(option.key(), value)));
        file.ifPresent(path -> values.putAll(readYaml(path, errors)));
        for (ConfigOption option : HubOptions.ALL) {
            String value = environment.get(option.environmentVariable());
            if (value != null) {
                values.put(option.key(), value);
            }
        }
        flags.forEach((key, value) -> {
            if (HubOptions.ALL.stream().noneMatch(option -> option.key().equals(key))) {
                throw new IllegalArgumentException("no option '" + key + "'");
            }
            values.put(key, value);
        });
        HubConfig config = build(new Values(values, errors), Optional.ofNullable(environment.get(DISTRIBUTION_HOME)).filter(home -> !home.isBlank()).map(Path::of));
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    private static HubConfig build(Values values, Optional<Path> distributionHome)
    {
        Path dataDir = values.path(HubOptions.DATA_DIR).orElse(Path.of("runlight-data"));
        Optional<Path> cert = values.path(HubOptions.HTTPS_CERT);
        Optional<Path> key = values.path(HubOptions.HTTPS_KEY);
        Optional<HubConfig.PemPair> pem = Optional.empty();
        if (cert.isPresent() != key.isPresent()) {
            values.error("https.cert and https.key go together: set both, or neither for a self-signed certificate");
        }
        else if (cert.isPresent()) {
            pem = Optional.of(new HubConfig.PemPair(cert.get(), key.get()));
            values.requireReadable(HubOptions.HTTPS_CERT, cert.get());
            values.requireReadable(HubOptions.HTTPS_KEY, key.get());
        }
        boolean httpEnabled = values.bool(HubOptions.HTTP_ENABLED);
        boolean httpsEnabled = values.bool(HubOptions.HTTPS_ENABLED);
        if (!httpEnabled && !httpsEnabled) {
            values.error("http.enabled and https.enabled are both false: the hub would serve nothing");
        }
        Duration idleTimeout = values.required(HubOptions.HTTP_IDLE_TIMEOUT, ValueParsers::duration).orElse(Duration.ZERO);
        if (!idleTimeout.isZero() && idleTimeout.compareTo(Duration.ofMillis(1)) < 0) {
            values.error("http.idle-timeout is " + values.shown(HubOptions.HTTP_IDLE_TIMEOUT) + ": give 0 (never) or a duration of at least 1ms");
            idleTimeout = Duration.ZERO;
        }
        HubConfig.Http http = new HubConfig.Http(values.string(HubOptions.HTTP_ADDRESS).orElse("127.0.0.1"),
                httpEnabled, values.port(HubOptions.HTTP_PORT), httpsEnabled, values.port(HubOptions.HTTPS_PORT), pem, idleTimeout);
        if (httpEnabled && httpsEnabled && http.httpPort() != 0 && http.httpPort() == http.httpsPort()) {
            values.error("http.port and https.port are both " + http.httpPort() + ": give them different ports");
        }

        HubConfig.Ingest ingest = new HubConfig.Ingest(values.bytes(HubOptions.MAX_DOCUMENT_SIZE), values.bytes(HubOptions.MAX_EVENTS_SIZE));

        Optional<HubConfig.Database> database = values.string(HubOptions.DATABASE_URL).map(url -> {
            if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
                values.error("database.url '" + url + "' is not a PostgreSQL (jdbc:postgresql://...) or H2 (jdbc:h2:...) JDBC URL");
            }
            return new HubConfig.Database(url, values.string(HubOptions.DATABASE_USER), values.string(HubOptions.DATABASE_PASSWORD));
        });

        HubConfig.JoinMode join = values.choice(HubOptions.CLUSTER_JOIN, HubConfig.JoinMode.class).orElse(HubConfig.JoinMode.NONE);
        List<String> members = values.list(HubOptions.CLUSTER_MEMBERS);
        for (String member : members) {
            if (!member.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
                values.error("cluster.members entry '" + member + "' is not host or host:port");
            }
        }
        Optional<String> kubernetesService = values.string(HubOptions.CLUSTER_KUBERNETES_SERVICE);
        if (join == HubConfig.JoinMode.TCP && members.isEmpty()) {
            values.error("cluster.join is tcp but cluster.members is empty: list the other members as host:port");
        }
        if (join == HubConfig.JoinMode.KUBERNETES && kubernetesService.isEmpty()) {
            values.error("cluster.join is kubernetes but cluster.kubernetes-service is not set: give the headless service's DNS name");
        }
        if (join != HubConfig.JoinMode.NONE && database.map(db -> db.url().startsWith("jdbc:h2:")).orElse(true)) {
            values.error(StoreConfig.CLUSTER_NEEDS_SHARED_DATABASE);
        }
        HubConfig.Cluster cluster = new HubConfig.Cluster(values.string(HubOptions.CLUSTER_NAME).orElse("runlight"), join,
                values.string(HubOptions.CLUSTER_ADDRESS).orElse("127.0.0.1"), values.port(HubOptions.CLUSTER_PORT), members, kubernetesService);

        List<Path> publicKeys = values.list(HubOptions.JWT_PUBLIC_KEYS).stream().map(Path::of).toList();
        publicKeys.forEach(path -> values.requireReadable(HubOptions.JWT_PUBLIC_KEYS, path));
        Optional<Path> jwksFile = values.path(HubOptions.JWKS_FILE);
        jwksFile.ifPresent(path -> values.requireReadable(HubOptions.JWKS_FILE, path));
        Optional<String> jwksUrl = values.string(HubOptions.JWKS_URL);
        jwksUrl.ifPresent(url -> {
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                values.error("auth.jwks-url '" + url + "' is not an http(s) URL");
            }
        });
        Optional<String> hs256 = values.string(HubOptions.HS256_SECRET);
        hs256.ifPresent(secret -> {
            if (secret.length() < 32) {
                values.error("auth.hs256-secret is shorter than 32 characters: use a long random secret");
            }
        });
        List<String> issuers = values.list(HubOptions.JWT_ISSUERS);
        if (issuers.isEmpty()) {
            values.error("auth.jwt-issuers is empty: list the issuers whose JWTs are accepted, such as runlight");
        }
        HubConfig.Auth auth = new HubConfig.Auth(publicKeys, jwksFile, jwksUrl, hs256, issuers);

        HubConfig.Insights insights = new HubConfig.Insights(values.duration(HubOptions.LEARNING_WINDOW), values.bool(HubOptions.DATA_OPENS_COUNT),
                refreshInterval(values));
        // a distribution's launcher exports its home: its bundled plugins are the default, which plugins.dir overrides
        Path pluginsDir = values.path(HubOptions.PLUGINS_DIR)
                .orElse(distributionHome.map(home -> home.resolve("plugins")).orElse(dataDir.resolve("plugins")));
        Duration grace = values.duration(HubOptions.SHUTDOWN_GRACE);
        Optional<String> secretsKey = values.string(HubOptions.SECRETS_KEY);
        secretsKey.ifPresent(given -> {
            if (!isBase64Of32Bytes(given)) {
                values.error("secrets.key is not base64 of 32 bytes: make one with 'openssl rand -base64 32'");
            }
        });
        // (a cluster on the H2 file is refused above already)
        if (join != HubConfig.JoinMode.NONE && database.isPresent() && !database.get().url().startsWith("jdbc:h2:") && secretsKey.isEmpty()) {
            values.error("cluster mode needs secrets.key: every member must seal integration secrets with the same key; "
                    + "make one with 'openssl rand -base64 32' and give it to every member as RUNLIGHT_SECRETS_KEY");
        }
        return new HubConfig(dataDir, http, ingest, database, cluster, auth, insights, delivery(values), pluginsDir, grace, new HubConfig.Secrets(secretsKey));
    }

    private static boolean isBase64Of32Bytes(String text)
    {
        try {
            return Base64.getDecoder().decode(text.strip()).length == 32;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** With an error the default stands in: the configuration is refused anyway. */
    private static Duration refreshInterval(Values values)
    {
        Duration shortest = HubConfig.Insights.SHORTEST_REFRESH;
        Duration longest = HubConfig.Insights.LONGEST_REFRESH;
        Optional<Duration> interval = values.required(HubOptions.REFRESH_INTERVAL, ValueParsers::duration);
        if (interval.isPresent() && (interval.get().compareTo(shortest) < 0 || interval.get().compareTo(longest) > 0)) {
            values.error(HubOptions.REFRESH_INTERVAL.key() + " is " + values.shown(HubOptions.REFRESH_INTERVAL)
                    + ": give from 10ms (a shorter pass mostly finds nothing to do) to 1m (until a pass, a package just used can still read 'not in use')");
            interval = Optional.empty();
        }
        return interval.orElse(ValueParsers.duration(HubOptions.REFRESH_INTERVAL.defaultValue().orElseThrow()));
    }

    /**
     * The relay's options; each bad value is reported under its key, as are the pairs that
     * contradict each other. With any error the defaults stand in: the configuration is
     * refused anyway.
     */
    private static RelayOptions delivery(Values values)
    {
        int errorsBefore = values.errors().size();
        Optional<Integer> maxAttempts = values.atLeast(HubOptions.DELIVERY_MAX_ATTEMPTS, 1);
        Optional<Duration> firstBackoff = values.positiveDuration(HubOptions.DELIVERY_FIRST_BACKOFF);
        Optional<Double> multiplier = values.decimal(HubOptions.DELIVERY_BACKOFF_MULTIPLIER, value -> value >= 1,
                "give at least 1 (1 keeps the delay constant)");
        Optional<Double> jitter = values.decimal(HubOptions.DELIVERY_BACKOFF_JITTER, value -> value >= 0 && value < 1,
                "give a fraction from 0 (no jitter) up to, not including, 1");
        Optional<Duration> maxBackoff = values.positiveDuration(HubOptions.DELIVERY_MAX_BACKOFF);
        Optional<Duration> maxRetryAfter = values.positiveDuration(HubOptions.DELIVERY_MAX_RETRY_AFTER);
        Optional<Duration> requestTimeout = values.positiveDuration(HubOptions.DELIVERY_REQUEST_TIMEOUT);
        Optional<Long> maxResponseBytes = values.required(HubOptions.DELIVERY_MAX_RESPONSE_SIZE, ValueParsers::bytes);
        maxResponseBytes.filter(size -> size > Integer.MAX_VALUE).ifPresent(size -> values.error(HubOptions.DELIVERY_MAX_RESPONSE_SIZE.key()
                + " is " + values.shown(HubOptions.DELIVERY_MAX_RESPONSE_SIZE) + ": give less than 2GiB"));
        Optional<Integer> requestsPerSecond = values.atLeast(HubOptions.DELIVERY_REQUESTS_PER_SECOND, 1);
        Optional<Double> failureRate = values.decimal(HubOptions.DELIVERY_CIRCUIT_FAILURE_RATE, value -> value > 0 && value <= 100,
                "give a percentage above 0 and at most 100");
        Optional<Integer> circuitWindow = values.atLeast(HubOptions.DELIVERY_CIRCUIT_WINDOW, 1);
        Optional<Duration> circuitOpen = values.positiveDuration(HubOptions.DELIVERY_CIRCUIT_OPEN_DURATION);
        Optional<Integer> halfOpenCalls = values.atLeast(HubOptions.DELIVERY_CIRCUIT_HALF_OPEN_CALLS, 1);
        Optional<Integer> maxResends = values.atLeast(HubOptions.DELIVERY_MAX_RESENDS, 0);
        Optional<Duration> pollInterval = values.positiveDuration(HubOptions.DELIVERY_POLL_INTERVAL);
        Optional<Duration> lockLease = values.positiveDuration(HubOptions.DELIVERY_LOCK_LEASE);

        if (firstBackoff.isPresent() && maxBackoff.isPresent() && firstBackoff.get().compareTo(maxBackoff.get()) > 0) {
            values.error(HubOptions.DELIVERY_FIRST_BACKOFF.key() + " (" + values.shown(HubOptions.DELIVERY_FIRST_BACKOFF) + ") is longer than "
                    + HubOptions.DELIVERY_MAX_BACKOFF.key() + " (" + values.shown(HubOptions.DELIVERY_MAX_BACKOFF) + "): lower the first or raise the maximum");
        }
        if (lockLease.isPresent() && requestTimeout.isPresent() && maxResends.isPresent()) {
            // one claim covers the request and every immediate resend of it
            Duration longestAttempt = requestTimeout.get().multipliedBy(maxResends.get() + 1L);
            if (lockLease.get().compareTo(longestAttempt) <= 0) {
                values.error(HubOptions.DELIVERY_LOCK_LEASE.key() + " (" + values.shown(HubOptions.DELIVERY_LOCK_LEASE) + ") is not longer than an attempt may take, "
                        + HubOptions.DELIVERY_REQUEST_TIMEOUT.key() + " (" + values.shown(HubOptions.DELIVERY_REQUEST_TIMEOUT) + ") for the request and for each of "
                        + HubOptions.DELIVERY_MAX_RESENDS.key() + " (" + maxResends.get() + ") resends: raise it, or another member may send a delivery that is still in flight");
            }
        }
        if (values.errors().size() > errorsBefore) {
            return RelayOptions.defaults();
        }
        return new RelayOptions(pollInterval.orElseThrow(), maxAttempts.orElseThrow(), firstBackoff.orElseThrow(), multiplier.orElseThrow(),
                jitter.orElseThrow(), maxBackoff.orElseThrow(), maxRetryAfter.orElseThrow(), requestTimeout.orElseThrow(),
                maxResponseBytes.orElseThrow().intValue(), requestsPerSecond.orElseThrow(), failureRate.orElseThrow().floatValue(),
                circuitWindow.orElseThrow(), circuitOpen.orElseThrow(), halfOpenCalls.orElseThrow(), maxResends.orElseThrow(), lockLease.orElseThrow());
    }

    private static Map<String, String> readYaml(Path path, List<String> errors)
    {
        Map<String, String> flat = new LinkedHashMap<>();
        Object document;
        try (InputStream in = Files.newInputStream(path)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(1024 * 1024);
            document = new Yaml(new SafeConstructor(options)).load(in);
        }
        catch (IOException e) {
            errors.add("cannot read configuration file '" + path + "': " + e.getMessage());
            return flat;
        }
        catch (YAMLException e) {
            errors.add("configuration file '" + path + "' is not valid YAML: " + firstLine(e.getMessage()));
            return flat;
        }
        if (document == null) {
            return flat;
        }
        if (!(document instanceof Map<?, ?> map)) {
            errors.add("configuration file '" + path + "' must be a YAML mapping of settings, not a " + document.getClass().getSimpleName());
            return flat;
        }
        flatten("", map, flat);
        for (String key : flat.keySet()) {
            if (HubOptions.ALL.stream().noneMatch(option -> option.key().equals(key))) {
                errors.add("unknown setting '" + key + "' in '" + path + "'" + suggestion(key));
            }
        }
        flat.keySet().removeIf(key -> HubOptions.ALL.stream().noneMatch(option -> option.key().equals(key)));
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> flat)
    {
        map.forEach((key, value) -> {
            String name = prefix + key;
            if (value instanceof Map<?, ?> nested) {
                flatten(name + ".", nested, flat);
            }
            else if (value instanceof Collection<?> list) {
                flat.put(name, String.join(",", list.stream().map(String::valueOf).toList()));
            }
            else if (value != null) {
                flat.put(name, String.valueOf(value));
            }
        });
    }

    private static String suggestion(String key)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigOption option : HubOptions.ALL) {
            int distance = distance(key, option.key());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = option.key();
            }
        }
        return best != null && bestDistance <= 3 ? ": did you mean '" + best + "'?" : "";
    }

    private static int distance(String a, String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "unknown error";
        }
        return message.lines().findFirst().orElse(message);
    }

    /** The merged string values, typed on access; conversion errors are collected. */
    private record Values(Map<String, String> raw, List<String> errors)
    {
        void error(String message)
        {
            errors.add(message);
        }

        Optional<String> string(ConfigOption option)
        {
            return Optional.ofNullable(raw.get(option.key())).map(String::strip).filter(value -> !value.isEmpty());
        }

        Optional<Path> path(ConfigOption option)
        {
            return string(option).map(Path::of);
        }

        boolean bool(ConfigOption option)
        {
            return typed(option, value -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
            }).orElse(false);
        }

        int port(ConfigOption option)
        {
            return typed(option, value -> {
                int port = Integer.parseInt(value);
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException(port + " is not a port (0-65535)");
                }
                return port;
            }).orElse(0);
        }

        long bytes(ConfigOption option)
        {
            return typed(option, ValueParsers::bytes).orElse(0L);
        }

        Duration duration(ConfigOption option)
        {
            return typed(option, ValueParsers::duration).orElse(Duration.ZERO);
        }

        List<String> list(ConfigOption option)
        {
            return string(option).map(value -> Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList()).orElse(List.of());
        }

        <E extends Enum<E>> Optional<E> choice(ConfigOption option, Class<E> type)
        {
            return typed(option, value -> {
                try {
                    return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
                }
                catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + value + "' is not one of " + Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList());
                }
            });
        }

        /** The value as given, for messages (options with a value only). */
        String shown(ConfigOption option)
        {
            return string(option).orElse("");
        }

        /** A value that must be given: an empty one is an error, because the option's default makes sense and nothing else does. */
        <T> Optional<T> required(ConfigOption option, Function<String, T> parser)
        {
            if (string(option).isEmpty()) {
                errors.add(option.key() + " is empty: give a value, or leave it out for the default " + option.defaultValue().orElse(""));
                return Optional.empty();
            }
            return typed(option, parser);
        }

        Optional<Integer> atLeast(ConfigOption option, int minimum)
        {
            Optional<Integer> value = required(option, text -> {
                try {
                    return Integer.parseInt(text);
                }
                catch (NumberFormatException e) {
                    if (text.matches("-?\\d+")) {
                        throw new IllegalArgumentException("'" + text + "' is too large: give at most " + Integer.MAX_VALUE, e);
                    }
                    throw e;
                }
            });
            if (value.isPresent() && value.get() < minimum) {
                errors.add(option.key() + " is " + value.get() + ": give at least " + minimum);
                return Optional.empty();
            }
            return value;
        }

        Optional<Double> decimal(ConfigOption option, DoublePredicate valid, String advice)
        {
            Optional<Double> value = required(option, text -> {
                if (!DECIMAL.matcher(text).matches()) {
                    throw new NumberFormatException(text);
                }
                return Double.parseDouble(text);
            });
            if (value.isPresent() && !valid.test(value.get())) {
                errors.add(option.key() + " is " + shown(option) + ": " + advice);
                return Optional.empty();
            }
            return value;
        }

        Optional<Duration> positiveDuration(ConfigOption option)
        {
            Optional<Duration> value = required(option, ValueParsers::duration);
            if (value.isPresent() && value.get().compareTo(SHORTEST) < 0) {
                errors.add(option.key() + " is " + shown(option) + ": give a duration of at least 1ms");
                return Optional.empty();
            }
            return value;
        }

        void requireReadable(ConfigOption option, Path path)
        {
            if (!Files.isReadable(path)) {
                errors.add(option.key() + ": file '" + path + "' does not exist or is not readable");
            }
        }

        private <T> Optional<T> typed(ConfigOption option, Function<String, T> parser)
        {
            Optional<String> value = string(option);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parser.apply(value.get()));
            }
            catch (NumberFormatException e) {
                errors.add(option.key() + ": '" + value.get() + "' is not a number");
            }
            catch (IllegalArgumentException | ArithmeticException e) {
                String shown = option.secret() ? "(secret)" : e.getMessage();
                errors.add(option.key() + ": " + shown);
            }
            return Optional.empty();
        }
    }
}
