package io.runlight.hub.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.runlight.hub.ConfigException;

import static java.util.Objects.requireNonNull;

/**
 * What {@link HubStore#start} needs: where the data lives, which database makes the
 * maps durable, how this member finds the others, and which maps are durable. Built
 * from the hub's configuration; {@link #validate()} reports every problem at once.
 *
 * @param dataDirectory the hub's data folder; the default H2 file is {@code <dataDirectory>/db/runlight}
 * @param jdbc an external database (PostgreSQL); absent for the H2 file in the data folder
 * @param cluster this member's network and join settings
 * @param durableMaps names of the maps written through to the database
 */
public record StoreConfig(Path dataDirectory, Optional<Jdbc> jdbc, Cluster cluster, List<String> durableMaps)
{
    /** The message for a cluster on the local H2 file; callers and tests match it exactly. */
    public static final String CLUSTER_NEEDS_SHARED_DATABASE =
            "cluster mode needs a shared database: set database.url to a PostgreSQL JDBC URL (an H2 file in one member's data folder cannot be shared)";

    /** Map and table names: lower case, so that H2 and PostgreSQL agree on the table name. */
    private static final Pattern MAP_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    public StoreConfig
    {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(jdbc, "jdbc is null");
        requireNonNull(cluster, "cluster is null");
        durableMaps = List.copyOf(requireNonNull(durableMaps, "durableMaps is null"));
    }

    /** A single member on the H2 file in {@code dataDirectory}, with the default cluster settings. */
    public static StoreConfig local(Path dataDirectory, Collection<String> durableMaps)
    {
        return new StoreConfig(dataDirectory, Optional.empty(), Cluster.single(), List.copyOf(durableMaps));
    }

    /** The H2 database file used when no JDBC URL is given (H2 adds {@code .mv.db}). */
    public Path h2File()
    {
        return dataDirectory.toAbsolutePath().resolve("db").resolve("runlight");
    }

    /** Whether this member is meant to join others (TCP with another member listed, or Kubernetes). */
    public boolean isCluster()
    {
        return switch (cluster.join()) {
            case NONE -> false;
            case TCP -> cluster.members().stream().anyMatch(member -> !cluster.isSelf(member));
            case KUBERNETES -> true;
        };
    }

    /**
     * Returns this configuration if {@link #validate()} finds nothing.
     *
     * @throws ConfigException listing every problem
     */
    public StoreConfig requireValid()
    {
        List<String> errors = validate();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return this;
    }

    /** Every problem with this configuration, empty if it is valid. */
    public List<String> validate()
    {
        List<String> errors = new ArrayList<>();
        jdbc.ifPresent(settings -> {
            if (!settings.isPostgresql() && !settings.isH2()) {
                errors.add("database URL '" + settings.scheme() + "...' is not supported: use a jdbc:postgresql:// URL, or leave it unset for the H2 file in the data folder");
            }
        });
        if (jdbc.isEmpty() && dataDirectory.toString().contains(";")) {
            errors.add("data folder '" + dataDirectory + "' contains ';', which the H2 database URL cannot hold: choose another folder");
        }
        cluster.validate(errors);
        Set<String> seen = new HashSet<>();
        for (String name : durableMaps) {
            if (!MAP_NAME.matcher(name).matches()) {
                errors.add("durable map name '" + name + "' is invalid: use 1 to 48 lower-case letters, digits or '_', starting with a letter");
            }
            else if (!seen.add(name)) {
                errors.add("durable map name '" + name + "' is listed twice");
            }
        }
        if (isCluster() && jdbc.map(Jdbc::isH2).orElse(true)) {
            errors.add(CLUSTER_NEEDS_SHARED_DATABASE);
        }
        return List.copyOf(errors);
    }

