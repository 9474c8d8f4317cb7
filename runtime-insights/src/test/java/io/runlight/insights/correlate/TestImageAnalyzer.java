package io.runlight.insights.correlate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.profile.ImageProfile;
import io.runlight.insights.runtime.ContainerIdentity;
import io.runlight.insights.runtime.RuntimeEvent;
import io.runlight.insights.runtime.Sensor;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomReader;
import io.runlight.insights.vuln.VulnerabilityReport;
import io.runlight.insights.vuln.VulnerabilityReportReader;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The issue's acceptance line on the real alpine 3.17.2 Syft SBOM and Grype report
 * (fixtures/README.md): exec busybox, mmap the musl loader and libcrypto.
 */
class TestImageAnalyzer
{
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final ImageDigest CONFIG = new ImageDigest("sha256:b2aa39c304c27b96c1fef0c06bee651ac9241d49c4fe34381cab8453f9a89c7d");
    private static final ImageDigest MANIFEST = new ImageDigest("sha256:fd6275a37d2472b9d3be70c3261087b8d65e441c21342ae7313096312bcda2b3");
    private static final ImageDigest REPO = new ImageDigest("sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
    private static final ImageDigest OTHER_IMAGE = new ImageDigest("sha256:" + "0".repeat(64));
    private static final ContainerIdentity CART = identity("cart", Optional.of(REPO));
    private static final ContainerIdentity WORKER = identity("worker", Optional.empty());

    private static final String BUSYBOX = "pkg:apk/alpine/busybox@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2";
    private static final String BUSYBOX_BINSH = "pkg:apk/alpine/busybox-binsh@1.35.0-r29?arch=x86_64&distro=alpine-3.17.2&upstream=busybox";
    private static final String LIBCRYPTO = "pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl";
    private static final String LIBSSL = "pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&distro=alpine-3.17.2&upstream=openssl";
    private static final String MUSL = "pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&distro=alpine-3.17.2";

    private static final List<RuntimeEvent> ACCEPTANCE_EVENTS = List.of(
            event(CART, EvidenceKind.EXEC, "/bin/busybox", "/bin/busybox", 0),
            event(CART, EvidenceKind.MMAP, "/lib/ld-musl-x86_64.so.1", "/bin/busybox", 0),
            event(CART, EvidenceKind.MMAP, "/lib/libcrypto.so.3", "/bin/busybox", 0),
            // another image's container: ignored
            event(identity("other", Optional.of(OTHER_IMAGE)), EvidenceKind.MMAP, "/lib/libssl.so.3", "/usr/bin/curl", 0));

    @Test
    void acceptanceWithLearningWindowZero()
    {
        ImageAnalysis analysis = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO))
                .analyze(alpineSbom(), List.of(alpineReport()), ACCEPTANCE_EVENTS, T0);
        ImageInsights image = analysis.image();

        assertThat(image.digest()).isEqualTo(CONFIG);
        assertThat(image.aliases()).containsExactly(MANIFEST, REPO);
        assertThat(image.names()).containsExactly(
                "alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501",
                "index.docker.io/library/alpine@sha256:e2e16842c9b54d985bf1ef9242a313f36b856181f188de21313820e177002501");
        assertThat(image.profile()).isEqualTo(new ProfileSummary(ProfileState.COMPLETE, 1, Duration.ZERO, Optional.of(T0), Optional.of(T0)));
        assertThat(image.summary()).isEqualTo(new InsightsSummary(15, 4, 10, 1, 20, 10));
        // the meta package libc-utils owns no file: never seeing it says nothing
        PackageInsight libcUtils = image.packages().stream().filter(insight -> insight.pkg().name().equals("libc-utils")).findFirst().orElseThrow();
        assertThat(libcUtils.usage()).isEqualTo(Usage.UNKNOWN);
        assertThat(libcUtils.reason()).contains("the SBOM records no files of this package (only a manifest or nothing), so an event could never be matched to it");
        assertThat(insight(image, LIBSSL).reason()).isEmpty();

