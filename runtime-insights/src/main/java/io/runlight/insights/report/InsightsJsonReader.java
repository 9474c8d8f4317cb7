package io.runlight.insights.report;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.input.JsonFields;
import io.runlight.insights.input.JsonInput;
import io.runlight.plugin.api.Confidence;
import io.runlight.plugin.api.Evidence;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ExploitSignals;
import io.runlight.plugin.api.ImageDigest;
import io.runlight.plugin.api.ImageInsights;
import io.runlight.plugin.api.InsightsSummary;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.OsInfo;
import io.runlight.plugin.api.PackageInsight;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.ProfileState;
import io.runlight.plugin.api.ProfileSummary;
import io.runlight.plugin.api.Purl;
import io.runlight.plugin.api.Severity;
import io.runlight.plugin.api.Usage;
import io.runlight.plugin.api.Vulnerability;
import io.runlight.plugin.api.VulnerabilityInsight;
import io.runlight.plugin.api.Workload;
import io.runlight.plugin.api.WorkloadInsights;

import static java.util.Objects.requireNonNull;

/**
 * Reads the JSON that {@link InsightsJsonWriter} writes back into equal records, so the
 * hub can keep images and workload views as JSON (in Hazelcast, in its database) and
 * the CLI can re-read an {@code analyze --format json} file.
 *
 * <p>Fields API.md lists are required; Runlight's additions are optional and take
 * their empty value when absent; unknown fields are ignored (a newer writer may add
 * some). Input is bounded by {@link InputLimits}. Anything else fails with an
 * {@link InputException} for format {@value #FORMAT} that names the JSON pointer (or
 * the line, for unparseable input) and what was expected; nothing is returned then.
 */
public final class InsightsJsonReader
{
    /** The format name in error messages. */
    public static final String FORMAT = "Runlight insights JSON";

    private static final JsonFields<InputException> FIELDS = JsonFields.of(FORMAT);

    private final InputLimits limits;
    private final ObjectReader reader;

