package io.runlight.insights.vuln;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.input.JsonInput;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Vulnerability;

import static java.util.Objects.requireNonNull;

/**
 * Reads Grype's JSON report ({@code grype -o json}). It streams {@code matches[]} one
 * match at a time, so a report of a huge image needs memory for its findings only.
 *
 * <p>A match's CVSS score is the highest version-3 base score of the vulnerability and
 * of its {@code relatedVulnerabilities} (for distro matches the NVD record, and its
 * score, usually sits there); the related records' other ids become aliases. The image
 * identity comes from {@code source.target} of an {@code image} source.
 */
public final class GrypeJsonReader
{
    private static final DocumentFormat FORMAT = DocumentFormat.GRYPE_JSON;

    private final JsonInput json;
    private final ReportNodes nodes = new ReportNodes(FORMAT);

    public GrypeJsonReader(InputLimits limits)
    {
        this.json = new JsonInput(requireNonNull(limits, "limits is null"));
    }

    /**
     * Reads a whole report.
     *
     * @throws InputException if the document is not a valid Grype report, or is over a limit
     */
    public VulnerabilityReport read(InputStream in)
    {
        requireNonNull(in, "in is null");
        JsonParser parser = null;
        try (JsonParser opened = json.parser(in, FORMAT)) {
            parser = opened;
            return read(opened);
        }
        catch (IOException e) {
            throw JsonInput.failure(FORMAT, parser, e);
        }
    }

    private VulnerabilityReport read(JsonParser parser)
            throws IOException
    {
        JsonToken token = JsonInput.next(parser, FORMAT);
        if (token != JsonToken.START_OBJECT) {
            throw nodes.invalid("/", "expected a JSON object with 'matches', found " + TopLevel.describe(token));
        }
        List<Finding> findings = new ArrayList<>();
        boolean sawMatches = false;
        ImageIdentity image = ImageIdentity.UNKNOWN;
        while (JsonInput.next(parser, FORMAT) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = JsonInput.next(parser, FORMAT);
            switch (field) {
                case "matches" -> {
                    readMatches(parser, value, findings);
                    sawMatches = true;
                }
                case "source" -> image = image(json.readTree(parser));
                default -> parser.skipChildren();
            }
        }
        TopLevel.requireEnd(parser, FORMAT);
        if (!sawMatches) {
            throw nodes.invalid("/matches", "missing; expected an array of matches");
        }
        return new VulnerabilityReport(FORMAT, image, findings);
    }

    private void readMatches(JsonParser parser, JsonToken start, List<Finding> findings)
            throws IOException
    {
        if (start == JsonToken.VALUE_NULL) {
            return;
        }
        if (start != JsonToken.START_ARRAY) {
            throw nodes.invalid("/matches", "expected an array, found " + TopLevel.describe(start));
        }
        int index = 0;
        JsonToken token;
        while ((token = JsonInput.next(parser, FORMAT)) != JsonToken.END_ARRAY) {
            String pointer = "/matches/" + index;
            if (token != JsonToken.START_OBJECT) {
                throw nodes.invalid(pointer, "expected an object, found " + TopLevel.describe(token));
            }
            TopLevel.requireRoom(findings.size(), json.limits(), FORMAT, pointer);
            findings.add(finding(json.readTree(parser), pointer));
            index++;
        }
    }

    private Finding finding(JsonNode match, String pointer)
    {
        JsonNode vulnerability = nodes.object(match, "vulnerability", pointer)
                .orElseThrow(() -> nodes.invalid(pointer + "/vulnerability", "missing; expected an object"));
        String vulnerabilityPointer = pointer + "/vulnerability";
        String id = nodes.requiredText(vulnerability, "id", vulnerabilityPointer);
        Severity severity = Severity.parse(nodes.text(vulnerability, "severity", vulnerabilityPointer).orElse(null));

        CvssChoice cvss = new CvssChoice();
        offerCvss(cvss, vulnerability, vulnerabilityPointer);
        Set<String> aliases = new LinkedHashSet<>();
        List<JsonNode> related = nodes.array(match, "relatedVulnerabilities", pointer);
        for (int i = 0; i < related.size(); i++) {
            String relatedPointer = pointer + "/relatedVulnerabilities/" + i;
            JsonNode record = nodes.requireObject(related.get(i), relatedPointer);
            nodes.text(record, "id", relatedPointer).filter(relatedId -> !relatedId.equals(id)).ifPresent(aliases::add);
            offerCvss(cvss, record, relatedPointer);
        }

        List<String> fixedIn = nodes.object(vulnerability, "fix", vulnerabilityPointer)
                .map(fix -> nodes.texts(fix, "versions", vulnerabilityPointer + "/fix"))
                .orElse(List.of());
        Vulnerability value = new Vulnerability(
                id,
                severity,
                cvss.score(),
                cvss.vector(),
                fixedIn,
                exploit(vulnerability, id, vulnerabilityPointer),
                List.copyOf(aliases),
                nodes.text(vulnerability, "dataSource", vulnerabilityPointer));
        return new Finding(value, coordinates(match, pointer));
    }

