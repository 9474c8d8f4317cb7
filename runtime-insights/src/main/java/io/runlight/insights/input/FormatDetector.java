package io.runlight.insights.input;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import static java.util.Objects.requireNonNull;

/**
 * Detects a document's format from its content, never its file name: it reads the
 * first {@link #PREFIX_BYTES} bytes, looks at the top-level keys of the first JSON
 * object (or the shape of the first text line) and puts the bytes back.
 */
public final class FormatDetector
{
    /** How much of a document detection looks at. */
    public static final int PREFIX_BYTES = 256 * 1024;

    private static final Pattern MAPS_LINE = Pattern.compile("^[0-9a-fA-F]+-[0-9a-fA-F]+ [r-][w-][x-][ps-] [0-9a-fA-F]+ [0-9a-fA-F]+:[0-9a-fA-F]+ \\d+.*");
    private static final Set<String> TETRAGON_KEYS = Set.of("process_exec", "process_exit", "process_kprobe", "process_tracepoint", "process_uprobe", "process_lsm");
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();

    private FormatDetector() {}

    /**
     * Detects the format of the stream and leaves the stream at its start.
     *
     * @throws InputException if the content is none of the supported formats
     */
    public static DocumentFormat detect(BufferedInputStream in)
    {
        requireNonNull(in, "in is null");
        byte[] prefix;
        try {
            in.mark(PREFIX_BYTES + 1);
            prefix = in.readNBytes(PREFIX_BYTES);
            in.reset();
        }
        catch (IOException e) {
            throw new InputException(InputException.Reason.MALFORMED, "input", "byte 0", "cannot read the document: " + e.getMessage(), e);
        }
        return detect(prefix);
    }

    /** A buffered stream that supports the mark detection needs. */
    public static BufferedInputStream buffered(InputStream in)
    {
        if (in instanceof BufferedInputStream buffered) {
            return buffered;
        }
        return new BufferedInputStream(in, 64 * 1024);
    }

    /**
     * Detects the format of a document from its first bytes.
     *
     * @throws InputException if the content is none of the supported formats
     */
    public static DocumentFormat detect(byte[] prefix)
    {
        requireNonNull(prefix, "prefix is null");
        int start = skipBomAndWhitespace(prefix);
        if (start >= prefix.length) {
            throw new InputException(InputException.Reason.MALFORMED, "input", "byte 0", "the document is empty");
        }
        byte first = prefix[start];
        if (first == '{' || first == '[') {
            return detectJson(Arrays.copyOfRange(prefix, start, prefix.length), prefix.length < PREFIX_BYTES);
        }
        String firstLine = firstLine(prefix, start);
        if (MAPS_LINE.matcher(firstLine).matches()) {
            return DocumentFormat.PROC_MAPS;
        }
        if (first == '"' && prefix.length >= PREFIX_BYTES && prefix.length - start > 1 && !containsQuote(prefix, start + 1)) {
            throw stringLongerThanPrefix("/");
        }
        Optional<JsonToken> scalar = wholeJsonScalar(Arrays.copyOfRange(prefix, start, prefix.length));
        if (scalar.isPresent()) {
            // valid JSON (null, "hello", 42) that is no document: 422, not 400
            throw unsupported(JsonDescriptions.describe(scalar.get()));
        }
        throw new InputException(InputException.Reason.MALFORMED, "input", "line 1",
                "neither JSON nor /proc/<pid>/maps text; it starts with '" + printable(firstLine) + "'");
    }

    private static InputException stringLongerThanPrefix(String location)
    {
        return new InputException(InputException.Reason.TOO_LARGE, "JSON", location,
                "the string is longer than the " + PREFIX_BYTES + " bytes read to recognise the format; every supported format names itself in its first keys");
    }