    public InsightsJsonReader(InputLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.reader = new JsonInput(limits).mapper().reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** Reads a {@code {"images": [...]}} document. */
    public List<ImageInsights> readImages(InputStream in)
    {
        return readImages(readBounded(in));
    }

    /** Reads a {@code {"images": [...]}} document. */
    public List<ImageInsights> readImages(byte[] document)
    {
        JsonNode root = object(tree(document), "");
        return list(root, "images", "", this::image);
    }

    /** Reads one image document. */
    public ImageInsights readImage(InputStream in)
    {
        return readImage(readBounded(in));
    }

    /** Reads one image document. */
    public ImageInsights readImage(byte[] document)
    {
        return image(tree(document), "");
    }

    /** Reads one workload container document. */
    public WorkloadInsights readWorkload(InputStream in)
    {
        return readWorkload(readBounded(in));
    }

    /** Reads one workload container document. */
    public WorkloadInsights readWorkload(byte[] document)
    {
        return workload(tree(document), "");
    }

    /** Reads a {@code {"workloads": [...]}} document. */
    public List<WorkloadInsights> readWorkloads(InputStream in)
    {
        return readWorkloads(readBounded(in));
    }

    /** Reads a {@code {"workloads": [...]}} document. */
    public List<WorkloadInsights> readWorkloads(byte[] document)
    {
        JsonNode root = object(tree(document), "");
        return list(root, "workloads", "", this::workload);
    }

    private ImageInsights image(JsonNode node, String pointer)
    {
        JsonNode object = object(node, pointer);
        ImageDigest digest = digest(object, "digest", pointer);
        List<ImageDigest> aliases = optionalList(object, "aliases", pointer, (item, at) -> digest(item, at));
        List<String> names = list(object, "names", pointer, InsightsJsonReader::string);
        Optional<OsInfo> os = FIELDS.object(object, "os", pointer).map(value -> os(value, pointer + "/os"));
        ProfileSummary profile = profile(required(object, "profile", pointer), pointer + "/profile");
        InsightsSummary summary = summary(required(object, "summary", pointer), pointer + "/summary");
        List<PackageInsight> packages = list(object, "packages", pointer, this::packageInsight);
        List<VulnerabilityInsight> vulnerabilities = list(object, "vulnerabilities", pointer, this::vulnerability);
        return construct(pointer, () -> new ImageInsights(digest, aliases, names, os, profile, summary, packages, vulnerabilities));
    }

    private WorkloadInsights workload(JsonNode node, String pointer)
    {
        JsonNode object = object(node, pointer);
        JsonNode workloadNode = object(required(object, "workload", pointer), pointer + "/workload");
        String at = pointer + "/workload";
        String cluster = text(workloadNode, "cluster", at);
        String namespace = text(workloadNode, "namespace", at);
        String kind = text(workloadNode, "kind", at);
        String name = text(workloadNode, "name", at);
        String container = text(workloadNode, "container", at);
        Workload workload = construct(at, () -> new Workload(cluster, namespace, kind, name, container));
        ImageDigest digest = digest(object, "imageDigest", pointer);
        List<String> names = list(object, "imageNames", pointer, InsightsJsonReader::string);
        ProfileSummary profile = profile(required(object, "profile", pointer), pointer + "/profile");
        List<PackageInsight> packages = list(object, "packagesInUse", pointer, this::packageInsight);
        return construct(pointer, () -> new WorkloadInsights(workload, digest, names, profile, packages));
    }

    private ProfileSummary profile(JsonNode node, String pointer)
    {
        JsonNode object = object(node, pointer);
        ProfileState state = enumValue(ProfileState.class, object, "state", pointer);
        int containers = integer(object, "containers", pointer);
        Duration observedFor = duration(object, "observedFor", pointer);
        Optional<Instant> firstSeen = optional(object, "firstSeen", pointer, InsightsJsonReader::instant);
        Optional<Instant> lastSeen = optional(object, "lastSeen", pointer, InsightsJsonReader::instant);
        return construct(pointer, () -> new ProfileSummary(state, containers, observedFor, firstSeen, lastSeen));
    }

    private InsightsSummary summary(JsonNode node, String pointer)
    {
        JsonNode object = object(node, pointer);
        int packages = integer(object, "packages", pointer);
        int packagesInUse = integer(object, "packagesInUse", pointer);
        int packagesNotInUse = integer(object, "packagesNotInUse", pointer);
        int packagesUnknown = integer(object, "packagesUnknown", pointer);
        int vulnerabilities = integer(object, "vulnerabilities", pointer);
        int vulnerabilitiesInUse = integer(object, "vulnerabilitiesInUse", pointer);
        return construct(pointer, () -> new InsightsSummary(packages, packagesInUse, packagesNotInUse, packagesUnknown, vulnerabilities, vulnerabilitiesInUse));
    }

    private PackageInsight packageInsight(JsonNode node, String pointer)
    {
        JsonNode object = object(node, pointer);
        Purl purl = purl(object, "purl", pointer);
        PackageType type = packageType(object, pointer);
        String name = text(object, "name", pointer);
        String version = text(object, "version", pointer);
        Usage usage = enumValue(Usage.class, object, "usage", pointer);
        Optional<Confidence> confidence = Optional.empty();
        if (present(object, "confidence")) {
            confidence = Optional.of(enumValue(Confidence.class, object, "confidence", pointer));
        }
        Optional<String> reason = present(object, "reason") ? Optional.of(text(object, "reason", pointer)) : Optional.empty();
        List<Evidence> evidence = list(object, "evidence", pointer, this::evidence);
        Optional<OsInfo> os = FIELDS.object(object, "os", pointer).map(value -> os(value, pointer + "/os"));
        Optional<Confidence> givenConfidence = confidence;
        InstalledPackage pkg = construct(pointer, () -> new InstalledPackage(type, name, version, purl, os));
        return construct(pointer, () -> new PackageInsight(pkg, usage, givenConfidence, evidence, reason));
    }

    private Evidence evidence(JsonNode node, String pointer)
    {
        JsonNode object = object(node, pointer);
        String kindText = text(object, "kind", pointer);
        EvidenceKind kind = construct(pointer + "/kind", () -> EvidenceKind.fromWireName(kindText));
        String path = text(object, "path", pointer);
        Optional<String> process = optional(object, "process", pointer, InsightsJsonReader::text);
        Instant firstSeen = instant(object, "firstSeen", pointer);
        Instant lastSeen = instant(object, "lastSeen", pointer);
        long count = longInteger(object, "count", pointer);
        return construct(pointer, () -> new Evidence(kind, path, process, firstSeen, lastSeen, count));
    }

    private VulnerabilityInsight vulnerability(JsonNode node, String pointer)
    {
        JsonNode object = object(node, pointer);
        String id = text(object, "id", pointer);
        Purl purl = purl(object, "purl", pointer);
        Severity severity = enumValue(Severity.class, object, "severity", pointer);
        OptionalDouble cvss = optionalNumber(object, "cvss", pointer);
        List<String> fixedIn = list(object, "fixedIn", pointer, InsightsJsonReader::string);
        Usage usage = enumValue(Usage.class, object, "usage", pointer);
        int rank = integer(object, "rank", pointer);
        List<String> aliases = optionalList(object, "aliases", pointer, InsightsJsonReader::string);
        Optional<String> cvssVector = optional(object, "cvssVector", pointer, InsightsJsonReader::text);
        boolean knownExploited = present(object, "knownExploited") && bool(object, "knownExploited", pointer);
        OptionalDouble epss = optionalNumber(object, "epss", pointer);
        OptionalDouble epssPercentile = optionalNumber(object, "epssPercentile", pointer);
        Optional<String> dataSource = optional(object, "dataSource", pointer, InsightsJsonReader::text);
        ExploitSignals exploit = construct(pointer, () -> new ExploitSignals(knownExploited, epss, epssPercentile));
        Vulnerability vulnerability = construct(pointer, () -> new Vulnerability(id, severity, cvss, cvssVector, fixedIn, exploit, aliases, dataSource));
        return construct(pointer, () -> new VulnerabilityInsight(vulnerability, purl, usage, rank));
    }

    private static OsInfo os(JsonNode node, String pointer)
    {
        String family = text(node, "family", pointer);
        String version = text(node, "version", pointer);
        Optional<String> arch = optional(node, "arch", pointer, InsightsJsonReader::text);
        return construct(pointer, () -> new OsInfo(family, version, arch));
    }

    private static PackageType packageType(JsonNode object, String pointer)
    {
        String text = text(object, "type", pointer);
        for (PackageType type : PackageType.values()) {
            if (type.wireName().equals(text)) {
                return type;
            }
        }
        throw FIELDS.invalid(pointer + "/type", "expected a package type (apk, deb, rpm, maven, pypi, npm, golang, composer, cargo, gem, nuget or other), found '" + abbreviate(text) + "'");
    }

    // ---- document and value helpers ----

    private byte[] readBounded(InputStream in)
    {
        requireNonNull(in, "in is null");
        int max = (int) Math.min(limits.maxDocumentBytes(), Integer.MAX_VALUE - 16);
        try {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge(max);
            }
            return bytes;
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, "/", "cannot read the document: " + e.getMessage(), e);
        }
    }

    private JsonNode tree(byte[] document)
    {
        requireNonNull(document, "document is null");
        if (document.length > limits.maxDocumentBytes()) {
            throw tooLarge(limits.maxDocumentBytes());
        }
        JsonNode node;
        try {
            node = reader.readTree(document);
        }
        catch (StreamConstraintsException e) {
            throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, where(e), JsonInput.overLimit(e), e);
        }
        catch (JsonProcessingException e) {
            if (JsonInput.endsEarly(e)) {
                throw new InputException(InputException.Reason.MALFORMED, FORMAT, where(e), "the document ends early (truncated?)", e);
            }
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, where(e), "not valid JSON: " + firstLine(e.getOriginalMessage()), e);
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, "/", "cannot read the document: " + firstLine(e.getMessage()), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new InputException(InputException.Reason.MALFORMED, FORMAT, "/", "the document is empty");
        }
        return node;
    }

    private static InputException tooLarge(long max)
    {
        return new InputException(InputException.Reason.TOO_LARGE, FORMAT, "byte " + max, "the document is larger than the limit of " + max + " bytes");
    }

    private static String where(JsonProcessingException e)
    {
        JsonLocation location = e.getLocation();
        if (location == null) {
            return "/";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static <T> T construct(String pointer, Supplier<T> constructor)
    {
        try {
            return constructor.get();
        }
        catch (IllegalArgumentException | NullPointerException e) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, pointer.isEmpty() ? "/" : pointer, String.valueOf(e.getMessage()), e);
        }
    }

    private static JsonNode object(JsonNode node, String pointer)
    {
        return FIELDS.requireObject(node, pointer);
    }

    private static boolean present(JsonNode object, String field)
    {
        return JsonFields.value(object, field).isPresent();
    }

    private static JsonNode required(JsonNode object, String field, String pointer)
    {
        return JsonFields.value(object, field)
                .orElseThrow(() -> FIELDS.invalid(pointer, "the required field '" + field + "' is missing"));
    }

    // the string as written (not stripped): these documents are written by InsightsJsonWriter
    private static String string(JsonNode node, String pointer)
    {
        if (!node.isTextual()) {
            throw FIELDS.wrongType(pointer, "a string", node);
        }
        return node.textValue();
    }

    private static String text(JsonNode object, String field, String pointer)
    {
        return string(required(object, field, pointer), pointer + "/" + field);
    }

    private static int integer(JsonNode object, String field, String pointer)
    {
        return (int) integral(object, field, pointer, JsonNode::canConvertToInt);
    }

    private static long longInteger(JsonNode object, String field, String pointer)
    {
        return integral(object, field, pointer, JsonNode::canConvertToLong);
    }

    private static long integral(JsonNode object, String field, String pointer, Predicate<JsonNode> fits)
    {
        JsonNode value = required(object, field, pointer);
        if (!value.isIntegralNumber() || !fits.test(value)) {
            throw FIELDS.wrongType(pointer + "/" + field, "an integer", value);
        }
        return value.longValue();
    }

    private static <T> Optional<T> optional(JsonNode object, String field, String pointer, FieldValue<T> value)
    {
        if (!present(object, field)) {
            return Optional.empty();
        }
        return Optional.of(value.read(object, field, pointer));
    }

    private static OptionalDouble optionalNumber(JsonNode object, String field, String pointer)
    {
        if (!present(object, field)) {
            return OptionalDouble.empty();
        }
        JsonNode value = object.get(field);
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw FIELDS.wrongType(pointer + "/" + field, "a number", value);
        }
        return OptionalDouble.of(value.doubleValue());
    }

    private static boolean bool(JsonNode object, String field, String pointer)
    {
        JsonNode value = required(object, field, pointer);
        if (!value.isBoolean()) {
            throw FIELDS.wrongType(pointer + "/" + field, "true or false", value);
        }
        return value.booleanValue();
    }

    private static Instant instant(JsonNode object, String field, String pointer)
    {
        return parsed(object, field, pointer, Instant::parse, "an ISO-8601 UTC time such as 2026-11-28T12:00:00Z");
    }

    private static Duration duration(JsonNode object, String field, String pointer)
    {
        return parsed(object, field, pointer, Duration::parse, "an ISO-8601 duration such as P14D");
    }

    private static <T> T parsed(JsonNode object, String field, String pointer, Function<String, T> parser, String expected)
    {
        String text = text(object, field, pointer);
        try {
            return parser.apply(text);
        }
        catch (DateTimeParseException e) {
            throw new InputException(InputException.Reason.INVALID, FORMAT, pointer + "/" + field,
                    "expected " + expected + ", found '" + abbreviate(text) + "'", e);
        }
    }

    private static ImageDigest digest(JsonNode object, String field, String pointer)
    {
        return digest(required(object, field, pointer), pointer + "/" + field);
    }

    private static ImageDigest digest(JsonNode node, String pointer)
    {
        String text = string(node, pointer);
        return construct(pointer, () -> new ImageDigest(text));
    }

    private static Purl purl(JsonNode object, String field, String pointer)
    {
        String text = text(object, field, pointer);
        return construct(pointer + "/" + field, () -> Purl.parse(text));
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode object, String field, String pointer)
    {
        String text = text(object, field, pointer);
        E[] constants = type.getEnumConstants();
        for (E constant : constants) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : constants) {
            names.add(constant.name());
        }
        throw FIELDS.invalid(pointer + "/" + field, "expected one of " + String.join(", ", names) + ", found '" + abbreviate(text) + "'");
    }

    private <T> List<T> list(JsonNode object, String field, String pointer, Element<T> element)
    {
        return elements(required(object, field, pointer), pointer + "/" + field, element);
    }

    private <T> List<T> optionalList(JsonNode object, String field, String pointer, Element<T> element)
    {
        if (!present(object, field)) {
            return List.of();
        }
        return list(object, field, pointer, element);
    }

    private <T> List<T> elements(JsonNode array, String pointer, Element<T> element)
    {
        if (!array.isArray()) {
            throw FIELDS.wrongType(pointer, "an array", array);
        }
        if (array.size() > limits.maxItems()) {
            throw new InputException(InputException.Reason.TOO_LARGE, FORMAT, pointer, "more than " + limits.maxItems() + " items");
        }
        List<T> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(element.read(array.get(i), pointer + "/" + i));
        }
        return values;
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline >= 0 ? message.substring(0, newline) : message;
        return abbreviate(line);
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    /** Reads the value of one field of an object at its JSON pointer. */
    @FunctionalInterface
    private interface FieldValue<T>
    {
        T read(JsonNode object, String field, String pointer);
    }

    /** Reads one array element at its JSON pointer. */
    @FunctionalInterface
    private interface Element<T>
    {
        T read(JsonNode node, String pointer);
    }
}
