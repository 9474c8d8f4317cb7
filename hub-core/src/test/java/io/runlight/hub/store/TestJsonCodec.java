package io.runlight.hub.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestJsonCodec
{
    enum Status
    {
        ACTIVE, REVOKED
    }

    record Window(Instant from, Duration length) {}

    record Sample(String name, Instant createdAt, Duration ttl, Optional<String> note, Optional<Instant> lastUsedAt,
            List<String> tags, Map<String, Integer> counts, Status status, Window window)
    {
        Sample
        {
            requireNonNull(name, "name is null");
            requireNonNull(note, "note is null");
            requireNonNull(lastUsedAt, "lastUsedAt is null");
            tags = List.copyOf(requireNonNull(tags, "tags is null"));
            counts = Map.copyOf(requireNonNull(counts, "counts is null"));
        }
    }

    private static final JsonCodec<Sample> CODEC = JsonCodec.of(Sample.class);

    private static final Sample SAMPLE = new Sample(
            "snyk-prod",
            Instant.parse("2025-01-31T10:15:30.123Z"),
            Duration.ofMinutes(5),
            Optional.of("renewed"),
            Optional.empty(),
            List.of("b", "a"),
            Map.of("zeta", 1, "alpha", 2, "mu", 3),
            Status.ACTIVE,
            new Window(Instant.parse("2025-02-01T00:00:00Z"), Duration.ofDays(90)));

    @Test
    void encodesRecordsWithTimeAndOptionalAsReadableJson()
    {
        assertThat(CODEC.encode(SAMPLE)).isEqualTo("{\"name\":\"snyk-prod\",\"createdAt\":\"2025-01-31T10:15:30.123Z\",\"ttl\":\"PT5M\","
                + "\"note\":\"renewed\",\"lastUsedAt\":null,\"tags\":[\"b\",\"a\"],\"counts\":{\"alpha\":2,\"mu\":3,\"zeta\":1},"
                + "\"status\":\"ACTIVE\",\"window\":{\"from\":\"2025-02-01T00:00:00Z\",\"length\":\"PT2160H\"}}");
    }

    @Test
    void decodesWhatItEncodes()
    {
        assertThat(CODEC.decode(CODEC.encode(SAMPLE))).isEqualTo(SAMPLE);
    }

    @Test
    void writesAsciiSoThatAnyTextSurvivesStorageAsItWas()
    {
        // an unpaired surrogate turns into '?' in any UTF-8 layer; escaped, it cannot
        Sample odd = new Sample("/bin/\ud800x \u00fcber \ud83d\ude00", Instant.parse("2025-01-31T10:15:30Z"), Duration.ofSeconds(1),
                Optional.empty(), Optional.empty(), List.of(), Map.of(), Status.ACTIVE, null);

        String json = CODEC.encode(odd);

        assertThat(json).startsWith("{\"name\":\"/bin/\\uD800x \\u00FCber \\uD83D\\uDE00\",");
        assertThat(CODEC.decode(new String(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(odd);
    }

    @Test
    void ignoresUnknownPropertiesAndReadsMissingOptionalsAsEmpty()
    {
        String fromNewerMember = "{\"name\":\"n\",\"createdAt\":\"2025-01-31T10:15:30Z\",\"ttl\":\"PT1S\",\"tags\":[],\"counts\":{},"
                + "\"status\":\"REVOKED\",\"window\":null,\"addedLater\":{\"x\":1}}";

        assertThat(CODEC.decode(fromNewerMember)).isEqualTo(new Sample("n", Instant.parse("2025-01-31T10:15:30Z"), Duration.ofSeconds(1),
                Optional.empty(), Optional.empty(), List.of(), Map.of(), Status.REVOKED, null));
    }

    @Test
    void decodesGenericTypes()
    {
        JsonCodec<List<Window>> windows = JsonCodec.of(new TypeReference<List<Window>>() {});
        List<Window> value = List.of(new Window(Instant.parse("2025-03-01T12:00:00Z"), Duration.ofHours(1)));

        assertThat(windows.encode(value)).isEqualTo("[{\"from\":\"2025-03-01T12:00:00Z\",\"length\":\"PT1H\"}]");
        assertThat(windows.decode(windows.encode(value))).isEqualTo(value);
    }

    @Test
    void failuresNameTheTypeAndPositionButNotTheContent()
    {
        assertThatThrownBy(() -> CODEC.decode("{\"name\": secret-value"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot decode a 'Sample' from JSON at line 1, column 10: the document is malformed or does not fit the type");
        assertThatThrownBy(() -> CODEC.decode("{\"tags\":[],\"counts\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot decode a 'Sample' from JSON at line 1, column 23: name is null");
        assertThatThrownBy(() -> CODEC.decode("null"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot decode a 'Sample' from JSON: the document is null");
    }
}
