package io.runlight.insights.vex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.runlight.insights.report.DurationFormat;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;

/**
 * Decides which statements a VEX document about an image makes, shared by both formats.
 *
 * <p>{@code not_affected} is stated only for a (vulnerability, package) whose package is
 * not in use <em>and</em> whose image profile is complete: "not in use" is a claim that
 * needs a finished observation window. In-use packages are stated {@code affected} and
 * everything else {@code under_investigation} only when {@link VexOptions} asks for it, with
 * the package's reason for being unknown ({@link PackageInsight#reason()}) as its notes.
 * Statements come sorted by vulnerability id (numerically, see
 * {@link VulnerabilityIdOrder}) then package purl, one per pair.
 */
final class VexStatements
{
    private static final Comparator<Key> ORDER = Comparator.comparing(Key::id, VulnerabilityIdOrder.INSTANCE)
            .thenComparing(Key::purl);

    private VexStatements() {}

    static List<VexStatement> select(ImageInsights image, VexOptions options)
    {
        Map<Purl, PackageInsight> packagesByPurl = new HashMap<>();
        for (PackageInsight insight : image.packages()) {
            packagesByPurl.putIfAbsent(insight.pkg().purl(), insight);
        }
        ProfileSummary profile = image.profile();
        TreeMap<Key, VexStatement> statements = new TreeMap<>(ORDER);
        for (VulnerabilityInsight insight : image.vulnerabilities()) {
            Key key = new Key(insight.vulnerability().id(), insight.packagePurl().toString());
            if (statements.containsKey(key)) {
                continue;
            }
            Optional<PackageInsight> pkg = Optional.ofNullable(packagesByPurl.get(insight.packagePurl()));
            Usage usage = pkg.map(PackageInsight::usage).orElse(insight.usage());
            String name = pkg.map(value -> value.pkg().name()).orElse(insight.packagePurl().name());
            String version = pkg.map(value -> value.pkg().version()).orElse(insight.packagePurl().version().orElse(""));
            String label = version.isEmpty() ? name : name + " " + version;
            Vulnerability vulnerability = insight.vulnerability();

            VexStatus status;
            String explanation;
            if (usage == Usage.NOT_IN_USE && profile.state() == ProfileState.COMPLETE) {
                status = VexStatus.NOT_AFFECTED;
                explanation = impactStatement(label, profile);
            }
            else if (usage == Usage.IN_USE) {
                if (!options.stateAffected()) {
                    continue;
                }
                status = VexStatus.AFFECTED;
                explanation = actionStatement(label, vulnerability, pkg.map(PackageInsight::evidence).orElse(List.of()));
            }
            else {
                if (!options.stateUnderInvestigation()) {
                    continue;
                }
                status = VexStatus.UNDER_INVESTIGATION;
                explanation = pkg.flatMap(PackageInsight::reason)
                        .map(reason -> label + ": " + reason)
                        .orElseGet(() -> statusNotes(label, profile));
            }
            statements.put(key, new VexStatement(vulnerability, insight.packagePurl(), name, version, status, explanation, profile.lastSeen()));
        }
        return List.copyOf(statements.values());
    }

    /**
     * "libssl3 3.0.8-r0 was not loaded by any of 3 containers of this image during 14
     * days of observation".
     */
    static String impactStatement(String label, ProfileSummary profile)
    {
        String window = DurationFormat.readable(profile.observedFor()) + " of observation";
        if (profile.containers() == 0) {
            return label + " was not loaded during " + window + " of this image";
        }
        if (profile.containers() == 1) {
            return label + " was not loaded by the only container of this image during " + window;
        }
        return label + " was not loaded by any of " + profile.containers() + " containers of this image during " + window;
    }

    /** "libcrypto3 3.0.8-r0 is loaded at run time (mmap /lib/libcrypto.so.3): update it to 3.0.12-r0". */
    static String actionStatement(String label, Vulnerability vulnerability, List<Evidence> evidence)
    {
        StringBuilder text = new StringBuilder(label).append(" is loaded at run time");
        evidence.stream()
                .filter(item -> item.kind() != EvidenceKind.OPEN)
                .min(Comparator.comparing(Evidence::kind)
                        .thenComparing(Comparator.comparingLong(Evidence::count).reversed())
                        .thenComparing(Evidence::path))
                .ifPresent(item -> text.append(" (").append(item.kind().wireName()).append(' ').append(item.path()).append(')'));
        if (vulnerability.fixAvailable()) {
            text.append(": update it to ").append(String.join(" or ", vulnerability.fixedIn()));
        }
        else {
            text.append(": no fixed version is known; remove or replace the package, or mitigate the vulnerability");
        }
        return text.toString();
    }

    /** Why usage is not known yet. */
    static String statusNotes(String label, ProfileSummary profile)
    {
        return switch (profile.state()) {
            case NONE -> label + ": this image has not been observed at run time yet";
            case LEARNING -> label + ": runtime observation of this image is still learning ("
                    + DurationFormat.readable(profile.observedFor()) + " so far)";
            case COMPLETE -> label + ": no file ownership data tells whether it is loaded";
        };
    }

    /** Orders statements; the purl in its canonical string form. */
    private record Key(String id, String purl) {}

    static List<Purl> distinctPackages(List<VexStatement> statements)
    {
        TreeMap<String, Purl> purls = new TreeMap<>();
        for (VexStatement statement : statements) {
            purls.putIfAbsent(statement.purl().toString(), statement.purl());
        }
        return new ArrayList<>(purls.values());
    }
}
