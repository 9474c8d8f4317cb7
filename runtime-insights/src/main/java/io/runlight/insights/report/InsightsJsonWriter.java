package io.runlight.insights.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;

import static java.util.Objects.requireNonNull;

/**
 * Writes insights as Runlight's JSON contract: the {@code analyze --format json}
 * document {@code {"images": [...]}}, one image (what {@code GET /api/v1/images/{digest}}
 * returns) and one workload container. {@link InsightsJsonReader} reads all of it back
 * to equal records, so the hub can also store these values as JSON.
 *
 * <p>The fields API.md lists come first, in its order and spelling; Runlight's
 * additions follow them. Absent optional values are left out rather than written as
 * {@code null}. Times are ISO-8601 UTC ({@code 2026-11-28T12:00:00Z}, fractions only
 * when not zero), durations ISO-8601 with days ({@code P14D}). Lists are written in the
 * order the records hold them (packages by purl, vulnerabilities by rank), so the same
 * records always give the same bytes. Written with Jackson's streaming generator: no
 * reflection, no intermediate tree.
 */
public final class InsightsJsonWriter
{
    private final boolean indent;

    private InsightsJsonWriter(boolean indent)
    {
        this.indent = indent;
    }

    /** A writer of compact JSON, for the HTTP API and storage. */
    public static InsightsJsonWriter compact()
    {
        return new InsightsJsonWriter(false);
    }

    /** A writer of JSON indented by two spaces and ending in a newline, for files and terminals. */
    public static InsightsJsonWriter indented()
    {
        return new InsightsJsonWriter(true);
    }

    /** Writes {@code {"images": [...]}} to {@code out}, which is flushed, not closed. */
    public void writeImages(List<ImageInsights> images, OutputStream out)
            throws IOException
    {
        requireNonNull(images, "images is null");
        try (JsonGenerator generator = generator(out)) {
            generator.writeStartObject();
            generator.writeArrayFieldStart("images");
            for (ImageInsights image : images) {
                writeImage(image, generator);
            }
            generator.writeEndArray();
            generator.writeEndObject();
            finish(generator, out);
        }
    }

    /** Writes one image document to {@code out}, which is flushed, not closed. */
    public void writeImage(ImageInsights image, OutputStream out)
            throws IOException
    {
        requireNonNull(image, "image is null");
        try (JsonGenerator generator = generator(out)) {
            writeImage(image, generator);
            finish(generator, out);
        }
    }

    /** Writes one workload container document to {@code out}, which is flushed, not closed. */
    public void writeWorkload(WorkloadInsights workload, OutputStream out)
            throws IOException
    {
        requireNonNull(workload, "workload is null");
        try (JsonGenerator generator = generator(out)) {
            writeWorkload(workload, generator);
            finish(generator, out);
        }
    }

    /** Writes {@code {"workloads": [...]}} to {@code out}, which is flushed, not closed. */
    public void writeWorkloads(List<WorkloadInsights> workloads, OutputStream out)
            throws IOException
    {
        requireNonNull(workloads, "workloads is null");
        try (JsonGenerator generator = generator(out)) {
            generator.writeStartObject();
            generator.writeArrayFieldStart("workloads");
            for (WorkloadInsights workload : workloads) {
                writeWorkload(workload, generator);
            }
            generator.writeEndArray();
            generator.writeEndObject();
            finish(generator, out);
        }
    }

