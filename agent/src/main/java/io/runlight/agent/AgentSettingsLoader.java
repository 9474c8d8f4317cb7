package io.runlight.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import static java.util.Objects.requireNonNull;

/**
 * Builds {@link AgentSettings} from, in increasing precedence: defaults, a YAML file (the keys
 * below, nested or dotted), environment variables ({@code RUNLIGHT_AGENT_HOST_ROOT} for
 * {@code host.root}) and command-line flags. Every problem is collected and reported at once.
 */
public final class AgentSettingsLoader
{
    public static final String INTERVAL = "interval";
    public static final String CLUSTER = "cluster";
    public static final String HOST_NAME = "host.name";
    public static final String HOST_ROOT = "host.root";
    public static final String HOST_EXCLUDE = "host.exclude";
    public static final String PROC = "proc";
    public static final String REFRESH_AFTER = "refresh-after";
    public static final String BUFFER_CAPACITY = "buffer.capacity";
    public static final String BATCH_SIZE = "batch.size";
    public static final String CATALOG = "catalog";
    public static final String DOCKER_SOCKET = "docker.socket";
    public static final String KUBERNETES_NODE = "kubernetes.node";

    /** Every key, with its default ("" for none). */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Folders of a host that hold other images or no software: the container runtimes' storage, logs, runtime state. */
    public static final Set<String> DEFAULT_HOST_EXCLUDED = Set.of("/var/lib/docker", "/var/lib/containerd", "/var/lib/containers",
            "/var/lib/kubelet", "/var/lib/rancher", "/var/lib/lxc", "/var/lib/lxd", "/var/log", "/run", "/var/run");

    private final Map<String, String> environment;
    private final Function<String, Duration> durations;