    private static boolean containsQuote(byte[] bytes, int from)
    {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '"') {
                return true;
            }
        }
        return false;
    }

    // the JSON value the bytes hold when they are exactly one scalar (a string, number, true, false or null)
    private static Optional<JsonToken> wholeJsonScalar(byte[] json)
    {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == null || !token.isScalarValue() || parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(token);
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // wholeDocument: the bytes are the entire document, so running out of them means it is truncated
    private static DocumentFormat detectJson(byte[] json, boolean wholeDocument)
    {
        Map<String, String> keys = new HashMap<>();
        boolean endedEarly = false;
        Optional<String> cutString = Optional.empty();
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                token = parser.nextToken();
                if (token != JsonToken.START_OBJECT) {
                    if (wholeDocument) {
                        // an array of arrays may just be unclosed brackets: only well-formed JSON is a wrong document (422)
                        parser.skipChildren();
                        while (parser.nextToken() != null) {
                            parser.skipChildren();
                        }
                    }
                    throw unsupported("a JSON array whose first element is not an object");
                }
            }
            try {
                collectTopLevel(parser, keys);
            }
            catch (IOException e) {
                if (!wholeDocument && JsonInput.endsEarly(e) && parser.currentToken() == JsonToken.VALUE_STRING) {
                    // a string longer than the prefix: say so, rather than the parser's "Unexpected end-of-input"
                    cutString = Optional.of(JsonInput.pointer(parser));
                }
                throw e;
            }
        }
        catch (IOException | RuntimeException e) {
            if (e instanceof InputException inputException) {
                throw inputException;
            }
            // a truncated prefix is expected for large documents: decide on what was seen
            endedEarly = e instanceof IOException ioException && JsonInput.endsEarly(ioException);
            if (keys.isEmpty() && cutString.isEmpty() && !(endedEarly && wholeDocument)) {
                throw new InputException(InputException.Reason.MALFORMED, "JSON", "/", "not valid JSON: " + firstLineOf(e.getMessage()), e);
            }
        }
        Optional<DocumentFormat> format = classify(keys);
        if (format.isEmpty() && cutString.isPresent()) {
            throw stringLongerThanPrefix(cutString.get());
        }
        if (format.isEmpty() && endedEarly && wholeDocument) {
            throw new InputException(InputException.Reason.MALFORMED, "JSON", "/", "the document ends early (truncated?), before its format could be recognised");
        }
        return format.orElseThrow(() -> unsupported("a JSON object with keys " + describe(keys)));
    }

    // Records every top-level key; for the few keys whose value decides the format,
    // also the value (or, for "schema" and "descriptor", the nested url/name).
    private static void collectTopLevel(JsonParser parser, Map<String, String> keys)
            throws IOException
    {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == null) {
                keys.put(name, "");
                return;
            }
            if (value.isScalarValue()) {
                keys.put(name, parser.getValueAsString(""));
            }
            else if ((name.equals("schema") || name.equals("descriptor") || name.equals("metadata")) && value == JsonToken.START_OBJECT) {
                keys.put(name, nestedScalars(parser));
            }
            else if (value == JsonToken.START_ARRAY) {
                keys.put(name, "[");
                firstElementKeys(parser, name, keys);
            }
            else {
                keys.put(name, "{");
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT && token != null) {
            throw unsupported("malformed top-level object");
        }
    }

    // Records "[k1 k2 ..." for an array whose first element is an object with keys k1, k2...,
    // key by key, so that a prefix cut inside a huge array (Grype writes "matches" before
    // "source" and "descriptor") still tells what the array holds. Then skips the array.
    private static void firstElementKeys(JsonParser parser, String name, Map<String, String> keys)
            throws IOException
    {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_OBJECT) {
            StringBuilder names = new StringBuilder("[");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                names.append(names.length() > 1 ? " " : "").append(parser.currentName());
                keys.put(name, names.toString());
                parser.nextToken();
                parser.skipChildren();
            }
            token = parser.nextToken();
        }
        while (token != null && token != JsonToken.END_ARRAY) {
            parser.skipChildren();
            token = parser.nextToken();
        }
    }

    private static String nestedScalars(JsonParser parser)
            throws IOException
    {
        List<String> values = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != null && value.isScalarValue()) {
                values.add(name + "=" + parser.getValueAsString(""));
            }
            else {
                parser.skipChildren();
            }
        }
        return String.join(" ", values);
    }

    private static Optional<DocumentFormat> classify(Map<String, String> keys)
    {
        if ("CycloneDX".equalsIgnoreCase(keys.getOrDefault("bomFormat", ""))) {
            return Optional.of(DocumentFormat.CYCLONEDX_JSON);
        }
        if (keys.containsKey("spdxVersion")) {
            return Optional.of(DocumentFormat.SPDX_JSON);
        }
        if (keys.containsKey("SchemaVersion") && (keys.containsKey("ArtifactName") || keys.containsKey("Results"))) {
            return Optional.of(DocumentFormat.TRIVY_JSON);
        }
        if (keys.containsKey("matches") && (keys.getOrDefault("descriptor", "").contains("name=grype") || keys.containsKey("source")
                || keys.get("matches").matches("\\[(.* )?vulnerability( .*)?"))) {
            return Optional.of(DocumentFormat.GRYPE_JSON);
        }
        String schema = keys.getOrDefault("schema", "").toLowerCase(Locale.ROOT);
        // Syft writes artifacts, artifactRelationships and files before source and schema: a large
        // document's prefix may show only the artifacts array
        if (schema.contains("anchore") || schema.contains("syft") || (keys.containsKey("artifacts") && keys.containsKey("source"))
                || keys.getOrDefault("artifacts", "").startsWith("[") || keys.containsKey("artifactRelationships")) {
            return Optional.of(DocumentFormat.SYFT_JSON);
        }
        if (keys.keySet().stream().anyMatch(TETRAGON_KEYS::contains)) {
            return Optional.of(DocumentFormat.TETRAGON_JSON);
        }
        if (keys.containsKey("output_fields") && (keys.containsKey("rule") || keys.containsKey("output"))) {
            return Optional.of(DocumentFormat.FALCO_JSON);
        }
        if (keys.containsKey("eventName") || (keys.containsKey("workload") && keys.containsKey("data") && keys.containsKey("name"))) {
            return Optional.of(DocumentFormat.TRACEE_JSON);
        }
        if ("ContainerProfile".equals(keys.get("kind")) || "ApplicationProfile".equals(keys.get("kind"))
                || keys.getOrDefault("apiVersion", "").contains("kubescape")) {
            return Optional.of(DocumentFormat.KUBESCAPE_PROFILE);
        }
        if ((keys.containsKey("kind") && keys.containsKey("path")) || keys.containsKey("files") && (keys.containsKey("time") || keys.containsKey("imageDigest"))) {
            return Optional.of(DocumentFormat.RUNLIGHT_EVENTS);
        }
        return Optional.empty();
    }

    private static InputException unsupported(String found)
    {
        return new InputException(InputException.Reason.INVALID, "input", "/",
                "not a supported format: found " + found + "; expected an SBOM (Syft, CycloneDX, SPDX 2.3, Trivy JSON), a scan report (Grype, Trivy, CycloneDX JSON) "
                        + "or runtime events (Runlight NDJSON, Falco, Tetragon, Tracee, Kubescape, /proc/<pid>/maps)");
    }

    private static String describe(Map<String, String> keys)
    {
        List<String> names = new ArrayList<>(keys.keySet());
        names.sort(null);
        List<String> shown = names.subList(0, Math.min(names.size(), 8));
        return shown.stream().map(FormatDetector::printable).toList() + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "");
    }

    private static int skipBomAndWhitespace(byte[] bytes)
    {
        int index = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            index = 3;
        }
        while (index < bytes.length && (bytes[index] == ' ' || bytes[index] == '\n' || bytes[index] == '\r' || bytes[index] == '\t')) {
            index++;
        }
        return index;
    }

    private static String firstLine(byte[] bytes, int start)
    {
        int end = start;
        while (end < bytes.length && bytes[end] != '\n' && end - start < 4096) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8).stripTrailing();
    }

    private static String firstLineOf(String message)
    {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }

    private static String printable(String text)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 60; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