    /** The {@code {"images": [...]}} document as UTF-8 bytes. */
    public byte[] imagesToBytes(List<ImageInsights> images)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeImages(images, out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write images to memory", e);
        }
        return out.toByteArray();
    }

    /** One image document as UTF-8 bytes. */
    public byte[] imageToBytes(ImageInsights image)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeImage(image, out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write image '" + image.digest() + "' to memory", e);
        }
        return out.toByteArray();
    }

    /** One workload container document as UTF-8 bytes. */
    public byte[] workloadToBytes(WorkloadInsights workload)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeWorkload(workload, out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write workload to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes one image object into a generator the caller owns, for documents that
     * embed images (a page of {@code GET /api/v1/images}, for instance).
     */
    public static void writeImage(ImageInsights image, JsonGenerator generator)
            throws IOException
    {
        requireNonNull(image, "image is null");
        requireNonNull(generator, "generator is null");
        generator.writeStartObject();
        generator.writeStringField("digest", image.digest().value());
        writeStrings(generator, "names", image.names());
        writeProfile(generator, image.profile());
        writeSummary(generator, image.summary());
        generator.writeArrayFieldStart("packages");
        for (PackageInsight insight : image.packages()) {
            writePackage(generator, insight);
        }
        generator.writeEndArray();
        generator.writeArrayFieldStart("vulnerabilities");
        for (VulnerabilityInsight insight : image.vulnerabilities()) {
            writeVulnerability(generator, insight);
        }
        generator.writeEndArray();
        generator.writeArrayFieldStart("aliases");
        for (ImageDigest alias : image.aliases()) {
            generator.writeString(alias.value());
        }
        generator.writeEndArray();
        if (image.os().isPresent()) {
            writeOs(generator, image.os().get());
        }
        generator.writeEndObject();
    }

    /** Writes one workload container object into a generator the caller owns. */
    public static void writeWorkload(WorkloadInsights insights, JsonGenerator generator)
            throws IOException
    {
        requireNonNull(insights, "insights is null");
        requireNonNull(generator, "generator is null");
        Workload workload = insights.workload();
        generator.writeStartObject();
        generator.writeObjectFieldStart("workload");
        generator.writeStringField("cluster", workload.cluster());
        generator.writeStringField("namespace", workload.namespace());
        generator.writeStringField("kind", workload.kind());
        generator.writeStringField("name", workload.name());
        generator.writeStringField("container", workload.container());
        generator.writeEndObject();
        generator.writeStringField("imageDigest", insights.imageDigest().value());
        writeStrings(generator, "imageNames", insights.imageNames());
        writeProfile(generator, insights.profile());
        generator.writeArrayFieldStart("packagesInUse");
        for (PackageInsight insight : insights.packagesInUse()) {
            writePackage(generator, insight);
        }
        generator.writeEndArray();
        generator.writeEndObject();
    }

    private static void writeProfile(JsonGenerator generator, ProfileSummary profile)
            throws IOException
    {
        generator.writeObjectFieldStart("profile");
        generator.writeStringField("state", profile.state().name());
        generator.writeNumberField("containers", profile.containers());
        generator.writeStringField("observedFor", DurationFormat.iso(profile.observedFor()));
        writeInstant(generator, "firstSeen", profile.firstSeen());
        writeInstant(generator, "lastSeen", profile.lastSeen());
        generator.writeEndObject();
    }

    private static void writeSummary(JsonGenerator generator, InsightsSummary summary)
            throws IOException
    {
        generator.writeObjectFieldStart("summary");
        generator.writeNumberField("packages", summary.packages());
        generator.writeNumberField("packagesInUse", summary.packagesInUse());
        generator.writeNumberField("packagesNotInUse", summary.packagesNotInUse());
        generator.writeNumberField("packagesUnknown", summary.packagesUnknown());
        generator.writeNumberField("vulnerabilities", summary.vulnerabilities());
        generator.writeNumberField("vulnerabilitiesInUse", summary.vulnerabilitiesInUse());
        generator.writeEndObject();
    }

    private static void writePackage(JsonGenerator generator, PackageInsight insight)
            throws IOException
    {
        InstalledPackage pkg = insight.pkg();
        generator.writeStartObject();
        generator.writeStringField("purl", pkg.purl().toString());
        generator.writeStringField("type", pkg.type().wireName());
        generator.writeStringField("name", pkg.name());
        generator.writeStringField("version", pkg.version());
        generator.writeStringField("usage", insight.usage().name());
        if (insight.confidence().isPresent()) {
            generator.writeStringField("confidence", insight.confidence().get().name());
        }
        if (insight.reason().isPresent()) {
            generator.writeStringField("reason", insight.reason().get());
        }
        generator.writeArrayFieldStart("evidence");
        for (Evidence evidence : insight.evidence()) {
            writeEvidence(generator, evidence);
        }
        generator.writeEndArray();
        generator.writeBooleanField("accessed", insight.accessed());
        if (pkg.os().isPresent()) {
            writeOs(generator, pkg.os().get());
        }
        generator.writeEndObject();
    }

    private static void writeEvidence(JsonGenerator generator, Evidence evidence)
            throws IOException
    {
        generator.writeStartObject();
        generator.writeStringField("kind", evidence.kind().wireName());
        generator.writeStringField("path", evidence.path());
        if (evidence.process().isPresent()) {
            generator.writeStringField("process", evidence.process().get());
        }
        generator.writeStringField("firstSeen", evidence.firstSeen().toString());
        generator.writeStringField("lastSeen", evidence.lastSeen().toString());
        generator.writeNumberField("count", evidence.count());
        generator.writeEndObject();
    }

    private static void writeVulnerability(JsonGenerator generator, VulnerabilityInsight insight)
            throws IOException
    {
        Vulnerability vulnerability = insight.vulnerability();
        ExploitSignals exploit = vulnerability.exploit();
        generator.writeStartObject();
        generator.writeStringField("id", vulnerability.id());
        generator.writeStringField("purl", insight.packagePurl().toString());
        generator.writeStringField("severity", vulnerability.severity().name());
        if (vulnerability.cvssScore().isPresent()) {
            generator.writeNumberField("cvss", vulnerability.cvssScore().getAsDouble());
        }
        writeStrings(generator, "fixedIn", vulnerability.fixedIn());
        generator.writeStringField("usage", insight.usage().name());
        generator.writeNumberField("rank", insight.rank());
        writeStrings(generator, "aliases", vulnerability.aliases());
        if (vulnerability.cvssVector().isPresent()) {
            generator.writeStringField("cvssVector", vulnerability.cvssVector().get());
        }
        generator.writeBooleanField("knownExploited", exploit.knownExploited());
        if (exploit.epssScore().isPresent()) {
            generator.writeNumberField("epss", exploit.epssScore().getAsDouble());
        }
        if (exploit.epssPercentile().isPresent()) {
            generator.writeNumberField("epssPercentile", exploit.epssPercentile().getAsDouble());
        }
        if (vulnerability.dataSource().isPresent()) {
            generator.writeStringField("dataSource", vulnerability.dataSource().get());
        }
        generator.writeEndObject();
    }

    private static void writeOs(JsonGenerator generator, OsInfo os)
            throws IOException
    {
        generator.writeObjectFieldStart("os");
        generator.writeStringField("family", os.family());
        generator.writeStringField("version", os.version());
        if (os.arch().isPresent()) {
            generator.writeStringField("arch", os.arch().get());
        }
        generator.writeEndObject();
    }

    private static void writeStrings(JsonGenerator generator, String field, List<String> values)
            throws IOException
    {
        generator.writeArrayFieldStart(field);
        for (String value : values) {
            generator.writeString(value);
        }
        generator.writeEndArray();
    }

    private static void writeInstant(JsonGenerator generator, String field, Optional<Instant> value)
            throws IOException
    {
        if (value.isPresent()) {
            generator.writeStringField(field, value.get().toString());
        }
    }

    private JsonGenerator generator(OutputStream out)
            throws IOException
    {
        requireNonNull(out, "out is null");
        if (indent) {
            return JsonOutput.indented(out);
        }
        return JsonOutput.compact(out);
    }

    private void finish(JsonGenerator generator, OutputStream out)
            throws IOException
    {
        generator.flush();
        if (indent) {
            out.write('\n');
        }
        out.flush();
    }
}
