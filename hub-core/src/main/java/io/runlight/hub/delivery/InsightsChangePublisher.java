package io.runlight.hub.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runlight.hub.insights.InsightsListener;
import io.runlight.insights.correlate.ImageAnalysis;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.WorkloadInsights;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.PackageFirstUse;
import io.runlight.plugin.api.connector.PackageUsageChange;
import io.runlight.plugin.api.connector.PushMessage;

import static java.util.Objects.requireNonNull;

/**
 * Turns recomputed insights into outbox deliveries: builds the {@link InsightsChange}
 * (profile completed, or insights changed, with the packages whose verdict changed) and
 * has the connector of every integration that records changes translate it (active ones,
 * and paused or severed ones, whose messages wait in the outbox until they may push again;
 * see {@link PushTargets#translatingTargets()}); each message is written to the outbox
 * before anything is sent. It runs on the member that computed the image, on the
 * worker that computed it. A connector that throws or hangs costs only its own messages
 * (reported through {@link PushTargets#deliveryFailed}); the others are still written.
 */
public final class InsightsChangePublisher
        implements InsightsListener
{
    private static final Logger log = LoggerFactory.getLogger(InsightsChangePublisher.class);

    private final Outbox outbox;
    private final PushTargets targets;
    private final Clock clock;

    public InsightsChangePublisher(Outbox outbox, PushTargets targets, Clock clock)
    {
        this.outbox = requireNonNull(outbox, "outbox is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void insightsComputed(Optional<ImageInsights> previous, ImageAnalysis current)
    {
        requireNonNull(previous, "previous is null");
        requireNonNull(current, "current is null");
        if (previous.isPresent() && previous.get().equals(current.image())) {
            // recomputed to the same verdicts: nothing to tell anyone
            return;
        }
        InsightsChange change = change(previous, current, clock.instant());
        List<PackageFirstUse> firstUses = firstUses(previous, current, change.time());
        for (PushTarget target : targets.translatingTargets()) {
            publishChange(target, change);
            publishFirstUses(target, firstUses);
        }
    }

    private void publishChange(PushTarget target, InsightsChange change)
    {
        List<PushMessage> messages;
        try {
            messages = target.pusher().translate(change);
        }
        catch (RuntimeException e) {
            log.warn("Connector of integration '{}' failed to translate the change of image '{}': {}", target.integrationId(),
                    change.insights().digest(), e.getMessage());
            targets.deliveryFailed(target.integrationId(), clock.instant(), "connector failed in translate: " + e.getMessage());
            return;
        }
        for (PushMessage message : messages) {
            outbox.enqueue(target.integrationId(), message);
        }
    }

    private void publishFirstUses(PushTarget target, List<PackageFirstUse> firstUses)
    {
        for (PackageFirstUse firstUse : firstUses) {
            List<PushMessage> messages;
            try {
                messages = target.pusher().translateFirstUse(firstUse);
            }
            catch (RuntimeException e) {
                log.warn("Connector of integration '{}' failed to translate the first use of '{}' in image '{}': {}", target.integrationId(),
                        firstUse.pkg().purl(), firstUse.imageDigest(), e.getMessage());
                targets.deliveryFailed(target.integrationId(), clock.instant(), "connector failed in translateFirstUse: " + e.getMessage());
                return;
            }
            for (PushMessage message : messages) {
                outbox.enqueue(target.integrationId(), message);
            }
        }
    }

    /**
     * The dormant packages that woke up from {@code previous} to {@code current}: packages that
     * were NOT_IN_USE in a complete profile and are in use now, once per container that loaded
     * them, with the first observation of the load there. A package loaded by no known container
     * (events that named none) gives none.
     */
    public static List<PackageFirstUse> firstUses(Optional<ImageInsights> previous, ImageAnalysis current, Instant time)
    {
        if (previous.isEmpty() || previous.get().profile().state() != ProfileState.COMPLETE) {
            return List.of();
        }
        Map<String, Usage> before = new TreeMap<>();
        previous.get().packages().forEach(item -> before.put(item.pkg().purl().toString(), item.usage()));
        ImageInsights image = current.image();
        List<PackageFirstUse> firstUses = new ArrayList<>();
        for (PackageInsight item : image.packages()) {
            String purl = item.pkg().purl().toString();
            if (item.usage() != Usage.IN_USE || before.get(purl) != Usage.NOT_IN_USE) {
                continue;
            }
            List<VulnerabilityInsight> vulnerabilities = image.vulnerabilities().stream().filter(vulnerability -> vulnerability.packagePurl().equals(item.pkg().purl())).toList();
            for (WorkloadInsights workload : current.workloads()) {
                workload.packagesInUse().stream()
                        .filter(loaded -> loaded.pkg().purl().equals(item.pkg().purl()))
                        .flatMap(loaded -> loaded.evidence().stream())
                        .min(Comparator.comparing(Evidence::firstSeen).thenComparing(Evidence::path))
                        .ifPresent(evidence -> firstUses.add(new PackageFirstUse(image.digest(), image.names(), workload.workload(), item.pkg(), evidence, vulnerabilities, time)));
            }
        }
        return List.copyOf(firstUses);
    }

    /** The change from {@code previous} to {@code current}; an image seen for the first time compares against "unknown" verdicts. */
    public static InsightsChange change(Optional<ImageInsights> previous, ImageAnalysis current, Instant time)
    {
        ImageInsights image = current.image();
        boolean completed = image.profile().state() == ProfileState.COMPLETE
                && previous.map(before -> before.profile().state() != ProfileState.COMPLETE).orElse(true);
        Map<String, Usage> before = new TreeMap<>();
        previous.ifPresent(insights -> insights.packages().forEach(item -> before.put(item.pkg().purl().toString(), item.usage())));
        List<PackageUsageChange> changes = new ArrayList<>();
        for (PackageInsight item : image.packages()) {
            Usage was = before.getOrDefault(item.pkg().purl().toString(), Usage.UNKNOWN);
            if (was != item.usage()) {
                changes.add(new PackageUsageChange(item.pkg().purl(), was, item.usage()));
            }
        }
        ChangeType type = completed ? ChangeType.PROFILE_COMPLETED : ChangeType.IMAGE_INSIGHTS_CHANGED;
        return new InsightsChange(type, image, current.workloads(), changes, time);
    }
}
