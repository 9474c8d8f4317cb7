package io.runlight.hub.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.hub.store.HubStore;
import io.runlight.hub.store.JsonCodec;
import io.runlight.hub.store.StoreConfig;
import io.runlight.insights.correlate.ImageAnalysis;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.PackageUsageChange;
import io.runlight.plugin.api.connector.PushMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox on a real member written through to H2: what it stores, superseding,
 * listing by state, re-queuing dead letters, and how insights changes become deliveries.
 */
final class TestOutbox
{
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @TempDir
    static Path dataDirectory;

    private static HubStore store;
    private static Outbox outbox;

    @BeforeAll
    static void startStore()
    {
        store = HubStore.start(DeliveryTesting.store(dataDirectory.resolve("hub"), DeliveryTesting.freePort()));
        outbox = new Outbox(store, CLOCK, new SecureRandom());
    }

    @AfterAll
    static void stopStore()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void refusesAStoreWhereTheOutboxIsNotDurable()
            throws Exception
    {
        StoreConfig config = DeliveryTesting.store(dataDirectory.resolve("volatile"), DeliveryTesting.freePort());
        try (HubStore volatileStore = HubStore.start(new StoreConfig(config.dataDirectory(), config.jdbc(), config.cluster(), List.of("images")))) {
            assertThatThrownBy(() -> new Outbox(volatileStore, CLOCK, new SecureRandom()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'outbox' is not durable: add it to the store's durable maps so the outbox survives a restart");
        }
    }

    @Test
    void storesTheMessageAsJsonBeforeReturning()
    {
        PushMessage message = PushMessage.of("runlight.image.insights.changed", "sha256:store", new byte[] {0, 1, 2, (byte) 0xff}, Map.of("url", "https://example.test/hook"));
        Delivery delivery = outbox.enqueue("int_store", message);

        assertThat(delivery.id()).matches("dlv_[0-9A-Za-z]{26}");
        assertThat(store.map(Outbox.MAP).get(delivery.id())).isEqualTo("{\"id\":\"" + delivery.id() + "\",\"integrationId\":\"int_store\","
                + "\"message\":{\"eventType\":\"runlight.image.insights.changed\",\"key\":\"sha256:store\",\"payload\":\"AAEC/w==\",\"attributes\":{\"url\":\"https://example.test/hook\"}},"
                + "\"state\":\"PENDING\",\"attempts\":0,\"nextAttemptAt\":\"2026-11-28T12:00:00Z\",\"createdAt\":\"2026-11-28T12:00:00Z\","
                + "\"lastStatus\":null,\"lastError\":null,\"lastResponse\":null}");
        assertThat(outbox.get(delivery.id()).orElseThrow().message().toPushMessage()).isEqualTo(message);
        assertThat(JsonCodec.of(Delivery.class).decode(store.map(Outbox.MAP).get(delivery.id()))).isEqualTo(delivery);
    }

    @Test
    void aNewerMessageSupersedesAnUnsentOneWithTheSameKeyOnly()
    {
        Delivery first = outbox.enqueue("int_super", message("sha256:one", "v1"));
        Delivery other = outbox.enqueue("int_super", message("sha256:two", "v1"));
        Delivery otherIntegration = outbox.enqueue("int_super_other", message("sha256:one", "v1"));
        Delivery second = outbox.enqueue("int_super", message("sha256:one", "v2"));

        assertThat(outbox.get(first.id())).isEmpty();
        assertThat(outbox.list("int_super", DeliveryFilter.PENDING)).extracting(Delivery::id).containsExactlyInAnyOrder(other.id(), second.id());
        assertThat(outbox.list("int_super_other", DeliveryFilter.PENDING)).extracting(Delivery::id).containsExactly(otherIntegration.id());

        // once attempted, the receiver may have seen its id: a newer message does not replace it
        Delivery attempted = second.retryAt(CLOCK.instant().plusSeconds(5), Optional.of(503), "HTTP 503", Optional.empty());
        store.map(Outbox.MAP).set(second.id(), JsonCodec.of(Delivery.class).encode(attempted));
        Delivery third = outbox.enqueue("int_super", message("sha256:one", "v3"));
        assertThat(outbox.list("int_super", DeliveryFilter.PENDING)).extracting(Delivery::id).containsExactlyInAnyOrder(other.id(), second.id(), third.id());
        assertThat(outbox.list("int_super", DeliveryFilter.FAILED)).containsExactly(attempted);
    }

    @Test
    void retryRequeuesADeadLetterWithItsIdAndRefusesOthers()
    {
        Delivery delivery = outbox.enqueue("int_retry", message("sha256:retry", "x"));
        assertThat(outbox.retry("dlv_unknown")).isEmpty();
        assertThatThrownBy(() -> outbox.retry(delivery.id()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("delivery '" + delivery.id() + "' is pending, not dead: only dead letters can be retried");

        Delivery dead = delivery.dead(CLOCK.instant(), Optional.of(400), "HTTP 400: bad", Optional.of("bad"));
        store.map(Outbox.MAP).set(delivery.id(), JsonCodec.of(Delivery.class).encode(dead));
        assertThat(outbox.list("int_retry", DeliveryFilter.DEAD)).containsExactly(dead);
        assertThat(outbox.counts("int_retry", "CLOSED")).isEqualTo(new DeliveryCounts(0, 1, "CLOSED"));

        Delivery requeued = outbox.retry(delivery.id()).orElseThrow();
        assertThat(requeued).isEqualTo(new Delivery(delivery.id(), "int_retry", delivery.message(), DeliveryState.PENDING, 0, CLOCK.instant(), delivery.createdAt(),
                Optional.of(400), Optional.of("HTTP 400: bad"), Optional.of("bad")));
        assertThat(outbox.get(delivery.id())).contains(requeued);
        assertThat(outbox.list("int_retry", DeliveryFilter.DEAD)).isEmpty();
        assertThat(outbox.list("int_retry", DeliveryFilter.FAILED)).isEmpty();
        assertThat(outbox.counts("int_retry", "CLOSED")).isEqualTo(new DeliveryCounts(1, 0, "CLOSED"));
    }

    @Test
    void filtersParseTheirWireNames()
    {
        assertThat(DeliveryFilter.parse("pending")).isEqualTo(DeliveryFilter.PENDING);
        assertThat(DeliveryFilter.parse("FAILED")).isEqualTo(DeliveryFilter.FAILED);
        assertThat(DeliveryFilter.parse("dead")).isEqualTo(DeliveryFilter.DEAD);
        assertThatThrownBy(() -> DeliveryFilter.parse("lost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delivery state 'lost' is unknown: use pending, failed or dead");
    }

    @Test
    void insightsChangesNameThePackagesWhoseVerdictChanged()
    {
        ImageInsights before = image(ProfileState.LEARNING, Map.of("busybox", Usage.UNKNOWN, "musl", Usage.IN_USE));
        ImageInsights after = image(ProfileState.COMPLETE, Map.of("busybox", Usage.NOT_IN_USE, "musl", Usage.IN_USE, "zlib", Usage.IN_USE));

        InsightsChange completed = InsightsChangePublisher.change(Optional.of(before), new ImageAnalysis(after, List.of()), CLOCK.instant());
        assertThat(completed.type()).isEqualTo(ChangeType.PROFILE_COMPLETED);
        assertThat(completed.insights()).isEqualTo(after);
        assertThat(completed.time()).isEqualTo(CLOCK.instant());
        assertThat(completed.changes()).containsExactly(
                new PackageUsageChange(pkg("busybox").purl(), Usage.UNKNOWN, Usage.NOT_IN_USE),
                new PackageUsageChange(pkg("zlib").purl(), Usage.UNKNOWN, Usage.IN_USE));

        ImageInsights later = image(ProfileState.COMPLETE, Map.of("busybox", Usage.IN_USE, "musl", Usage.IN_USE, "zlib", Usage.IN_USE));
        InsightsChange changed = InsightsChangePublisher.change(Optional.of(after), new ImageAnalysis(later, List.of()), CLOCK.instant());
        assertThat(changed.type()).isEqualTo(ChangeType.IMAGE_INSIGHTS_CHANGED);
        assertThat(changed.changes()).containsExactly(new PackageUsageChange(pkg("busybox").purl(), Usage.NOT_IN_USE, Usage.IN_USE));

        InsightsChange first = InsightsChangePublisher.change(Optional.empty(), new ImageAnalysis(before, List.of()), CLOCK.instant());
        assertThat(first.type()).isEqualTo(ChangeType.IMAGE_INSIGHTS_CHANGED);
        assertThat(first.changes()).containsExactly(new PackageUsageChange(pkg("musl").purl(), Usage.UNKNOWN, Usage.IN_USE));
    }

    @Test
    void everyActiveTargetTranslatesTheChangeIntoTheOutboxAndAFailingOneIsReported()
    {
        FakePushTargets targets = new FakePushTargets();
        targets.activate(new PushTarget("int_pub_ok", "acme", 1, new WebhookTestPusher(URI.create("http://127.0.0.1:9"), "int_pub_ok", 4)));
        targets.activate(new PushTarget("int_pub_broken", "acme", 1, new WebhookTestPusher(URI.create("http://127.0.0.1:9"), "int_pub_broken", 4).throwingInTranslate()));
        InsightsChangePublisher publisher = new InsightsChangePublisher(outbox, targets, CLOCK);
        ImageInsights image = image(ProfileState.COMPLETE, Map.of("musl", Usage.IN_USE));

        publisher.insightsComputed(Optional.empty(), new ImageAnalysis(image, List.of()));

        List<Delivery> written = outbox.list("int_pub_ok", DeliveryFilter.PENDING);
        assertThat(written).hasSize(1);
        assertThat(written.get(0).message().key()).isEqualTo(DIGEST);
        assertThat(written.get(0).message().toPushMessage().payload().toUtf8())
                .isEqualTo("{\"digest\":\"" + DIGEST + "\",\"type\":\"PROFILE_COMPLETED\",\"changes\":1}");
        assertThat(outbox.list("int_pub_broken", DeliveryFilter.PENDING)).isEmpty();
        assertThat(targets.failures("int_pub_broken")).containsExactly("connector failed in translate: translate failed on purpose");

        // recomputed to the same verdicts: nothing new is written
        publisher.insightsComputed(Optional.of(image), new ImageAnalysis(image, List.of()));
        assertThat(outbox.list("int_pub_ok", DeliveryFilter.PENDING)).hasSize(1);
    }

    private static PushMessage message(String key, String body)
    {
        return WebhookTestPusher.message(key, body);
    }

    private static InstalledPackage pkg(String name)
    {
        return InstalledPackage.osPackage(PackageType.APK, name, "1.0-r0", new OsInfo("alpine", "3.17.2", Optional.of("x86_64")));
    }

    private static ImageInsights image(ProfileState state, Map<String, Usage> usages)
    {
        List<PackageInsight> packages = usages.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new PackageInsight(pkg(entry.getKey()), entry.getValue(),
                        entry.getValue() == Usage.IN_USE ? Optional.of(Confidence.FILE) : Optional.empty(), List.of()))
                .toList();
        ProfileSummary profile = new ProfileSummary(state, 1, Duration.ofDays(1), Optional.empty(), Optional.empty());
        return new ImageInsights(ImageDigest.parse(DIGEST), List.of(), List.of("alpine:3.17"), Optional.empty(), profile,
                new InsightsSummary(packages.size(), count(usages, Usage.IN_USE), count(usages, Usage.NOT_IN_USE), count(usages, Usage.UNKNOWN), 0, 0),
                packages, List.of());
    }

    private static int count(Map<String, Usage> usages, Usage usage)
    {
        return (int) usages.values().stream().filter(usage::equals).count();
    }
}
