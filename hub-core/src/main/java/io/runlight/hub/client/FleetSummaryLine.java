package io.runlight.hub.client;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.runlight.insights.report.DurationFormat;

import static java.util.Objects.requireNonNull;

/**
 * The summary of {@code GET /api/v1/vulnerabilities} in one sentence, told honestly: a
 * working-set reduction only when no verdict is unknown; otherwise what is known and,
 * when waiting is all the unknown verdicts need, when they become final. The CLI and the
 * demo print it.
 */
public final class FleetSummaryLine
{
    private FleetSummaryLine() {}

    /**
     * @param prefix what the line starts with, for example {@code Fleet: }
     * @param summary the {@code summary} object of the list
     */
    public static String of(String prefix, JsonNode summary)
    {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(summary, "summary is null");
        int total = summary.path("vulnerabilities").asInt();
        int inUse = summary.path("inUse").asInt();
        int notInUse = summary.path("notInUse").asInt();
        int unknown = summary.path("unknown").asInt();
        StringBuilder line = new StringBuilder(prefix).append(total).append(total == 1 ? " vulnerability: " : " vulnerabilities: ")
                .append(inUse).append(" in use, ").append(notInUse).append(" not in use, ").append(unknown).append(" unknown");
        if (unknown == 0) {
            if (total > 0) {
                line.append(" (").append(100L * notInUse / total).append("% smaller working set)");
            }
            return line.append('.').toString();
        }
        line.append(". No working-set reduction is claimed while verdicts are unknown");
        String left = summary.path("observationLeft").asText("");
        if (!left.isEmpty()) {
            line.append("; they become final after ").append(duration(left)).append(" more observation");
            String at = summary.path("finalAt").asText("");
            if (!at.isEmpty()) {
                line.append(" (").append(instant(at)).append(" if events keep coming)");
            }
        }
        return line.append('.').toString();
    }

    private static String duration(String iso)
    {
        try {
            return DurationFormat.compact(Duration.parse(iso));
        }
        catch (DateTimeParseException | IllegalArgumentException e) {
            return iso;
        }
    }

    private static String instant(String iso)
    {
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        }
        catch (DateTimeParseException e) {
            return iso;
        }
    }
}