        assertThat(usage(image, BUSYBOX)).isEqualTo(Usage.IN_USE);
        assertThat(usage(image, MUSL)).isEqualTo(Usage.IN_USE);
        assertThat(usage(image, LIBCRYPTO)).isEqualTo(Usage.IN_USE);
        assertThat(usage(image, LIBSSL)).isEqualTo(Usage.NOT_IN_USE);
        // Syft's contains relationship gives busybox-binsh the /bin/busybox its /bin/sh links to
        assertThat(usage(image, BUSYBOX_BINSH)).isEqualTo(Usage.IN_USE);
        assertThat(image.packages()).filteredOn(insight -> insight.usage() == Usage.IN_USE)
                .extracting(insight -> insight.pkg().purl().toString())
                .containsExactly(BUSYBOX_BINSH, BUSYBOX, LIBCRYPTO, MUSL);
        // ordered by purl string: "-" sorts before "@"
        assertThat(image.packages()).extracting(insight -> insight.pkg().name()).containsExactly(
                "alpine-baselayout-data", "alpine-baselayout", "alpine-keys", "apk-tools", "busybox-binsh", "busybox",
                "ca-certificates-bundle", "libc-utils", "libcrypto3", "libssl3", "musl-utils", "musl", "scanelf", "ssl_client", "zlib");

        PackageInsight busybox = insight(image, BUSYBOX);
        assertThat(busybox.confidence()).contains(Confidence.FILE);
        assertThat(busybox.evidence()).containsExactly(
                new Evidence(EvidenceKind.EXEC, "/usr/bin/busybox", Optional.of("/usr/bin/busybox"), T0, T0, 1));
        assertThat(insight(image, LIBCRYPTO).evidence()).containsExactly(
                new Evidence(EvidenceKind.MMAP, "/usr/lib/libcrypto.so.3", Optional.of("/usr/bin/busybox"), T0, T0, 1));
        assertThat(insight(image, LIBSSL).confidence()).isEmpty();
        assertThat(insight(image, LIBSSL).evidence()).isEmpty();

        assertThat(image.vulnerabilities()).extracting(VulnerabilityInsight::rank, insight -> insight.vulnerability().id(),
                        insight -> insight.packagePurl().name(), VulnerabilityInsight::usage)
                .containsExactly(
                        tuple(1, "CVE-2023-0464", "libcrypto3", Usage.IN_USE),
                        tuple(2, "CVE-2023-5363", "libcrypto3", Usage.IN_USE),
                        tuple(3, "CVE-2023-2650", "libcrypto3", Usage.IN_USE),
                        tuple(4, "CVE-2023-1255", "libcrypto3", Usage.IN_USE),
                        tuple(5, "CVE-2023-0465", "libcrypto3", Usage.IN_USE),
                        tuple(6, "CVE-2023-0466", "libcrypto3", Usage.IN_USE),
                        tuple(7, "CVE-2023-2975", "libcrypto3", Usage.IN_USE),
                        tuple(8, "CVE-2023-3446", "libcrypto3", Usage.IN_USE),
                        tuple(9, "CVE-2023-3817", "libcrypto3", Usage.IN_USE),
                        tuple(10, "CVE-2023-5678", "libcrypto3", Usage.IN_USE),
                        tuple(11, "CVE-2023-0464", "libssl3", Usage.NOT_IN_USE),
                        tuple(12, "CVE-2023-5363", "libssl3", Usage.NOT_IN_USE),
                        tuple(13, "CVE-2023-2650", "libssl3", Usage.NOT_IN_USE),
                        tuple(14, "CVE-2023-1255", "libssl3", Usage.NOT_IN_USE),
                        tuple(15, "CVE-2023-0465", "libssl3", Usage.NOT_IN_USE),
                        tuple(16, "CVE-2023-0466", "libssl3", Usage.NOT_IN_USE),
                        tuple(17, "CVE-2023-2975", "libssl3", Usage.NOT_IN_USE),
                        tuple(18, "CVE-2023-3446", "libssl3", Usage.NOT_IN_USE),
                        tuple(19, "CVE-2023-3817", "libssl3", Usage.NOT_IN_USE),
                        tuple(20, "CVE-2023-5678", "libssl3", Usage.NOT_IN_USE));
        assertThat(image.vulnerabilities().get(0).packagePurl().toString()).isEqualTo(LIBCRYPTO);
        assertThat(image.vulnerabilities().get(0).vulnerability().cvssScore()).hasValue(7.5);

