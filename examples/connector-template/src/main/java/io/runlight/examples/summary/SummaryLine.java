package io.runlight.examples.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.ImageReference;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.connector.ChangeType;
import io.runlight.plugin.api.connector.InsightsChange;
import io.runlight.plugin.api.connector.PackageUsageChange;

/**
 * The one line a person reads in a chat channel, for example
 * {@code alpine:3.17 (sha256:b2aa39c304c2): 4 of 15 packages in use, 10 of 20 vulnerabilities in use, profile learning; now in use: libcrypto3}.
 * Pure text from records, so it is easy to test and the same on every attempt.
 */
final class SummaryLine
{
    /** How many package names a line lists per direction before it says "and N more". */
    static final int MAX_NAMES = 5;

    private SummaryLine() {}

    /** The line for an image as it is now. */
    static String of(ImageInsights image)
    {
        InsightsSummary summary = image.summary();
        return name(image) + " (" + image.digest().algorithm() + ":" + image.digest().shortHex() + "): "
                + summary.packagesInUse() + " of " + summary.packages() + " packages in use, "
                + summary.vulnerabilitiesInUse() + " of " + summary.vulnerabilities() + " vulnerabilities in use, "
                + "profile " + image.profile().state().name().toLowerCase(Locale.ROOT);
    }

    /** The line for a change: the image's line, what completed, and which packages changed verdict. */
    static String of(InsightsChange change)
    {
        StringBuilder line = new StringBuilder(of(change.insights()));
        if (change.type() == ChangeType.PROFILE_COMPLETED) {
            line.append(" (learning window complete)");
        }
        appendNames(line, "now in use", change.changes(), Usage.IN_USE);
        appendNames(line, "not in use", change.changes(), Usage.NOT_IN_USE);
        return line.toString();
    }

    /**
     * The image as people name it: the first of its names that has a tag, else the first
     * repository, written as {@code docker images} writes it ({@code alpine:3.17}).
     */
    static String name(ImageInsights image)
    {
        List<ImageReference> references = new ArrayList<>();
        for (String name : image.names()) {
            try {
                references.add(ImageReference.parse(name));
            }
            catch (IllegalArgumentException notAReference) {
                // a name the hub recorded but that is no image reference: not worth showing
            }
        }
        return references.stream()
                .filter(reference -> reference.tag().isPresent())
                .findFirst()
                .or(() -> references.stream().findFirst())
                .map(SummaryLine::display)
                .orElse("image");
    }

    private static String display(ImageReference reference)
    {
        String repository = reference.registry().equals(ImageReference.DEFAULT_REGISTRY)
                ? reference.repository().replaceFirst("^library/", "")
                : reference.name();
        return repository + reference.tag().map(tag -> ":" + tag).orElse("");
    }

    private static void appendNames(StringBuilder line, String label, List<PackageUsageChange> changes, Usage current)
    {
        List<String> names = changes.stream()
                .filter(change -> change.current() == current)
                .map(change -> change.purl().name())
                .distinct()
                .sorted()
                .toList();
        if (names.isEmpty()) {
            return;
        }
        line.append("; ").append(label).append(": ").append(names.stream().limit(MAX_NAMES).collect(Collectors.joining(", ")));
        if (names.size() > MAX_NAMES) {
            line.append(" and ").append(names.size() - MAX_NAMES).append(" more");
        }
    }
}
