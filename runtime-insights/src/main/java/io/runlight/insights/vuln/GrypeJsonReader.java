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
import io.runlight.insights.input.JsonFields;
import io.runlight.insights.input.JsonInput;
import io.runlight.insights.input.JsonObjectDocument;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.ImageIdentityBuilder;
import io.runlight.insights.sbom.PackageTypes;
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
    private final JsonFields<InputException> fields = JsonFields.of(FORMAT);

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
        return JsonObjectDocument.read(json, in, FORMAT, "a JSON object with 'matches'", new Document());
    }

    // What one read has gathered so far.
    private final class Document
            implements JsonObjectDocument.TopLevelReader<VulnerabilityReport>
    {
        private final List<Finding> findings = new ArrayList<>();
        private boolean sawMatches;
        private ImageIdentity image = ImageIdentity.UNKNOWN;

        @Override
        public void field(String name, JsonToken value, JsonParser parser)
                throws IOException
        {
            switch (name) {
                case "matches" -> {
                    JsonObjectDocument.forEachObject(parser, FORMAT, "/matches", (element, pointer) -> {
                        JsonObjectDocument.requireRoom(findings.size(), json.limits(), FORMAT, pointer, "findings");
                        findings.add(finding(json.readTree(element), pointer));
                    });
                    sawMatches = true;
                }
                case "source" -> image = image(json.readTree(parser));
                default -> parser.skipChildren();
            }
        }

        @Override
        public VulnerabilityReport finish()
        {
            if (!sawMatches) {
                throw fields.invalid("/matches", "missing; expected an array of matches");
            }
            return new VulnerabilityReport(FORMAT, image, findings);
        }
    }

    private Finding finding(JsonNode match, String pointer)
    {
        JsonNode vulnerability = fields.object(match, "vulnerability", pointer)
                .orElseThrow(() -> fields.invalid(pointer + "/vulnerability", "missing; expected an object"));
        String vulnerabilityPointer = pointer + "/vulnerability";
        String id = fields.requiredText(vulnerability, "id", vulnerabilityPointer);
        Severity severity = Severity.parse(fields.text(vulnerability, "severity", vulnerabilityPointer).orElse(null));

        CvssChoice cvss = new CvssChoice();
        offerCvss(cvss, vulnerability, vulnerabilityPointer);
        Set<String> aliases = new LinkedHashSet<>();
        List<JsonNode> related = fields.array(match, "relatedVulnerabilities", pointer);
        for (int i = 0; i < related.size(); i++) {
            String relatedPointer = pointer + "/relatedVulnerabilities/" + i;
            JsonNode record = fields.requireObject(related.get(i), relatedPointer);
            fields.text(record, "id", relatedPointer).filter(relatedId -> !relatedId.equals(id)).ifPresent(aliases::add);
            offerCvss(cvss, record, relatedPointer);
        }

        List<String> fixedIn = fields.object(vulnerability, "fix", vulnerabilityPointer)
                .map(fix -> fields.texts(fix, "versions", vulnerabilityPointer + "/fix"))
                .orElse(List.of());
        Vulnerability value = new Vulnerability(
                id,
                severity,
                cvss.score(),
                cvss.vector(),
                fixedIn,
                exploit(vulnerability, id, vulnerabilityPointer),
                List.copyOf(aliases),
                fields.text(vulnerability, "dataSource", vulnerabilityPointer));
        return new Finding(value, coordinates(match, pointer));
    }

    private void offerCvss(CvssChoice choice, JsonNode record, String pointer)
    {
        List<JsonNode> entries = fields.array(record, "cvss", pointer);
        for (int i = 0; i < entries.size(); i++) {
            String entryPointer = pointer + "/cvss/" + i;
            JsonNode entry = fields.requireObject(entries.get(i), entryPointer);
            Optional<JsonNode> metrics = fields.object(entry, "metrics", entryPointer);
            OptionalDouble score = metrics.map(value -> fields.number(value, "baseScore", entryPointer + "/metrics", 0, 10)).orElse(OptionalDouble.empty());
            if (score.isPresent()) {
                choice.offer(score.getAsDouble(), fields.text(entry, "vector", entryPointer), CvssChoice.isVersion3(fields.text(entry, "version", entryPointer)));
            }
        }
    }

    private ExploitSignals exploit(JsonNode vulnerability, String id, String pointer)
    {
        boolean knownExploited = !fields.array(vulnerability, "knownExploited", pointer).isEmpty();
        OptionalDouble epss = OptionalDouble.empty();
        OptionalDouble percentile = OptionalDouble.empty();
        List<JsonNode> records = fields.array(vulnerability, "epss", pointer);
        // the record for this id; the first one when none names it
        for (int i = 0; i < records.size(); i++) {
            String recordPointer = pointer + "/epss/" + i;
            JsonNode record = fields.requireObject(records.get(i), recordPointer);
            boolean forThisId = fields.text(record, "cve", recordPointer).map(id::equals).orElse(false);
            if (i == 0 || forThisId) {
                epss = fields.number(record, "epss", recordPointer, 0, 1);
                percentile = fields.number(record, "percentile", recordPointer, 0, 1);
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
        JsonNode artifact = fields.object(match, "artifact", pointer)
                .orElseThrow(() -> fields.invalid(artifactPointer, "missing; expected an object"));
        return ReportedPackages.coordinates(
                        fields.text(artifact, "purl", artifactPointer),
                        fields.text(artifact, "name", artifactPointer),
                        fields.text(artifact, "version", artifactPointer),
                        fields.text(artifact, "type", artifactPointer).map(PackageTypes::fromSyft))
                .orElseThrow(() -> fields.invalid(artifactPointer + "/name", "missing; expected a non-empty string (or a valid 'purl')"));
    }

    private ImageIdentity image(JsonNode source)
    {
        if (source.isNull()) {
            return ImageIdentity.UNKNOWN;
        }
        fields.requireObject(source, "/source");
        String type = fields.text(source, "type", "/source").orElse("image");
        JsonNode target = source.get("target");
        if (!type.equals("image") || target == null || !target.isObject()) {
            // directory, file and SBOM sources name no image
            return ImageIdentity.UNKNOWN;
        }
        String pointer = "/source/target";
        ImageIdentityBuilder images = new ImageIdentityBuilder();
        images.configDigest(fields.text(target, "imageID", pointer));
        images.manifestDigest(fields.text(target, "manifestDigest", pointer));
        fields.texts(target, "repoDigests", pointer).forEach(reference -> images.reference(Optional.of(reference)));
        fields.texts(target, "tags", pointer).forEach(tag -> images.name(Optional.of(tag)));
        images.reference(fields.text(target, "userInput", pointer));
        return images.build();
    }
}