        assertThat(analysis.workloads()).hasSize(1);
        WorkloadInsights cart = analysis.workloads().get(0);
        assertThat(cart.workload()).isEqualTo(new Workload("prod", "shop", "Deployment", "cart", "cart"));
        assertThat(cart.imageDigest()).isEqualTo(CONFIG);
        assertThat(cart.imageNames()).isEqualTo(image.names());
        assertThat(cart.profile()).isEqualTo(new ProfileSummary(ProfileState.COMPLETE, 1, Duration.ZERO, Optional.of(T0), Optional.of(T0)));
        assertThat(cart.packagesInUse()).extracting(insight -> insight.pkg().purl().toString()).containsExactly(BUSYBOX_BINSH, BUSYBOX, LIBCRYPTO, MUSL);
    }

    @Test
    void learningProfileSaysUnknownUntilTheWindowHasPassed()
    {
        ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisPolicy.DEFAULT);
        Sbom sbom = alpineSbom();
        List<VulnerabilityReport> reports = List.of(alpineReport());

        ImageInsights learning = analyzer.analyze(sbom, reports, ACCEPTANCE_EVENTS, T0).image();
        assertThat(learning.profile().state()).isEqualTo(ProfileState.LEARNING);
        assertThat(learning.summary()).isEqualTo(new InsightsSummary(15, 4, 0, 11, 20, 10));
        assertThat(usage(learning, LIBCRYPTO)).isEqualTo(Usage.IN_USE);
        assertThat(usage(learning, LIBSSL)).isEqualTo(Usage.UNKNOWN);
        assertThat(insight(learning, LIBSSL).reason()).contains("still learning: observed for 0 seconds of the 1 day learning window");
        assertThat(insight(learning, LIBSSL).confidence()).isEmpty();
        assertThat(learning.vulnerabilities().get(10).usage()).isEqualTo(Usage.UNKNOWN);

        ImageInsights complete = analyzer.analyze(sbom, reports, ACCEPTANCE_EVENTS, T0.plus(Duration.ofHours(25))).image();
        assertThat(complete.profile()).isEqualTo(new ProfileSummary(ProfileState.COMPLETE, 1, Duration.ofHours(25), Optional.of(T0), Optional.of(T0)));
        assertThat(complete.summary()).isEqualTo(new InsightsSummary(15, 4, 10, 1, 20, 10));
        assertThat(usage(complete, LIBSSL)).isEqualTo(Usage.NOT_IN_USE);
    }

    @Test
    void noEventsMeansNoProfileAndEverythingUnknown()
    {
        ImageAnalysis analysis = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO)).analyze(alpineSbom(), List.of(alpineReport()), List.of(), T0);

        assertThat(analysis.image().profile()).isEqualTo(ProfileSummary.NONE);
        assertThat(analysis.image().summary()).isEqualTo(new InsightsSummary(15, 0, 0, 15, 20, 0));
        assertThat(analysis.workloads()).isEmpty();
        assertThat(analysis.image().vulnerabilities()).extracting(VulnerabilityInsight::usage).containsOnly(Usage.UNKNOWN);
    }

    @Test
    void dataOpensAreAccessedUnlessThePolicyCountsThem()
    {
        List<RuntimeEvent> events = List.of(
                event(CART, EvidenceKind.EXEC, "/usr/bin/ssl_client", "/usr/bin/ssl_client", 4),
                event(CART, EvidenceKind.OPEN, "/etc/ssl/openssl.cnf", "/usr/bin/ssl_client", 5),
                event(CART, EvidenceKind.OPEN, "/lib/libssl.so.3", "/usr/bin/ssl_client", 6));

        ImageInsights strict = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO)).analyze(alpineSbom(), List.of(), events, T0).image();
        PackageInsight libcrypto = insight(strict, LIBCRYPTO);
        assertThat(libcrypto.usage()).isEqualTo(Usage.NOT_IN_USE);
        assertThat(libcrypto.accessed()).isTrue();
        assertThat(libcrypto.evidence()).containsExactly(
                new Evidence(EvidenceKind.OPEN, "/etc/ssl/openssl.cnf", Optional.of("/usr/bin/ssl_client"), T0.plusSeconds(5), T0.plusSeconds(5), 1));
        // opening a shared object is a load
        assertThat(insight(strict, LIBSSL).usage()).isEqualTo(Usage.IN_USE);
        assertThat(insight(strict, LIBSSL).confidence()).contains(Confidence.FILE);

        AnalysisPolicy counting = new AnalysisPolicy(Duration.ZERO, true, 5, 3);
        ImageInsights lenient = new ImageAnalyzer(counting).analyze(alpineSbom(), List.of(), events, T0).image();
        assertThat(insight(lenient, LIBCRYPTO).usage()).isEqualTo(Usage.IN_USE);
        assertThat(insight(lenient, LIBCRYPTO).confidence()).contains(Confidence.FILE);
        // ssl_client, libssl3 and libcrypto3 in use; libc-utils owns no file
        assertThat(lenient.summary()).isEqualTo(new InsightsSummary(15, 3, 11, 1, 0, 0));
    }

    @Test
    void evidenceIsBoundedLoadsFirstThenByPath()
    {
        List<RuntimeEvent> events = List.of(
                event(CART, EvidenceKind.OPEN, "/etc/ssl/openssl.cnf", "/usr/bin/ssl_client", 1),
                event(CART, EvidenceKind.MMAP, "/lib/libcrypto.so.3", "/usr/bin/ssl_client", 2),
                event(CART, EvidenceKind.OPEN, "/usr/lib/engines-3/afalg.so", "/usr/bin/ssl_client", 3),
                event(CART, EvidenceKind.MMAP, "/usr/lib/libcrypto.so.3", "/bin/busybox", 4));
        AnalysisPolicy policy = new AnalysisPolicy(Duration.ZERO, false, 3, 3);

        PackageInsight libcrypto = insight(new ImageAnalyzer(policy).analyze(alpineSbom(), List.of(), events, T0).image(), LIBCRYPTO);

        assertThat(libcrypto.evidence()).extracting(Evidence::kind, Evidence::path, evidence -> evidence.process().orElseThrow()).containsExactly(
                tuple(EvidenceKind.OPEN, "/usr/lib/engines-3/afalg.so", "/usr/bin/ssl_client"),
                tuple(EvidenceKind.MMAP, "/usr/lib/libcrypto.so.3", "/usr/bin/busybox"),
                tuple(EvidenceKind.MMAP, "/usr/lib/libcrypto.so.3", "/usr/bin/ssl_client"));
    }

    @Test
    void imageAggregatesContainersAndEachWorkloadKeepsItsOwn()
    {
        List<RuntimeEvent> events = List.of(
                event(CART, EvidenceKind.EXEC, "/bin/busybox", "/bin/busybox", 0),
                event(CART, EvidenceKind.MMAP, "/lib/libcrypto.so.3", "/bin/busybox", 10),
                event(WORKER, EvidenceKind.MMAP, "/lib/libcrypto.so.3", "/usr/bin/ssl_client", 20),
                event(WORKER, EvidenceKind.MMAP, "usr/lib/libssl.so.3", "/usr/bin/ssl_client", 30));

        ImageAnalysis analysis = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO)).analyze(alpineSbom(), List.of(alpineReport()), events, T0.plusSeconds(30));

        assertThat(analysis.image().profile()).isEqualTo(new ProfileSummary(ProfileState.COMPLETE, 2, Duration.ofSeconds(30), Optional.of(T0), Optional.of(T0.plusSeconds(30))));
        assertThat(analysis.image().summary()).isEqualTo(new InsightsSummary(15, 4, 10, 1, 20, 20));
        assertThat(insight(analysis.image(), LIBCRYPTO).evidence()).extracting(evidence -> evidence.process().orElseThrow())
                .containsExactly("/usr/bin/busybox", "/usr/bin/ssl_client");
        assertThat(analysis.workloads()).extracting(insight -> insight.workload().name()).containsExactly("cart", "worker");
        assertThat(analysis.workloads().get(0).packagesInUse()).extracting(insight -> insight.pkg().name()).containsExactly("busybox-binsh", "busybox", "libcrypto3");
        assertThat(analysis.workloads().get(1).packagesInUse()).extracting(insight -> insight.pkg().name()).containsExactly("libcrypto3", "libssl3");
        assertThat(analysis.workloads().get(1).packagesInUse().get(0).evidence()).extracting(evidence -> evidence.process().orElseThrow())
                .containsExactly("/usr/bin/ssl_client");
        assertThat(analysis.workloads().get(1).profile()).isEqualTo(new ProfileSummary(ProfileState.COMPLETE, 1, Duration.ofSeconds(10),
                Optional.of(T0.plusSeconds(20)), Optional.of(T0.plusSeconds(30))));
    }

    @Test
    void incrementalFormGivesTheSameAnswer()
    {
        ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisPolicy.withLearningWindow(Duration.ZERO));
        Sbom sbom = alpineSbom();
        List<VulnerabilityReport> reports = List.of(alpineReport());
        ImageProfile profile = ImageProfile.of(ACCEPTANCE_EVENTS.subList(0, 2), AnalysisPolicy.DEFAULT.profileLimits())
                .withEvents(ACCEPTANCE_EVENTS.subList(2, 3), AnalysisPolicy.DEFAULT.profileLimits());

        assertThat(analyzer.analyze(sbom, analyzer.index(sbom), reports, profile, T0))
                .isEqualTo(analyzer.analyze(sbom, reports, ACCEPTANCE_EVENTS, T0));
    }

    @Test
    void anIndexOfAnotherSbomIsRefused()
    {
        ImageAnalyzer analyzer = new ImageAnalyzer(AnalysisPolicy.DEFAULT);
        Sbom sbom = alpineSbom();
        Sbom onlyMusl = new Sbom(sbom.format(), sbom.image(), sbom.os(),
                sbom.packages().stream().filter(pkg -> pkg.pkg().name().equals("musl")).toList());
        ImageProfile profile = ImageProfile.of(ACCEPTANCE_EVENTS, AnalysisPolicy.DEFAULT.profileLimits());

        assertThatThrownBy(() -> analyzer.analyze(onlyMusl, analyzer.index(sbom), List.of(), profile, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the ownership index names package '93ba00f9117dea1c', which the SBOM does not have: the index was built from another SBOM");
    }

    @Test
    void anImageWithoutDigestIsRefused()
    {
        Sbom sbom = alpineSbom();
        Sbom anonymous = new Sbom(sbom.format(), ImageIdentity.UNKNOWN, sbom.os(), sbom.packages());

        assertThatThrownBy(() -> new ImageAnalyzer(AnalysisPolicy.DEFAULT).analyze(anonymous, List.of(), List.of(), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot analyse an image without a digest: neither the SBOM nor any report names one; name the image the documents describe (runlight analyze --image sha256:... or name@sha256:...)");
    }

    static Tuple tuple(Object... values)
    {
        return Tuple.tuple(values);
    }

    private static Usage usage(ImageInsights image, String purl)
    {
        return insight(image, purl).usage();
    }

    private static PackageInsight insight(ImageInsights image, String purl)
    {
        return image.packageInsight(Purl.parse(purl)).orElseThrow(() -> new AssertionError("no package " + purl));
    }

    static Sbom alpineSbom()
    {
        try (InputStream in = resource("fixtures/sbom/alpine-3.17.2.syft.json")) {
            return new SbomReader(InputLimits.DEFAULT).read(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static VulnerabilityReport alpineReport()
    {
        try (InputStream in = resource("fixtures/vulns/alpine-3.17.2.grype.json")) {
            return new VulnerabilityReportReader(InputLimits.DEFAULT).read(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name)
    {
        InputStream in = TestImageAnalyzer.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing test resource '" + name + "'");
        }
        return in;
    }

    private static RuntimeEvent event(ContainerIdentity who, EvidenceKind kind, String path, String process, long seconds)
    {
        return new RuntimeEvent(who, kind, path, Optional.ofNullable(process), T0.plusSeconds(seconds), Sensor.RUNLIGHT_EVENTS);
    }

    private static ContainerIdentity identity(String name, Optional<ImageDigest> digest)
    {
        return new ContainerIdentity(Optional.of("prod"), Optional.of("shop"), Optional.of("Deployment"), Optional.of(name), Optional.of(name + "-7d9f"),
                Optional.of(name), Optional.of("containerd://4f2a"), Optional.of("alpine:3.17"), digest);
    }
}