    /**
     * @param durations parses a duration as the rest of the command line does ({@code 30s}, {@code PT30S})
     */
    public AgentSettingsLoader(Map<String, String> environment, Function<String, Duration> durations)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.durations = requireNonNull(durations, "durations is null");
    }

    /** The environment variable of a key: {@code host.root} is {@code RUNLIGHT_AGENT_HOST_ROOT}. */
    public static String environmentVariable(String key)
    {
        return "RUNLIGHT_AGENT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * @param file the YAML file, if one was given
     * @param flags settings from the command line, by key
     * @throws AgentSettingsException naming every problem
     */
    public AgentSettings load(Optional<Path> file, Map<String, String> flags)
    {
        requireNonNull(file, "file is null");
        requireNonNull(flags, "flags is null");
        List<String> errors = new ArrayList<>();
        Map<String, String> values = new TreeMap<>();
        DEFAULTS.forEach((key, value) -> {
            if (!value.isEmpty()) {
                values.put(key, value);
            }
        });
        file.ifPresent(path -> values.putAll(readYaml(path, errors)));
        for (String key : DEFAULTS.keySet()) {
            String value = environment.get(environmentVariable(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        flags.forEach((key, value) -> {
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("no agent setting '" + key + "'");
            }
            values.put(key, value);
        });

        Duration interval = duration(values, INTERVAL, errors);
        Duration refreshAfter = duration(values, REFRESH_AFTER, errors);
        if (!refreshAfter.isZero() && !interval.isZero() && refreshAfter.compareTo(interval) < 0) {
            errors.add(REFRESH_AFTER + " (" + values.get(REFRESH_AFTER) + ") is shorter than " + INTERVAL + " (" + values.get(INTERVAL)
                    + "): every sample would send everything again; give at least the interval");
        }
        int capacity = count(values, BUFFER_CAPACITY, errors);
        int batch = count(values, BATCH_SIZE, errors);
        Optional<String> hostName = text(values, HOST_NAME).or(AgentSettingsLoader::localHostName);
        if (hostName.isEmpty()) {
            errors.add(HOST_NAME + " is not set and this machine's name cannot be found: give the host's name");
        }
        Set<String> excluded = new LinkedHashSet<>(DEFAULT_HOST_EXCLUDED);
        for (String folder : list(values, HOST_EXCLUDE)) {
            if (!folder.startsWith("/")) {
                errors.add(HOST_EXCLUDE + " entry '" + folder + "' is not an absolute path: give folders such as /var/lib/docker");
            }
            excluded.add(folder.length() > 1 && folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder);
        }
        Path hostRoot = Path.of(values.get(HOST_ROOT));
        if (!Files.isDirectory(hostRoot)) {
            errors.add(HOST_ROOT + " '" + hostRoot + "' is not a folder: give the host's root file system (/ on the host, the hostPath mount in a container)");
        }
        Path proc = Path.of(values.get(PROC));
        if (!Files.isDirectory(proc)) {
            errors.add(PROC + " '" + proc + "' is not a folder: the agent needs the host's /proc (run it on the host, or with hostPID in Kubernetes)");
        }
        String catalogText = values.get(CATALOG).strip().toLowerCase(Locale.ROOT);
        if (!catalogText.equals("true") && !catalogText.equals("false")) {
            errors.add(CATALOG + " is '" + values.get(CATALOG) + "': give true or false");
        }
        Optional<Path> docker = text(values, DOCKER_SOCKET).map(Path::of);
        if (!errors.isEmpty()) {
            throw new AgentSettingsException(errors);
        }
        return new AgentSettings(interval, text(values, CLUSTER), hostName.orElseThrow(), hostRoot, excluded, proc, refreshAfter, capacity, batch,
                catalogText.equals("true"), docker, text(values, KUBERNETES_NODE));
    }

    private Duration duration(Map<String, String> values, String key, List<String> errors)
    {
        try {
            Duration duration = durations.apply(values.get(key));
            if (duration.isNegative() || duration.isZero()) {
                errors.add(key + " is '" + values.get(key) + "': give a positive duration such as 30s");
                return Duration.ZERO;
            }
            return duration;
        }
        catch (IllegalArgumentException e) {
            errors.add(key + ": " + e.getMessage());
            return Duration.ZERO;
        }
    }

    private static int count(Map<String, String> values, String key, List<String> errors)
    {
        String text = values.get(key).strip();
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        errors.add(key + " is '" + text + "': give a whole number of at least 1");
        return 1;
    }

    private static Optional<String> text(Map<String, String> values, String key)
    {
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(text -> !text.isEmpty());
    }

    private static List<String> list(Map<String, String> values, String key)
    {
        return text(values, key).map(text -> Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList()).orElse(List.of());
    }

    private static Optional<String> localHostName()
    {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName()).filter(name -> !name.isBlank());
        }
        catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> readYaml(Path path, List<String> errors)
    {
        Map<String, String> values = new TreeMap<>();
        Object document;
        try (InputStream in = Files.newInputStream(path)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        catch (IOException e) {
            errors.add("cannot read the settings file '" + path + "': " + e.getMessage());
            return values;
        }
        catch (YAMLException e) {
            errors.add("the settings file '" + path + "' is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return values;
        }
        if (document == null) {
            return values;
        }
        if (!(document instanceof Map<?, ?> map)) {
            errors.add("the settings file '" + path + "' must be a YAML mapping of settings such as 'interval: 30s'");
            return values;
        }
        flatten("", map, values, errors, path);
        return values;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> values, List<String> errors, Path path)
    {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, values, errors, path);
            }
            else if (!DEFAULTS.containsKey(key)) {
                errors.add("the settings file '" + path + "' has an unknown setting '" + key + "'; known: " + String.join(", ", DEFAULTS.keySet()));
            }
            else if (value instanceof List<?> items) {
                values.put(key, String.join(",", items.stream().map(String::valueOf).toList()));
            }
            else {
                values.put(key, value == null ? "" : String.valueOf(value));
            }
        }
    }

    private static Map<String, String> defaults()
    {
        Map<String, String> defaults = new TreeMap<>();
        defaults.put(INTERVAL, "30s");
        defaults.put(CLUSTER, "");
        defaults.put(HOST_NAME, "");
        defaults.put(HOST_ROOT, "/");
        defaults.put(HOST_EXCLUDE, "");
        defaults.put(PROC, "/proc");
        defaults.put(REFRESH_AFTER, "10m");
        defaults.put(BUFFER_CAPACITY, "100000");
        defaults.put(BATCH_SIZE, "2000");
        defaults.put(CATALOG, "true");
        defaults.put(DOCKER_SOCKET, "");
        defaults.put(KUBERNETES_NODE, "");
        return java.util.Collections.unmodifiableMap(defaults);
    }
}