    private void offerCvss(CvssChoice choice, JsonNode record, String pointer)
    {
        List<JsonNode> entries = nodes.array(record, "cvss", pointer);
        for (int i = 0; i < entries.size(); i++) {
            String entryPointer = pointer + "/cvss/" + i;
            JsonNode entry = nodes.requireObject(entries.get(i), entryPointer);
            Optional<JsonNode> metrics = nodes.object(entry, "metrics", entryPointer);
            OptionalDouble score = metrics.map(value -> nodes.number(value, "baseScore", entryPointer + "/metrics", 0, 10)).orElse(OptionalDouble.empty());
            if (score.isPresent()) {
                choice.offer(score.getAsDouble(), nodes.text(entry, "vector", entryPointer), CvssChoice.isVersion3(nodes.text(entry, "version", entryPointer)));
            }
        }
    }

    private ExploitSignals exploit(JsonNode vulnerability, String id, String pointer)
    {
        boolean knownExploited = !nodes.array(vulnerability, "knownExploited", pointer).isEmpty();
        OptionalDouble epss = OptionalDouble.empty();
        OptionalDouble percentile = OptionalDouble.empty();
        List<JsonNode> records = nodes.array(vulnerability, "epss", pointer);
        // the record for this id; the first one when none names it
        for (int i = 0; i < records.size(); i++) {
            String recordPointer = pointer + "/epss/" + i;
            JsonNode record = nodes.requireObject(records.get(i), recordPointer);
            boolean forThisId = nodes.text(record, "cve", recordPointer).map(id::equals).orElse(false);
            if (i == 0 || forThisId) {
                epss = nodes.number(record, "epss", recordPointer, 0, 1);
                percentile = nodes.number(record, "percentile", recordPointer, 0, 1);
            }
            if (forThisId) {
                break;
            }
        }
        if (!knownExploited && epss.isEmpty() && percentile.isEmpty()) {
            return ExploitSignals.NONE;
        }
        return new ExploitSignals(knownExploited, epss, percentile);
    }

    private PackageCoordinates coordinates(JsonNode match, String pointer)
    {
        String artifactPointer = pointer + "/artifact";
        JsonNode artifact = nodes.object(match, "artifact", pointer)
                .orElseThrow(() -> nodes.invalid(artifactPointer, "missing; expected an object"));
        return ReportedPackages.coordinates(
                        nodes.text(artifact, "purl", artifactPointer),
                        nodes.text(artifact, "name", artifactPointer),
                        nodes.text(artifact, "version", artifactPointer),
                        ReportedPackages.fromSyftType(nodes.text(artifact, "type", artifactPointer)))
                .orElseThrow(() -> nodes.invalid(artifactPointer + "/name", "missing; expected a non-empty string (or a valid 'purl')"));
    }

    private ImageIdentity image(JsonNode source)
    {
        if (source.isNull()) {
            return ImageIdentity.UNKNOWN;
        }
        nodes.requireObject(source, "/source");
        String type = nodes.text(source, "type", "/source").orElse("image");
        JsonNode target = source.get("target");
        if (!type.equals("image") || target == null || !target.isObject()) {
            // directory, file and SBOM sources name no image
            return ImageIdentity.UNKNOWN;
        }
        String pointer = "/source/target";
        ReportedImages images = new ReportedImages()
                .digest(nodes.text(target, "imageID", pointer))
                .digest(nodes.text(target, "manifestDigest", pointer));
        nodes.texts(target, "repoDigests", pointer).forEach(reference -> images.reference(Optional.of(reference)));
        nodes.texts(target, "tags", pointer).forEach(tag -> images.name(Optional.of(tag)));
        images.reference(nodes.text(target, "userInput", pointer));
        return images.build();
    }
}