    /**
     * An external database.
     *
     * @param url JDBC URL, {@code jdbc:postgresql://...} (or {@code jdbc:h2:...} for a single member)
     * @param user user name, if not in the URL
     * @param password password, if not in the URL; never printed
     */
    public record Jdbc(String url, Optional<String> user, Optional<String> password)
    {
        public Jdbc
        {
            requireNonNull(url, "url is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
        }

        public boolean isPostgresql()
        {
            return url.startsWith("jdbc:postgresql:");
        }

        public boolean isH2()
        {
            return url.startsWith("jdbc:h2:");
        }

        /** The URL up to its second ':' (a URL may carry a password, so error messages show this only). */
        String scheme()
        {
            int first = url.indexOf(':');
            int second = first < 0 ? -1 : url.indexOf(':', first + 1);
            if (second < 0) {
                return url.length() > 16 ? url.substring(0, 16) : url;
            }
            return url.substring(0, second + 1);
        }

        @Override
        public String toString()
        {
            return "Jdbc[url=" + scheme() + "..., user=" + user.orElse("") + ", password=" + (password.isPresent() ? "****" : "") + "]";
        }
    }

    /** How a member finds the others. */
    public enum JoinMode
    {
        /** A single member; no discovery. */
        NONE,
        /** A fixed list of {@code host:port} members. */
        TCP,
        /** Hazelcast's Kubernetes discovery, DNS lookup of a headless service. */
        KUBERNETES,
    }

