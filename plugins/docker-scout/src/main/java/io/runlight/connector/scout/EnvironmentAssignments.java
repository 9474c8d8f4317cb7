package io.runlight.connector.scout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.PushMessage;

import static java.util.Objects.requireNonNull;

/**
 * Which images run in which Scout environment.
 *
 * <p>{@code setStreamImages} replaces an environment's whole list, so the connector keeps
 * every environment's list in its state, one entry per image digest
 * ({@code stream|<environment>|<digest>} holding that image's items), and always sends
 * the full list. An environment is sent when an image's items in it changed, or when
 * its list differs from the last one Scout accepted ({@code streamSent|<environment>}
 * holds a fingerprint of that), so an identical list is not sent twice and a list that
 * failed is sent again with the next change.
 */
final class EnvironmentAssignments
{
    static final String STREAM_PREFIX = "stream|";
    static final String SENT_PREFIX = "streamSent|";
    static final String ENVIRONMENT_ATTRIBUTE = "environment";
    static final String FINGERPRINT_ATTRIBUTE = "fingerprint";
    private static final Set<String> INDEPENDENT_ARCHITECTURES = Set.of("noarch", "all", "any");

    private final ScoutConfig config;
    private final ConnectorState state;
    private final ObjectMapper mapper;
    private final ScoutGraphql graphql;

    EnvironmentAssignments(ScoutConfig config, ConnectorState state, ObjectMapper mapper, ScoutGraphql graphql)
    {
        this.config = requireNonNull(config, "config is null");
        this.state = requireNonNull(state, "state is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.graphql = requireNonNull(graphql, "graphql is null");
    }

    List<PushMessage> translate(InsightsChange change, ImageCoordinates image)
    {
        String digest = change.insights().digest().value();
        String architecture = architecture(change.insights()).map(EnvironmentAssignments::scoutArchitecture).orElse("");
        List<PushMessage> messages = new ArrayList<>();
        for (Map.Entry<String, String> mapping : config.environments().entrySet()) {
            EnvironmentScope scope = EnvironmentScope.parse(mapping.getKey());
            String environment = mapping.getValue();
            TreeSet<String> appNames = new TreeSet<>();
            for (WorkloadInsights workload : change.workloads()) {
                if (scope.matches(workload.workload())) {
                    appNames.add(workload.workload().name());
                }
            }
            List<ScoutGraphql.StreamImage> items = new ArrayList<>();
            for (String appName : appNames) {
                items.add(new ScoutGraphql.StreamImage(image.imageWithDigest(), appName, "linux", architecture));
            }
            String key = STREAM_PREFIX + environment + "|" + digest;
            Optional<String> before = state.get(key);
            if (items.isEmpty() && before.isEmpty()) {
                continue;
            }
            if (items.isEmpty()) {
                state.remove(key);
            }
            else {
                state.put(key, write(graphql.streamImages(items)));
            }
            ArrayNode all = currentList(environment);
            byte[] allBytes = write(all).getBytes(StandardCharsets.UTF_8);
            String fingerprint = Fingerprint.sha256(allBytes);
            if (state.get(SENT_PREFIX + environment).filter(fingerprint::equals).isPresent()) {
                continue;
            }
            messages.add(PushMessage.of(change.type().eventType(), "setStreamImages|" + environment, graphql.setStreamImages(environment, all), Map.of(
                    MessageKind.ATTRIBUTE, MessageKind.ENVIRONMENT.name(),
                    ENVIRONMENT_ATTRIBUTE, environment,
                    FINGERPRINT_ATTRIBUTE, fingerprint)));
        }
        return messages;
    }

    /** Scout accepted the list: remember it, so an identical one is not sent again. */
    void delivered(PushMessage message)
    {
        state.put(SENT_PREFIX + message.attributes().get(ENVIRONMENT_ATTRIBUTE), message.attributes().get(FINGERPRINT_ATTRIBUTE));
    }

    /** Every image of an environment, in digest order. */
    private ArrayNode currentList(String environment)
    {
        ArrayNode all = mapper.createArrayNode();
        for (String items : state.entries(STREAM_PREFIX + environment + "|").values()) {
            try {
                JsonNode node = mapper.readTree(items);
                node.forEach(all::add);
            }
            catch (IOException e) {
                throw new IllegalStateException("the stored image list of Docker Scout environment '" + environment + "' is not JSON", e);
            }
        }
        return all;
    }

    /**
     * The image's architecture: the image's own if its OS names one, else the one most of
     * its OS packages were built for (SBOM readers give the image's OS without an
     * architecture; the packages carry theirs, as purl {@code arch} qualifiers).
     * Architecture-independent packages ({@code noarch}, {@code all}) say nothing about it.
     */
    static Optional<String> architecture(ImageInsights insights)
    {
        Optional<String> own = insights.os().flatMap(OsInfo::arch).filter(arch -> !arch.isBlank());
        if (own.isPresent()) {
            return own;
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (PackageInsight item : insights.packages()) {
            item.pkg().os().flatMap(OsInfo::arch)
                    .filter(arch -> !arch.isBlank() && !INDEPENDENT_ARCHITECTURES.contains(arch.toLowerCase(Locale.ROOT)))
                    .ifPresent(arch -> counts.merge(arch, 1, Integer::sum));
        }
        // the most common; among equals the first by name, so the answer does not depend on package order
        return counts.entrySet().stream()
                .max(Comparator.comparing(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey);
    }

    /** The OCI architecture name Scout uses for a package architecture. */
    static String scoutArchitecture(String arch)
    {
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i686", "x86" -> "386";
            case "armv7", "armv7l", "armhf", "armv6", "armel" -> "arm";
            case "ppc64le", "ppc64el" -> "ppc64le";
            default -> arch;
        };
    }

    private String write(JsonNode node)
    {
        try {
            return mapper.writeValueAsString(node);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write a Docker Scout image list", e);
        }
    }
}
