package io.runlight.connector.scout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.connector.ConnectorState;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.PackageUsageChange;
import io.runlight.plugin.api.connector.PushMessage;

import static java.util.Objects.requireNonNull;

/**
 * VEX exceptions in Docker Scout for vulnerabilities of packages not in use.
 *
 * <p>An exception is added for each (CVE, package) whose package is not in use in a
 * complete profile, once: the id Scout returns is kept under
 * {@code exception|<digest>|<purl>|<cve>}. When a package comes into use, every
 * exception kept for it is removed, and its key deleted once Scout confirms.
 */
final class VexExceptions
{
    static final String PREFIX = "exception|";
    static final String STATE_KEY_ATTRIBUTE = "stateKey";
    static final String EXCEPTION_ID_ATTRIBUTE = "exceptionId";
    // keeps exception|<digest>|<purl>|<cve> under the hub's 256-character key limit
    private static final int MAX_PURL_IN_KEY = 120;

    private final ScoutConfig config;
    private final ConnectorState state;
    private final ScoutGraphql graphql;

    VexExceptions(ScoutConfig config, ConnectorState state, ScoutGraphql graphql)
    {
        this.config = requireNonNull(config, "config is null");
        this.state = requireNonNull(state, "state is null");
        this.graphql = requireNonNull(graphql, "graphql is null");
    }

    /** Exceptions to add (if enabled and the profile is complete). */
    List<PushMessage> additions(InsightsChange change, ImageCoordinates image)
    {
        ImageInsights insights = change.insights();
        if (!config.vexExceptions() || insights.profile().state() != ProfileState.COMPLETE) {
            return List.of();
        }
        // one exception per (CVE, package), ordered by CVE then package as VEX documents are
        LinkedHashMap<String, VulnerabilityInsight> wanted = new LinkedHashMap<>();
        insights.vulnerabilities().stream()
                .filter(item -> item.usage() == Usage.NOT_IN_USE)
                .filter(item -> insights.packageInsight(item.packagePurl()).map(PackageInsight::usage).orElse(Usage.NOT_IN_USE) == Usage.NOT_IN_USE)
                .sorted(Comparator.comparing((VulnerabilityInsight item) -> item.vulnerability().id()).thenComparing(item -> item.packagePurl().toString()))
                .forEach(item -> wanted.putIfAbsent(key(insights, item.packagePurl(), item.vulnerability().id()), item));
        List<PushMessage> messages = new ArrayList<>();
        wanted.forEach((key, item) -> {
            if (state.get(key).isPresent()) {
                return;
            }
            Optional<PackageInsight> pkg = insights.packageInsight(item.packagePurl());
            String name = pkg.map(value -> value.pkg().name()).orElse(item.packagePurl().name());
            String version = pkg.map(value -> value.pkg().version()).orElse(item.packagePurl().version().orElse(""));
            byte[] body = graphql.addException(item.vulnerability().id(), details(name, version, insights.profile()), image, item.packagePurl());
            messages.add(PushMessage.of(change.type().eventType(), key, body, Map.of(
                    MessageKind.ATTRIBUTE, MessageKind.ADD_EXCEPTION.name(),
                    STATE_KEY_ATTRIBUTE, key)));
        });
        return messages;
    }

    /** Removals of the exceptions kept for packages that are now in use. */
    List<PushMessage> removals(InsightsChange change)
    {
        ImageInsights insights = change.insights();
        TreeSet<String> inUse = new TreeSet<>();
        for (PackageInsight pkg : insights.packages()) {
            if (pkg.usage() == Usage.IN_USE) {
                inUse.add(pkg.pkg().purl().toString());
            }
        }
        for (PackageUsageChange usageChange : change.changes()) {
            if (usageChange.current() == Usage.IN_USE) {
                inUse.add(usageChange.purl().toString());
            }
        }
        List<PushMessage> messages = new ArrayList<>();
        for (String purl : inUse) {
            Map<String, String> kept = state.entries(PREFIX + insights.digest().value() + "|" + purlInKey(purl) + "|");
            kept.forEach((key, id) -> messages.add(PushMessage.of(change.type().eventType(), "remove|" + key, graphql.removeException(id), Map.of(
                    MessageKind.ATTRIBUTE, MessageKind.REMOVE_EXCEPTION.name(),
                    STATE_KEY_ATTRIBUTE, key,
                    EXCEPTION_ID_ATTRIBUTE, id))));
        }
        return messages;
    }

    void added(PushMessage message, String id)
    {
        state.put(message.attributes().get(STATE_KEY_ATTRIBUTE), id);
    }

    void removed(PushMessage message)
    {
        state.remove(message.attributes().get(STATE_KEY_ATTRIBUTE));
    }

    /** For example "libssl3 3.0.8-r0 was not loaded by any of the 3 containers of this image during 14 days of observation (Runlight)". */
    String details(String name, String version, ProfileSummary profile)
    {
        String containers = profile.containers() == 1 ? "its only container" : "any of the " + profile.containers() + " containers of this image";
        String subject = version.isEmpty() ? name : name + " " + version;
        return subject + " was not loaded by " + containers + " during " + window(profile.observedFor()) + " of observation (" + config.author() + ")";
    }

    static String key(ImageInsights insights, Purl purl, String cve)
    {
        return PREFIX + insights.digest().value() + "|" + purlInKey(purl.toString()) + "|" + cve;
    }

    private static String purlInKey(String purl)
    {
        return purl.length() <= MAX_PURL_IN_KEY ? purl : "sha256-" + Fingerprint.sha256(purl);
    }

    static String window(Duration duration)
    {
        long days = duration.toDays();
        if (days >= 1) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = duration.toHours();
        if (hours >= 1) {
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = duration.toMinutes();
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
