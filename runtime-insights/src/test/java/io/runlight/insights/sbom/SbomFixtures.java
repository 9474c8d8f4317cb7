package io.runlight.insights.sbom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runlight.insights.input.InputLimits;

/** Test documents: the real fixtures, and ways to bend them. */
final class SbomFixtures
{
    static final InputLimits DEFAULT = InputLimits.DEFAULT;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SbomFixtures() {}

    /** A resource's bytes, for example {@code fixtures/sbom/alpine-3.17.2.syft.json}. */
    static byte[] resource(String path)
    {
        try (InputStream in = SbomFixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource '" + path + "'");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream stream(byte[] bytes)
    {
        return new ByteArrayInputStream(bytes);
    }

    static InputStream stream(String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The document with its top-level fields in the given order first, the rest after. */
    static byte[] reordered(byte[] document, List<String> firstKeys)
    {
        try {
            Map<String, Object> fields = MAPPER.readValue(document, new TypeReference<LinkedHashMap<String, Object>>() {});
            Map<String, Object> reordered = new LinkedHashMap<>();
            for (String key : firstKeys) {
                if (fields.containsKey(key)) {
                    reordered.put(key, fields.get(key));
                }
            }
            fields.forEach(reordered::putIfAbsent);
            return MAPPER.writeValueAsBytes(reordered);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON value nested {@code depth} arrays deep. */
    static String deepArray(int depth)
    {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
