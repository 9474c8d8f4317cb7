package io.runlight.hub.insights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runlight.insights.report.InsightsJsonWriter;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.WorkloadInsights;

/**
 * Makes an image's {@link ImageSummary} from its computed insights: once, when the insights
 * are computed, so the listing never reads an image's packages.
 */
final class ImageSummaries
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InsightsJsonWriter WRITER = InsightsJsonWriter.compact();

    private ImageSummaries() {}

    static ImageSummary of(ImageInsights image, List<WorkloadInsights> workloads)
    {
        // the document's head without its packages and vulnerabilities: the same names, profile and summary, written the same way
        ImageInsights head = new ImageInsights(image.digest(), image.aliases(), image.names(), image.os(), image.profile(), image.summary(), List.of(), List.of());
        JsonNode written;
        try {
            written = JSON.readTree(WRITER.imageToBytes(head));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read back the summary of image '" + image.digest().value() + "' written in memory", e);
        }
        ObjectNode item = JSON.createObjectNode();
        item.set("digest", written.get("digest"));
        item.set("names", written.get("names"));
        item.set("profile", written.get("profile"));
        item.set("summary", written.get("summary"));
        item.set("vulnerabilityUsage", vulnerabilityUsage(image.vulnerabilities()));

        TreeSet<String> seen = new TreeSet<>();
        List<ImageSummary.Place> places = workloads.stream()
                .map(workload -> new ImageSummary.Place(workload.workload().cluster(), workload.workload().namespace()))
                .filter(place -> seen.add(place.cluster() + "\u0000" + place.namespace()))
                .sorted((left, right) -> (left.cluster() + "\u0000" + left.namespace()).compareTo(right.cluster() + "\u0000" + right.namespace()))
                .toList();
        return new ImageSummary(image.digest().value(), item.toString(), image.summary().packagesInUse(), places, image.profile());
    }

    /** How many of the image's vulnerabilities are in use, not in use and unknown: the summary alone cannot tell the last two apart. */
    private static ObjectNode vulnerabilityUsage(List<VulnerabilityInsight> vulnerabilities)
    {
        int inUse = 0;
        int notInUse = 0;
        int unknown = 0;
        for (VulnerabilityInsight vulnerability : vulnerabilities) {
            switch (vulnerability.usage()) {
                case IN_USE -> inUse++;
                case NOT_IN_USE -> notInUse++;
                case UNKNOWN -> unknown++;
            }
        }
        return JSON.createObjectNode().put("inUse", inUse).put("notInUse", notInUse).put("unknown", unknown);
    }
}