    /**
     * This member's network and join settings.
     *
     * @param name cluster name; members with another name do not join
     * @param bindAddress IPv4 address to bind and advertise, or {@code 0.0.0.0} for every interface
     * @param port member port
     * @param portAutoIncrement whether to try the next ports when {@code port} is taken (off: the port is exact)
     * @param join how members find each other
     * @param members {@code host:port} of the members for {@link JoinMode#TCP} (may include this one)
     * @param kubernetesServiceDns headless service DNS name for {@link JoinMode#KUBERNETES},
     *         e.g. {@code runlight-hz.runlight.svc.cluster.local}
     * @param hazelcastProperties extra Hazelcast properties applied last, e.g. {@code hazelcast.partition.count}
     * @param backupCount synchronous backups of every partition on other members ({@value #DEFAULT_BACKUP_COUNT}
     *         by default: with three members, losing any two at once loses nothing from memory)
     */
    public record Cluster(
            String name,
            String bindAddress,
            int port,
            boolean portAutoIncrement,
            JoinMode join,
            List<String> members,
            Optional<String> kubernetesServiceDns,
            Map<String, String> hazelcastProperties,
            int backupCount)
    {
        public static final String DEFAULT_NAME = "runlight";
        public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
        public static final int DEFAULT_PORT = 5701;
        public static final String ANY_ADDRESS = "0.0.0.0";
        /**
         * Two backups: a write waits for two other members (on a LAN, well under a millisecond each) and
         * every entry is held three times, in exchange for no entry leaving memory while one of any three
         * members lives. Hazelcast keeps fewer where there are fewer members. Whatever is lost anyway is
         * reloaded from the database ({@link MapRecovery}); backups keep it from being lost in the first place.
         */
        public static final int DEFAULT_BACKUP_COUNT = 2;
        /** Hazelcast's limit of synchronous backups. */
        static final int MAX_BACKUP_COUNT = 6;

        public Cluster
        {
            requireNonNull(name, "name is null");
            requireNonNull(bindAddress, "bindAddress is null");
            requireNonNull(join, "join is null");
            members = List.copyOf(requireNonNull(members, "members is null"));
            requireNonNull(kubernetesServiceDns, "kubernetesServiceDns is null");
            hazelcastProperties = Map.copyOf(requireNonNull(hazelcastProperties, "hazelcastProperties is null"));
        }

        /** As the canonical constructor, with {@value #DEFAULT_BACKUP_COUNT} backups. */
        public Cluster(
                String name,
                String bindAddress,
                int port,
                boolean portAutoIncrement,
                JoinMode join,
                List<String> members,
                Optional<String> kubernetesServiceDns,
                Map<String, String> hazelcastProperties)
        {
            this(name, bindAddress, port, portAutoIncrement, join, members, kubernetesServiceDns, hazelcastProperties, DEFAULT_BACKUP_COUNT);
        }

        /** One member named {@code runlight} on 127.0.0.1:5701 with no discovery. */
        public static Cluster single()
        {
            return new Cluster(DEFAULT_NAME, DEFAULT_BIND_ADDRESS, DEFAULT_PORT, false, JoinMode.NONE, List.of(), Optional.empty(), Map.of());
        }

        /** A member on {@code bindAddress:port} joining the listed {@code host:port} members over TCP. */
        public static Cluster tcp(String bindAddress, int port, List<String> members)
        {
            return new Cluster(DEFAULT_NAME, bindAddress, port, false, JoinMode.TCP, members, Optional.empty(), Map.of());
        }

        /** A copy with these extra Hazelcast properties. */
        public Cluster withHazelcastProperties(Map<String, String> properties)
        {
            return new Cluster(name, bindAddress, port, portAutoIncrement, join, members, kubernetesServiceDns, properties, backupCount);
        }

        /** A copy that keeps {@code count} backups of every partition. */
        public Cluster withBackupCount(int count)
        {
            return new Cluster(name, bindAddress, port, portAutoIncrement, join, members, kubernetesServiceDns, hazelcastProperties, count);
        }

        /** This member's own address as {@code host:port}. */
        public String self()
        {
            return bindAddress + ":" + port;
        }

        boolean isSelf(String member)
        {
            String trimmed = member.trim();
            return trimmed.equals(self())
                    || (bindAddress.equals(DEFAULT_BIND_ADDRESS) && trimmed.equals("localhost:" + port));
        }

        void validate(List<String> errors)
        {
            if (name.isBlank()) {
                errors.add("cluster name is blank: set a name (default '" + DEFAULT_NAME + "')");
            }
            if (!IPV4.matcher(bindAddress).matches()) {
                errors.add("cluster bind address '" + bindAddress + "' is not an IPv4 address: use e.g. 127.0.0.1, this host's address, or 0.0.0.0 for every interface");
            }
            if (port < 0 || port > 65535) {
                errors.add("cluster port " + port + " is out of range: use 1 to 65535 (default " + DEFAULT_PORT + "), or 0 for a free port on a member alone");
            }
            else if (port == 0 && join != JoinMode.NONE) {
                errors.add("cluster port 0 (a free port) is only for a member alone: with join mode " + join + " the other members must know this member's port, so set one (default " + DEFAULT_PORT + ")");
            }
            for (String member : members) {
                if (!isHostAndPort(member)) {
                    errors.add("cluster member '" + member + "' is not host:port: write it as e.g. 10.0.0.12:5701");
                }
            }
            switch (join) {
                case NONE -> {
                    if (!members.isEmpty()) {
                        errors.add("cluster members are listed but the join mode is NONE: set the join mode to TCP, or remove the members");
                    }
                }
                case TCP -> {
                    if (members.isEmpty()) {
                        errors.add("cluster join mode TCP needs members: list them as host:port");
                    }
                }
                case KUBERNETES -> {
                    if (kubernetesServiceDns.map(String::isBlank).orElse(true)) {
                        errors.add("cluster join mode KUBERNETES needs the headless service DNS name, e.g. runlight-hz.runlight.svc.cluster.local");
                    }
                    if (bindAddress.startsWith("127.")) {
                        errors.add("cluster join mode KUBERNETES cannot bind to loopback '" + bindAddress + "': bind to the pod's address or 0.0.0.0");
                    }
                }
            }
            if (join != JoinMode.KUBERNETES && kubernetesServiceDns.isPresent()) {
                errors.add("a Kubernetes service is set but the join mode is " + join + ": set the join mode to KUBERNETES, or remove the service");
            }
            if (backupCount < 0 || backupCount > MAX_BACKUP_COUNT) {
                errors.add("cluster backup count " + backupCount + " is out of range: use 0 to " + MAX_BACKUP_COUNT + " (default " + DEFAULT_BACKUP_COUNT + ")");
            }
            for (String key : hazelcastProperties.keySet()) {
                if (!key.startsWith("hazelcast.")) {
                    errors.add("Hazelcast property '" + key + "' does not start with 'hazelcast.': check its name");
                }
            }
        }

        private static boolean isHostAndPort(String member)
        {
            String trimmed = member.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || !HOST.matcher(trimmed.substring(0, colon)).matches()) {
                return false;
            }
            String port = trimmed.substring(colon + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return false;
            }
            int value = Integer.parseInt(port);
            return value >= 1 && value <= 65535;
        }
    }
}
